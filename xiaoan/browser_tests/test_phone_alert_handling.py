"""A smoke detector's alert handled on a phone (390×844): the school officer finds it on the
home page, acknowledges it, records the measures with a photo and closes it; a bureau
officer's desktop list shows it closed and the source's page its receipt. No console or CSP
errors on the way."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, jpeg, shot

pytestmark = pytest.mark.browser


def open_action(page, key: str) -> None:
    """Open the step's panel (the only step open already: a click would close it)."""
    header = page.locator(f"#action-{key} .accordion-button")
    if header.get_attribute("aria-expanded") != "true":
        header.click()
    expect(page.locator(f"#act-{key}")).to_be_visible()


def test_it_handles_an_outside_alert_on_a_phone(browse):
    from django.test import Client

    from xiaoan.accounts.models import User
    from xiaoan.alerts import intake
    from xiaoan.alerts.models import Alert
    from xiaoan.orgs.models import Unit

    school = Unit.objects.get(name="梁子湖高级中学", kind="school")
    school.code = school.code or "LZH-GZ"
    school.save(update_fields=["code"])
    source, secret = intake.create_source(
        User.objects.get(username="school_a_officer"), unit=school, name="消防物联网平台"
    )
    event = {"kind": "smoke", "severity": "critical", "unit": school.code,
             "title": "学生宿舍1号楼3层烟感报警", "place": "学生宿舍1号楼3层东侧",
             "labels": {"device": "YG-1-3F-07"}}  # fmt: skip
    body = json.dumps(event, ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    sent = Client().post(
        "/api/alerts/intake/", data=body, content_type="application/json",
        HTTP_X_XIAOAN_SOURCE=source.key, HTTP_X_XIAOAN_TIMESTAMP=stamp,
        HTTP_IDEMPOTENCY_KEY="evt-1",
        HTTP_X_XIAOAN_SIGNATURE=intake.sign(secret, stamp, "evt-1", body),
    )  # fmt: skip
    assert sent.status_code == 202
    alert = Alert.objects.get(source=source)

    page = browse.page("school_a_officer", PHONE)
    page.goto("/alerts/")
    fits_phone(page)
    shot(page, "alert-list-390")
    page.get_by_role("link", name=re.compile("学生宿舍1号楼3层烟感报警")).first.click()
    expect(page).to_have_url(re.compile(rf"/alerts/{alert.pk}/$"))
    fits_phone(page)
    shot(page, "alert-detail-390")

    open_action(page, "acknowledge")
    page.locator("#act-acknowledge").get_by_role("button", name="确认预警").click()
    expect(page.locator("#alert-status")).to_have_text("已确认")

    open_action(page, "handle")
    panel = page.locator("#act-handle")
    panel.get_by_label("处置方式").select_option("fixed")
    panel.get_by_label("处置情况/措施").fill("现场核查为学生宿舍内使用电吹风，已清理并复位探测器。")
    panel.get_by_label("现场照片").set_input_files(jpeg())
    fits_phone(page)
    shot(page, "alert-handle-390")
    panel.get_by_role("button", name="登记处置").click()
    expect(page.locator("#alert-status")).to_have_text("已处置")
    expect(page.get_by_role("img", name="现场照片")).to_be_visible()

    open_action(page, "close")
    page.locator("#act-close").get_by_role("button", name="关闭预警").click()
    expect(page.locator("#alert-status")).to_have_text("已关闭")
    fits_phone(page)
    shot(page, "alert-closed-390")
    alert.refresh_from_db()
    assert (alert.status, alert.disposition) == ("closed", "fixed")

    desk = browse.page("district_officer", DESKTOP)
    desk.goto("/alerts/?status=closed")
    expect(desk.get_by_text("学生宿舍1号楼3层烟感报警").first).to_be_visible()
    shot(desk, "alert-list-1280")
    head = browse.page("school_a_officer", DESKTOP)
    head.goto(f"/alerts/sources/{source.pk}/")
    expect(head.get_by_text(source.key).first).to_be_visible()
    shot(head, "alert-source-1280")
