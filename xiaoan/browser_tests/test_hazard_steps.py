"""Phone journeys of issue 11 (hazards): the school confirms and assigns in one step; the
bureau's officer is offered supervision, not the school's rectification."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, shot

pytestmark = pytest.mark.browser


def test_it_confirms_and_assigns_in_one_step_on_a_phone(browse):
    from xiaoan.accounts.models import User
    from xiaoan.hazards import services
    from xiaoan.hazards.models import Hazard
    from xiaoan.orgs.models import Unit

    school = Unit.objects.get(name="梁子湖高级中学")
    officer = User.objects.get(username="school_a_officer")
    hazard = services.report(officer, school, description="图书馆二楼应急灯不亮")
    page = browse.page("school_a_officer", PHONE)
    page.goto(f"/hazards/{hazard.pk}/")
    header = page.get_by_role("heading", name="确认并交办整改", exact=True).get_by_role("button")
    expect(header).to_have_attribute("aria-expanded", "true")  # opened first
    form = page.locator("#act-confirm_assign form")
    form.get_by_label("整改措施").fill("更换应急灯电池并试亮")
    form.get_by_label("整改期限").fill("2099-06-30")
    shot(page, "confirm-assign-390")
    form.get_by_role("button", name="确认并交办整改").click()
    expect(page.locator(".badge.status-assigned")).to_have_text("待整改")
    expect(page.get_by_text(re.compile("待确认 → 待交办"))).to_be_visible()
    expect(page.get_by_text(re.compile("待交办 → 待整改"))).to_be_visible()
    assert Hazard.objects.get(pk=hazard.pk).status == "assigned"
    shot(page, "assigned-history-390")
    wide = browse.page("school_a_officer", DESKTOP)
    wide.goto(f"/hazards/{hazard.pk}/")
    shot(wide, "assigned-history-1280")

    # The bureau's officer: supervision offered and opened, no rectification step.
    bureau = browse.page("district_officer", PHONE)
    bureau.goto(f"/hazards/{hazard.pk}/")
    expect(bureau.get_by_role("heading", name="挂牌督办", exact=True)).to_be_visible()
    expect(bureau.get_by_role("heading", name="开始整改")).to_have_count(0)
    expect(bureau.get_by_role("heading", name="提交验收")).to_have_count(0)
    expect(bureau.locator("#act-supervise")).to_have_class(re.compile("show"))
    shot(bureau, "bureau-390")
    bureau_wide = browse.page("district_officer", DESKTOP)
    bureau_wide.goto(f"/hazards/{hazard.pk}/")
    shot(bureau_wide, "bureau-1280")
