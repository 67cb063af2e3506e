"""The home page's to-dos, the dashboard figure and the smoke-alarm indicator from the
detector records, and the demo."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoan.core.todos import todos_for
from xiaoan.fireassets.indicators import smoke_alarm_coverage
from xiaoan.fireassets.models import FireAsset
from xiaoan.fireassets.tests.support import SCHOOL_A, SCHOOL_B, check, days, make, place

pytestmark = pytest.mark.django_db


def test_an_asset_not_checked_this_month_is_on_the_todos(persona, units):
    officer = persona("school_a_officer")
    one = make(officer, units[SCHOOL_A])
    make(officer, units[SCHOOL_A], code="MHQ-02", expires_on=days(10))
    todos = {t.key: t for t in todos_for(officer)}
    assert todos["fireassets.unchecked"].count == 2
    assert todos["fireassets.due"].count == 1  # the expiry within 30 days
    check(officer, (one, "ok"))
    assert {t.key: t for t in todos_for(officer)}["fireassets.unchecked"].count == 1
    # Checked last month only: unchecked again.
    import datetime as dt

    from xiaoan.fireassets.models import month_start

    FireAsset.objects.update(last_checked_on=month_start() - dt.timedelta(days=1))
    # A new month: the nightly recount counts the month's unchecked anew.
    from xiaoan.fireassets.registers import FIRE_ASSETS
    from xiaoan.reports import rollups

    assert rollups.reconcile(FIRE_ASSETS.tally_kind)  # the unit and its superiors
    assert {t.key: t for t in todos_for(persona("school_a_officer"))}[
        "fireassets.unchecked"
    ].count == 2
    keys = {t.key for t in todos_for(persona("auditor"))}
    assert "fireassets.unchecked" not in keys


def test_the_dashboard_shows_assets_expired_unchecked_and_failed(client_for, persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A], produced_on=days(-3000), expires_on=days(-1))
    good = make(officer, units[SCHOOL_A], code="MHQ-02")
    check(officer, (good, "failed", "压力不足"))
    from xiaoan.fireassets.figures import fire_asset_section
    from xiaoan.reports.figures import Scope

    def scope_of(name):
        return Scope(persona(name), units[SCHOOL_A], False, timezone.localdate())

    scope = scope_of("district_officer")
    section = fire_asset_section(scope)
    figures = {f.key: f.value for f in section.figures}
    assert figures == {"total": 2, "expired": 1, "unchecked": 1, "failed": 1}
    assert fire_asset_section(scope_of("school_b_teacher")) is None


def test_smoke_alarm_coverage_counts_buildings_with_a_working_detector(persona, units):
    officer = persona("school_a_officer")
    school = units[SCHOOL_A]
    teaching = place(school, "教学楼")
    dorm = place(school, "宿舍楼")
    place(school, "食堂")
    place(school, "操场", "area")
    room = place(school, "101", "room", place(school, "一层", "floor", teaching))
    make(officer, school, kind="detector", code="YG-1", asset_type="smoke", place=room)
    make(officer, school, kind="detector", code="WG-1", asset_type="heat", place=dorm)
    make(
        officer,
        school,
        kind="detector",
        code="YG-2",
        asset_type="smoke",
        place=dorm,
        produced_on=days(-3000),
        expires_on=days(-1),
    )
    values = smoke_alarm_coverage([school, units[SCHOOL_B]], timezone.localdate().year)
    assert str(values[school.pk]) == "33.33"  # 1 of 3 buildings
    assert values[units[SCHOOL_B].pk] is None  # no buildings on file


def test_the_demo_fills_the_register_once(persona):
    from xiaoan.fireassets.demo import load_fire_assets
    from xiaoan.hazards.models import Hazard

    made = load_fire_assets()
    assert made > 20 and load_fire_assets() == 0
    assert FireAsset.objects.filter(kind="station").count() == 3
    assert Hazard.objects.filter(subject_id__in=FireAsset.objects.values("pk")).count() == 1
