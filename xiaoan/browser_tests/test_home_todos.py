"""The home page tells each person what waits for them (390×844 and 1280×900): the owner
taps a to-do and lands on their hazards; a teacher reaches 随手拍 in one tap."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def _assigned_hazard():
    import datetime as dt

    from django.utils import timezone

    from xiaoan.accounts.models import User
    from xiaoan.hazards import services
    from xiaoan.hazards.choices import HazardLevel
    from xiaoan.hazards.tests.pages_support import jpeg
    from xiaoan.orgs.models import Unit

    officer = User.objects.get(username="school_a_officer")
    hazard = services.report(
        officer,
        Unit.objects.get(name="梁子湖高级中学"),
        description="三号宿舍楼安全出口堵塞",
        photos=[jpeg()],
    )
    services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL)
    services.assign(
        officer,
        hazard.pk,
        owner_unit=Unit.objects.get(name="总务处"),
        owner=User.objects.get(username="school_a_owner"),
        measures="清理出口",
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    return hazard


def test_it_leads_the_owner_from_home_to_the_hazard_on_a_phone(browse):
    hazard = _assigned_hazard()
    hazard.refresh_from_db()
    for size, viewport in (("390", PHONE), ("1280", DESKTOP)):
        page = browse.page("school_a_owner", viewport)
        page.goto("/")
        todo = page.locator('[data-todo="hazards.rectify"]')
        expect(todo).to_be_visible()
        if viewport is PHONE:
            fits_phone(page)
        shot(page, f"home-owner-{size}")
    todo.get_by_role("link").click()
    expect(page.get_by_role("link", name=hazard.number)).to_be_visible()


def test_it_puts_the_snapshot_one_tap_from_a_teachers_home(browse):
    page = browse.page("school_b_teacher", PHONE)
    page.goto("/")
    page.get_by_role("link", name="随手拍：上报隐患").click()
    expect(page).to_have_url(re.compile(r"/hazards/report/$"))
    shot(page, "home-teacher-390")
