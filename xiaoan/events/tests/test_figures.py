"""大型活动 on the dashboard (its counters equal counts of the records) and on the home page
(events within 7 days without a sign-off)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.core.todos import todos_for
from xiaoan.events.models import Event
from xiaoan.events.registers import EVENTS
from xiaoan.events.tests.support import SCHOOL_A, SCHOOL_B, days, make
from xiaoan.reports.figures import Scope, tallied

pytestmark = pytest.mark.django_db
DISTRICT = "梁子湖区教育局"


def _events(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    a, b = units[SCHOOL_A], units[SCHOOL_B]
    make(officer, a, name="近期", starts_on=days(3), ends_on=None)
    make(officer, a, name="月内", starts_on=days(25), ends_on=None)
    make(officer, a, name="远期", starts_on=days(90), ends_on=None)
    make(officer, a, name="已办", starts_on=days(-10), ends_on=None)
    signed = make(officer, a, name="已签", starts_on=days(-20), ends_on=None)
    Event.objects.filter(pk=signed.pk).update(signed_off_at=timezone.now())
    make(district, b, name="东沟", starts_on=days(6), ends_on=None)
    make(district, b, name="东沟已办", starts_on=days(-2), ends_on=None)
    # The direct update skipped the recount: recount as the nightly job would.
    from xiaoan.reports import rollups

    rollups.rebuild(EVENTS.tally_kind)


def test_the_dashboard_counts_equal_the_records(client_for, persona, units):
    _events(persona, units)
    today = timezone.localdate()
    scope = Scope(persona("district_officer"), units[DISTRICT], True, today)
    totals = tallied(scope, EVENTS)
    live = Event.objects.filter(retired_at__isnull=True)
    month = today + dt.timedelta(days=30)
    assert totals["total"] == live.count() == 7
    assert totals["upcoming"] == live.filter(starts_on__range=(today, month)).count() == 3
    assert (
        totals["upcoming_unsigned"]
        == live.filter(starts_on__range=(today, month), signed_off_at__isnull=True).count()
        == 3
    )
    assert (
        totals["missed"]
        == live.filter(starts_on__lt=today, signed_off_at__isnull=True).count()
        == 2
    )
    page = client_for("district_officer").get(reverse("reports:dashboard"))
    body = page.content.decode()
    assert page.status_code == 200 and "大型活动" in body and "未签批即举办" in body
    school = client_for("school_a_officer").get(reverse("reports:dashboard")).content.decode()
    assert "30天内举办未签批" in school


def test_the_ranking_compares_events_without_sign_off(persona, units):
    from xiaoan.reports.services import dashboard

    _events(persona, units)
    board = dashboard(persona("district_officer"), units[DISTRICT].pk)
    section = next(s for s in board.sections if s.key == "events")
    found = {f.key: f for f in section.figures}
    assert found["missed"].value == 2 and found["missed"].bad
    assert "signoff=missed" in found["missed"].url
    assert sum(v.get("missed", 0) for v in section.branches.values()) == 2
    assert sum(v.get("upcoming_unsigned", 0) for v in section.branches.values()) == 3
    mine = dashboard(persona("school_a_officer"), units[SCHOOL_A].pk)
    own = {f.key: f.value for s in mine.sections if s.key == "events" for f in s.figures}
    assert own == {"upcoming": 2, "upcoming_unsigned": 2, "missed": 1}
    teacher = dashboard(persona("school_b_teacher"), units[SCHOOL_B].pk)
    assert "events" not in {s.key for s in teacher.sections}


def test_it_puts_events_within_a_week_without_sign_off_on_the_home_page(persona, units):
    _events(persona, units)
    todos = {t.key: t for t in todos_for(persona("school_a_officer"))}
    assert todos["events.signoff"].count == 1  # 近期 (3 days); 月内 is weeks away
    assert "signoff=soon" in todos["events.signoff"].url
    assert "events.signoff" not in {t.key for t in todos_for(persona("school_b_teacher"))}
    # A bureau's officer supervises; the schools' own people sign off.
    assert "events.signoff" not in {t.key for t in todos_for(persona("district_officer"))}


def test_the_demo_loads_events_once(persona, units):
    from xiaoan.events.demo import load_events

    assert load_events() == 6
    assert load_events() == 0
    assert Event.objects.filter(signed_off_at__isnull=False).count() == 1
