"""Recording an education activity on a phone (390×844): a school's own activity with two
photos, refused without a summary — everything typed and both photos kept — then recorded
once, the photos not chosen again; no console or CSP errors on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import PHONE, fits_phone, jpeg, shot

pytestmark = pytest.mark.browser


def test_it_records_an_activity_on_a_phone(browse):
    from xiaoan.activities.models import Activity

    page = browse.page("school_a_officer", PHONE)
    page.goto("/activities/new/")
    fits_phone(page)
    shot(page, "activity-record-390")
    page.get_by_label("教育日（月）").select_option("")  # the school's own activity
    page.get_by_label("活动形式").select_option("lecture")
    page.get_by_label("活动主题").fill("校园防欺凌专题讲座")
    page.get_by_label("参加年级（班级）").fill("高一年级")
    page.get_by_label("参加人数").fill("520")
    page.get_by_label("活动照片").set_input_files([jpeg(), jpeg("#2980b9")])
    page.get_by_role("button", name="提交").click()

    # Refused (400 by design: set aside that console line only): nothing typed is lost.
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    browse.problems[:] = [
        p for p in browse.problems if not ("/activities/new/" in p and "status of 400" in p)
    ]
    expect(page.get_by_label("活动主题")).to_have_value("校园防欺凌专题讲座")
    kept = page.get_by_role("img", name="已保留的照片")
    expect(kept).to_have_count(2)
    assert kept.first.evaluate("img => img.naturalWidth") > 0
    assert not Activity.objects.exists()
    fits_phone(page)
    shot(page, "activity-record-refused-390")

    page.get_by_label("活动简述").fill("邀请派出所民警讲解校园欺凌的危害与求助方式。")
    page.get_by_role("button", name="提交").click()
    expect(page).to_have_url(re.compile(r"/activities/\d+/$"))
    expect(page.get_by_text("校园防欺凌专题讲座").first).to_be_visible()
    photos = page.get_by_role("img", name="活动照片")
    expect(photos).to_have_count(2)
    expect(photos.first).to_have_js_property("complete", True)
    assert photos.first.evaluate("img => img.naturalWidth") > 0
    fits_phone(page)
    shot(page, "activity-done-390")
    activity = Activity.objects.get()
    assert (activity.event, activity.participants, activity.photos.count()) == ("", 520, 2)
