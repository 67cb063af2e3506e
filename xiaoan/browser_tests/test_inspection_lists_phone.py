"""The checklist library and the schedule list at phone size (390×844) are cards that stay
inside the screen; at 1280 px they are tables.

Screenshots of each page at 390 and 1280 px go to $XIAOAN_SHOTS when it is set."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def _schedule() -> None:
    from xiaoan.accounts.models import User
    from xiaoan.inspections import schedules
    from xiaoan.inspections.models import ChecklistTemplate
    from xiaoan.orgs.models import Unit

    officer = User.objects.get(username="district_officer")
    schedules.create_schedule(
        officer,
        name="秋季学期校长带队安全检查",
        kind="self_check",
        checklist=ChecklistTemplate.objects.filter(owner_unit__isnull=True).order_by("pk").first(),
        organiser=Unit.objects.get(name="梁子湖区教育局"),
        recurrence="quarterly",
        day=1,
        days_allowed=30,
    )


def test_it_shows_checklists_and_schedules_as_cards_on_a_phone(browse):
    _schedule()
    lists = {
        "checklists": ("/inspections/checklists/", "#checklist-cards"),
        "schedules": ("/inspections/schedules/", "#schedule-cards"),
    }
    for size, viewport in (("390", PHONE), ("1280", DESKTOP)):
        page = browse.page("district_officer", viewport)
        for name, (url, cards) in lists.items():
            page.goto(url)
            expect(page.locator("main h1")).to_be_visible()
            if viewport is PHONE:
                expect(page.locator(f"{cards} .card").first).to_be_visible()
                expect(page.locator("main table").first).to_be_hidden()
                fits_phone(page)
            else:
                expect(page.locator(cards)).to_be_hidden()
                expect(page.locator("main table").first).to_be_visible()
            shot(page, f"{name}-{size}")
    page = browse.page("district_officer", PHONE)
    page.goto("/inspections/schedules/")
    card = page.locator("#schedule-cards .card", has_text="秋季学期校长带队安全检查")
    expect(card).to_contain_text("每季度")
    expect(card.get_by_role("button", name="立即生成本期")).to_be_visible()
