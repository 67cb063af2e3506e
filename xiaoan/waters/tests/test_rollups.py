"""This year's patrols that found a problem are a rollup the patrol service keeps
(xiaoan.waters.tallies): the figure equals a count of the records, and the nightly recount
agrees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.reports import rollups
from xiaoan.reports.services import dashboard
from xiaoan.waters.models import SEASON_MONTHS, WaterPatrol
from xiaoan.waters.tallies import KIND
from xiaoan.waters.tests.support import SCHOOL_A, SCHOOL_B, days, make, patrol

pytestmark = pytest.mark.django_db


def live(unit=None) -> int:
    start = dt.date(timezone.localdate().year, SEASON_MONTHS.start, 1)
    rows = WaterPatrol.objects.filter(problem=True, patrolled_on__gte=start)
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    return rows.count()


def shown(user, unit=None) -> int:
    section = dashboard(user, unit.pk if unit else None).sections_by_key["waters"]
    return next(f.value for f in section.figures if f.key == "problems")


def test_the_problem_patrols_follow_the_records(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    pond = make(officer, units[SCHOOL_A])
    river = make(district, units[SCHOOL_B], name="河沟")
    assert shown(district) == live() == 0
    patrol(officer, pond, findings="护栏破损", problem=True)
    patrol(officer, pond)  # nothing found
    patrol(district, river, findings="警示牌缺失", signs_ok=False)  # a missing sign is one
    assert shown(district) == live() == 2
    assert shown(officer, units[SCHOOL_A]) == live(units[SCHOOL_A]) == 1
    if timezone.localdate().month > SEASON_MONTHS.start:  # before this season: not this year's
        early = dt.date(timezone.localdate().year, SEASON_MONTHS.start, 1) - dt.timedelta(1)
        if early >= days(-366):
            patrol(officer, pond, patrolled_on=early, findings="水位上涨", problem=True)
    assert shown(district) == live() == 2
    assert rollups.reconcile(KIND) == 0
