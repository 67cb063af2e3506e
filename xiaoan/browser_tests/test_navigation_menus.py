"""The grouped navigation: at 1280 px the bar keeps to one line and a menu opens its pages; on
a phone the same menus open inside the collapsed navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, shot

pytestmark = pytest.mark.browser


def test_the_menus_open_their_pages_on_desktop_and_phone(browse):
    page = browse.page("district_officer", DESKTOP)
    page.goto("/")
    bar = page.locator("#mainnav > ul.navbar-nav.me-auto")
    assert bar.bounding_box()["height"] < 60  # one line, not two
    page.get_by_role("button", name="宣传教育").click()
    page.get_by_role("link", name="应急演练").click()
    expect(page.get_by_role("heading", name="应急演练", exact=True)).to_be_visible()
    expect(page.locator(".nav-link.dropdown-toggle.active")).to_have_text("宣传教育")
    shot(page, "nav-menus-1280")
    page = browse.page("district_officer", PHONE)
    page.goto("/")
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("button", name="单位人员").click()
    page.get_by_role("link", name="人员与授权").click()
    expect(page).to_have_url("/accounts/users/")
    shot(page, "nav-menus-390")
