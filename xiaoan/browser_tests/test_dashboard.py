"""一张图 at desktop and phone size: the district's figures and ranking, a click through to a
school's own dashboard, nothing wider than the phone, no console or CSP errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def test_it_shows_the_district_and_leads_to_a_school(browse):
    for size, viewport in (("1280", DESKTOP), ("390", PHONE)):
        page = browse.page("district_officer", viewport)
        page.goto("/")
        if viewport is PHONE:
            page.get_by_role("button", name="菜单").click()
        page.get_by_role("link", name="一张图").click()
        expect(page.get_by_role("heading", name="梁子湖区教育局 · 一张图")).to_be_visible()
        expect(page.locator("#ranking")).to_be_visible()
        if viewport is PHONE:
            fits_phone(page)
        shot(page, f"dashboard-district-{size}")
    page.locator("#ranking").get_by_role("link", name="梁子湖高级中学").click()
    expect(page.get_by_role("heading", name="梁子湖高级中学 · 一张图")).to_be_visible()
    shot(page, "dashboard-school-390")
