"""The phone header (390×844): the unread count and 随手拍 without opening the menu."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, shot

pytestmark = pytest.mark.browser


def test_it_shows_the_unread_count_and_reports_from_the_phone_header(browse):
    from xiaoan.accounts.models import User
    from xiaoan.notifications.services import grouped, notify

    teacher = User.objects.get(username="school_b_teacher")
    notify([teacher], "assigned", "新的整改任务：YH-1", "清理杂物", "/hazards/my/")
    with grouped():  # one action telling of three assignments: one notice
        for unit in ("东沟镇中心小学", "太和镇中心学校", "梁子镇初级中学"):
            notify([teacher], "assigned", "新的工作任务：安全方案", f"{unit} 承办 1 项任务", "/")

    page = browse.page("school_b_teacher", PHONE)
    page.goto("/")
    header = page.locator("#phone-shortcuts")
    inbox = header.get_by_role("link", name="消息提醒，2 条未读")
    expect(inbox).to_be_visible()
    expect(inbox).to_have_text(re.compile(r"^消息\s*2$"))
    expect(page.get_by_role("button", name="菜单")).to_be_visible()  # the menu stays shut
    expect(page.locator("#mainnav")).to_be_hidden()
    box = inbox.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]
    shot(page, "phone-home-390")

    # 随手拍 from a page that has no button of its own (the inbox), then the report form.
    inbox.click()
    expect(page.get_by_role("heading", name="消息")).to_be_visible()
    page.get_by_text("共 3 条，展开查看").click()
    expect(page.get_by_role("link", name="新的工作任务：安全方案")).to_have_count(4)
    shot(page, "phone-inbox-390")
    header.get_by_role("link", name="随手拍").click()
    expect(page.get_by_role("heading", name="随手拍")).to_be_visible()
    # On the report page itself, and on pages with their own button, the header has none.
    expect(header.get_by_role("link", name="随手拍")).to_have_count(0)
    page.goto("/hazards/my/")
    expect(page.get_by_role("link", name="随手拍")).to_have_count(1)

    desk = browse.page("school_b_teacher", DESKTOP)
    desk.goto("/notifications/")
    expect(desk.locator("#phone-shortcuts")).to_be_hidden()
    shot(desk, "desktop-inbox-1280")


def test_it_offers_no_report_button_to_who_may_not_report(browse):
    page = browse.page("auditor", PHONE)
    page.goto("/")
    header = page.locator("#phone-shortcuts")
    expect(header.get_by_role("link", name="消息提醒")).to_be_visible()
    expect(header.get_by_role("link", name="随手拍")).to_have_count(0)
