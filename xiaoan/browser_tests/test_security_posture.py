"""安防建设 in the browser: a school's safety officer declares on a phone (390 px), uploads
the evidence and submits; the district's officer verifies at the desk (1280 px); no console
or CSP errors. Screenshots go to $XIAOAN_SHOTS when it is set."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def test_declare_on_a_phone_and_verify_at_the_desk(browse):
    from xiaoan.security.models import SecurityPosture

    phone = browse.page("school_a_officer", PHONE)
    phone.goto("/security-postures/add/")
    phone.get_by_label("校园封闭式管理").check()
    phone.get_by_label("专职保安（人）").fill("3")
    phone.get_by_label("一键报警与公安联网").check()
    phone.get_by_label("视频监控与公安联网").check()
    for label in ("护学岗：早上入校", "护学岗：中午", "护学岗：下午放学", "防火", "防溺水"):
        phone.get_by_label(label, exact=True).check()
    fits_phone(phone)
    shot(phone, "security-declare-390")
    phone.locator("main form button[type=submit]").last.click()
    expect(phone.locator("main")).to_contain_text("应配 3 人 / 现有 3 人")
    phone.locator("form[action$='/attach/'] input[type=file]").set_input_files(
        {"name": "门卫台账.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
    )
    phone.locator("form[action$='/attach/'] button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("门卫台账.pdf")
    phone.locator("#act-submit button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("待核验")
    fits_phone(phone)
    shot(phone, "security-submitted-390")
    posture = SecurityPosture.objects.get()
    assert posture.status == "submitted"

    desk = browse.page("district_officer", DESKTOP)
    desk.goto(f"/security-postures/{posture.pk}/")
    shot(desk, "security-verify-1280")
    desk.locator("#act-verify button[type=submit]").click()
    expect(desk.locator("main")).to_contain_text("已核验")
    desk.goto("/security-postures/")
    expect(desk.locator("main")).to_contain_text("梁子湖高级中学")
    shot(desk, "security-list-1280")
    posture.refresh_from_db()
    assert posture.status == "verified"
    assert browse.problems == []
