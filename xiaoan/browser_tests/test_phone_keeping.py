"""Nothing typed or photographed is lost, on a phone (390×844): a refused inspection keeps
its photos, 全部符合 answers the open items in one tap, and 随手拍 without a description
keeps its photo."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import PHONE, jpeg

pytestmark = pytest.mark.browser


def _refusals_expected(browse, path: str) -> None:
    """A refused form answers 400 by design (ServiceFormView); the browser logs that status
    as a console error. Only those of `path` are set aside, everything else still counts."""
    browse.problems[:] = [p for p in browse.problems if not (path in p and "status of 400" in p)]


def _planned_self_check():
    from xiaoan.inspections.choices import InspectionKind
    from xiaoan.inspections.models import Inspection

    check = (
        Inspection.objects.filter(
            unit__name="梁子湖高级中学", kind=InspectionKind.SELF_CHECK, status="planned"
        )
        .order_by("scheduled_on", "pk")
        .first()
    )
    assert check is not None, "the demo generates this month's self-checks"
    assert check.checklist.items.filter(photo_required=True).exists()
    return check


def test_it_answers_all_open_items_and_keeps_the_photos_of_a_refused_submission(browse):
    from xiaoan.inspections.models import ResultPhoto

    check = _planned_self_check()
    page = browse.page("school_a_officer", PHONE)
    page.goto(f"/inspections/{check.pk}/run/")
    items = page.locator(".run-item")
    count = items.count()

    # One tap: every open item is 符合; the person then changes the exception.
    page.get_by_role("button", name="未填项全部符合").click()
    expect(page.locator("#run-answered")).to_have_text(str(count))
    expect(page.get_by_text(f"已将 {count} 项标为符合")).to_be_visible()
    plain = items.filter(has_not=page.locator("[data-photo-required]")).filter(
        has_not_text="须拍照"
    )
    first = plain.first
    first.get_by_text("不符合", exact=True).click()
    first.get_by_role("textbox").fill("二楼配电箱门未上锁")
    first.get_by_label("照片").set_input_files([jpeg("#8e44ad"), jpeg("#16a085")])
    # A 须拍照 item answered without a photo says so at once.
    required = page.locator(".run-item[data-photo-required]")
    expect(required.first.locator(".js-photo-hint")).to_be_visible()
    page.get_by_role("button", name="提交检查").click()

    # Refused for the missing photos, named by their text; the two photos are kept.
    expect(page.get_by_text("以下检查项须拍照留证")).to_be_visible()
    expect(page.get_by_text("已保存为草稿")).to_be_visible()
    assert ResultPhoto.objects.filter(result__inspection=check).count() == 2
    thumbs = page.get_by_role("img", name="检查照片")
    expect(thumbs).to_have_count(2)
    expect(thumbs.first).to_have_js_property("complete", True)
    assert thumbs.first.evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_text("二楼配电箱门未上锁")).to_be_visible()
    page.screenshot(path="/tmp/shots-in11/run-refused-390.png", full_page=True)

    # The missing photos added: it goes through, all four photos counted.
    for index in range(required.count()):
        required.nth(index).get_by_label("照片").set_input_files(jpeg("#2c3e50"))
    page.get_by_role("button", name="提交检查").click()
    expect(page).to_have_url(re.compile(rf"/inspections/{check.pk}/$"))
    check.refresh_from_db()
    assert check.status == "submitted"
    failed = check.results.get(result="fail")
    assert failed.photos.count() == 2
    _refusals_expected(browse, f"/inspections/{check.pk}/run/")


def test_it_keeps_the_snapshot_photo_when_the_description_is_missing(browse):
    from xiaoan.hazards.models import Hazard

    page = browse.page("school_b_teacher", PHONE)
    page.goto("/hazards/report/")
    page.get_by_label("照片").set_input_files(jpeg())
    page.get_by_label("具体位置").fill("操场东侧围栏")
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_text("已保留刚才的 1 张照片")).to_be_visible()
    kept = page.get_by_role("img", name="已保留的照片")
    expect(kept).to_have_count(1)
    assert kept.evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_label("具体位置")).to_have_value("操场东侧围栏")
    page.screenshot(path="/tmp/shots-in11/report-kept-390.png", full_page=True)
    page.get_by_label("一句话说明隐患").fill("操场围栏立柱松动")
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_text(re.compile(r"已上报隐患，编号"))).to_be_visible()
    assert Hazard.objects.get(description="操场围栏立柱松动").photos.count() == 1
    _refusals_expected(browse, "/hazards/report/")
