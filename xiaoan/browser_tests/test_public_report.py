"""A parent reports a hazard from a phone (390×844), no account: the school's public page
(the QR code's address), a category, the description, a photo taken with the camera input and
a phone number; the receipt code shown once; the status page by that code; the school's
officer then sees the report with its photo. No console or CSP errors on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import PHONE, fits_phone, jpeg, shot

pytestmark = pytest.mark.browser


def test_it_takes_a_public_report_from_a_phone(browse, settings):
    from xiaoan.orgs.models import Unit
    from xiaoan.publicreports import services
    from xiaoan.publicreports.models import PublicReport

    settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS = 1
    school = Unit.objects.get(name="梁子湖高级中学", kind="school")
    channel = services.ensure_channel(school)

    page = browse.page(None, PHONE)
    page.goto(f"/p/{channel.token}/")
    expect(page.get_by_role("heading", name="安全隐患举报")).to_be_visible()
    expect(page.locator("#school-name")).to_have_text("梁子湖高级中学")
    photos = page.get_by_label("照片（最多 3 张，可不传）")
    expect(photos).to_have_attribute("accept", "image/*")
    expect(photos).to_have_attribute("capture", "environment")
    expect(page.get_by_label("请勿填写")).not_to_be_in_viewport()
    fits_phone(page)
    shot(page, "public-report-390")

    page.get_by_label("问题类别").select_option(label="消防")
    page.get_by_label("问题描述").fill("教学楼三楼消防通道堆放桌椅，电话13812345678")
    page.get_by_label("地点").fill("教学楼三楼东侧")
    photos.set_input_files(jpeg())
    page.get_by_label("您的联系电话（可不填）").fill("139 1234 5678")
    page.wait_for_timeout(1100)  # the form's least fill time
    page.get_by_role("button", name="提交举报").click()

    expect(page.get_by_role("heading", name="举报已提交，谢谢您！")).to_be_visible()
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{10}", receipt)
    fits_phone(page)
    shot(page, "public-report-done-390")
    report = PublicReport.objects.get(unit=school)
    assert report.phone == "13912345678" and "13812345678" not in report.description
    assert report.photos.count() == 1

    page.get_by_role("link", name="查询处理进度").click()
    page.get_by_label("回执码").fill(receipt.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#receipt-status")).to_have_text("已收到，待学校确认")
    fits_phone(page)
    shot(page, "public-receipt-390")

    staff = browse.page("school_a_officer", PHONE)
    staff.goto(f"/public-reports/{report.pk}/")
    expect(staff.locator("#report-phone")).to_have_text("13912345678")
    expect(staff.locator("#report-photos img")).to_have_count(1)
    fits_phone(staff)
