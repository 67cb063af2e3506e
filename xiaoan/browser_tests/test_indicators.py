"""Indicators at phone and desktop size: the district's list (red where behind) and an
indicator's units one level down stay inside the screen; a school reports a value from its
phone and the district accepts it, after which it counts. No console or CSP errors.

Screenshots go to $XIAOAN_SHOTS when it is set."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def test_a_school_reports_and_the_district_accepts(browse):
    from django.utils import timezone

    year = timezone.localdate().year
    for size, viewport in (("1280", DESKTOP), ("390", PHONE)):
        page = browse.page("district_officer", viewport)
        page.goto("/indicators/")
        expect(
            page.get_by_role("heading", name=f"梁子湖区教育局 · {year} 年度指标")
        ).to_be_visible()
        expect(page.locator('[data-indicator="safety-spending"]')).to_contain_text("未填报")
        if viewport is PHONE:
            fits_phone(page)
        shot(page, f"indicators-district-{size}")
        page.get_by_role("link", name="生均安全经费投入").click()
        expect(page.locator("#branch-table")).to_contain_text("梁子湖高级中学")
        if viewport is PHONE:
            fits_phone(page)
            # The units' table itself is readable without scrolling sideways.
            width = page.evaluate("document.querySelector('#branch-table').scrollWidth")
            assert width <= PHONE["width"], f"the units table is {width}px wide"
        shot(page, f"indicator-detail-district-{size}")

    school = browse.page("school_a_officer", PHONE)
    school.goto("/indicators/")
    school.get_by_role("link", name="生均安全经费投入").click()
    school.get_by_role("link", name="填报", exact=True).click()
    school.get_by_label("填报值").fill("72")
    school.get_by_label("佐证说明").fill("2026 年安全经费预算批复")
    fits_phone(school)
    shot(school, "indicator-report-390")
    school.get_by_role("button", name="提交").click()
    expect(school.locator("#value-status")).to_have_text("待审核")

    page = browse.page("district_officer", PHONE)
    page.goto("/indicators/values/?status=review")
    page.get_by_role("link", name="生均安全经费投入").click()
    fits_phone(page)
    shot(page, "indicator-review-390")
    page.locator("#value-actions button[type=submit]").first.click()
    expect(page.locator("#value-status")).to_have_text("已通过")
    page.goto("/indicators/")
    card = page.locator('[data-indicator="safety-spending"]')
    expect(card).to_contain_text("72")
    shot(page, "indicators-after-accept-390")
