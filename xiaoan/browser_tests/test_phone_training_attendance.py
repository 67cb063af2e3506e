"""The organiser marks a training's attendance on a phone (390×844): search the people of
the covered units, tick one, tick all of those a search shows, save in one request; the
session's page then lists them. No console or CSP errors on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def test_it_marks_attendance_on_a_phone(browse):
    from xiaoan.accounts.models import User
    from xiaoan.core import registers
    from xiaoan.orgs.models import Unit
    from xiaoan.training.models import Attendance
    from xiaoan.training.registers import TRAININGS

    officer = User.objects.get(username="school_a_officer")
    school = Unit.objects.get(name="梁子湖高级中学")
    session = registers.create(
        TRAININGS,
        officer,
        {
            "unit": school,
            "name": "消防安全知识培训",
            "domain": "fire",
            "held_on": "2026-01-05",
            "trainer": "李教官",
            "hours": 2,
        },
    )
    page = browse.page("school_a_officer", PHONE)
    page.goto(f"/training/{session.pk}/attendance/")
    fits_phone(page)
    people = page.locator("[data-person]")
    total = people.count()
    assert total >= 3
    expect(page.locator("#attendance-checked")).to_have_text("0")

    page.get_by_placeholder("搜索姓名、单位或职务").fill("王校长")
    expect(page.locator("[data-person]:not(.d-none)")).to_have_count(1)
    page.get_by_label("王校长").check()
    expect(page.locator("#attendance-checked")).to_have_text("1")
    page.get_by_placeholder("搜索姓名、单位或职务").fill("总务处")
    page.get_by_role("button", name="全选").click()
    expect(page.locator("#attendance-checked")).to_have_text("2")
    page.get_by_placeholder("搜索姓名、单位或职务").fill("")
    expect(page.locator("[data-person]:not(.d-none)")).to_have_count(total)
    fits_phone(page)
    shot(page, "training-attendance-390")

    page.get_by_role("button", name="保存点名").click()
    expect(page).to_have_url(re.compile(rf"/training/{session.pk}/$"))
    expect(page.locator("#attendee-count")).to_have_text("2")
    fits_phone(page)
    names = set(Attendance.objects.filter(session=session).values_list("name", flat=True))
    assert names == {"王校长", "周总务"}
