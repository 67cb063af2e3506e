"""Duty record review at phone size (390×844): the district sees a school's stage report
waiting in the overview and its 待审核 list, returns it with a reason from the record page,
and the school sees the reason; the overview stays inside the screen.

Screenshots go to $XIAOAN_SHOTS when it is set."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def _waiting_drill() -> int:
    """School A's quarterly stage report of the district's built-in duty, with a record
    waiting."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xiaoan.accounts.models import User
    from xiaoan.duties import services
    from xiaoan.duties.demo import load_duties
    from xiaoan.duties.models import Obligation

    load_duties()
    ob = Obligation.objects.get(duty__builtin_code="stage_report", unit__name="梁子湖高级中学")
    services.submit_record(
        User.objects.get(username="school_a_officer"),
        ob.pk,
        evidence=SimpleUploadedFile("第四季度报告.pdf", b"%PDF-1.4 report"),
        note="第四季度",
    )
    return ob.pk


def test_the_district_returns_a_waiting_record_on_a_phone(browse):
    pk = _waiting_drill()
    page = browse.page("district_officer", PHONE)
    page.goto("/duties/obligations/overview/")
    expect(page.locator("#duties-overview")).to_contain_text("待审 1")
    fits_phone(page)
    shot(page, "duties-overview-review-390")

    page.goto("/duties/obligations/")
    page.locator("#review-queue").click()
    page.get_by_role("link", name="季度末阶段性工作报告").first.click()
    expect(page.locator("main")).to_contain_text("待审核")
    page.get_by_role("button", name="退回").click()
    page.get_by_label("退回理由").fill("缺少签到表")
    shot(page, "duties-review-return-390")
    page.locator("#act-send_back button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("退回理由：缺少签到表")

    school = browse.page("school_a_officer", PHONE)
    school.goto(f"/duties/obligations/{pk}/")
    expect(school.locator("main")).to_contain_text("已退回")
    expect(school.locator("main")).to_contain_text("缺少签到表")
    shot(school, "duties-returned-390")
