"""The drills' condition an alert rule may watch: a school with no drill this semester."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.alerts.conditions import conditions
from xiaoan.drills.choices import DrillStatus
from xiaoan.drills.models import Drill
from xiaoan.orgs.models import Unit
from xiaoan.orgs.testing import two_districts

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)  # semester 2026-08-01 – 2027-01-31, week 18
CODE = "no_drill_this_semester"


@pytest.fixture
def tree(units):
    return two_districts(units)


@pytest.fixture
def make(persona):
    who = persona("school_a_officer")

    def make(unit, held_on, status=DrillStatus.EVALUATED):
        return Drill.objects.create(
            unit=unit,
            kind="fire_evacuation",
            title="消防疏散演练",
            planned_on=held_on,
            organiser="王校长",
            created_by=who,
            status=status,
            held_on=None if status == DrillStatus.PLANNED else held_on,
        )

    return make


def find(within, today=TODAY, **thresholds):
    return list(conditions()[CODE].find(today, thresholds, within))


def keys(findings):
    return {f.key for f in findings}


def schools_under(unit):
    return set(Unit.objects.filter(path__startswith=unit.path, kind="school"))


def test_it_finds_the_schools_with_no_drill_held_this_semester(tree, units, make):
    other = units["东沟镇中心小学"]
    make(other, dt.date(2026, 10, 9))  # held this semester
    make(units["总务处"], dt.date(2026, 9, 20), DrillStatus.RECORDED)  # a department of A
    make(units["太和镇中心学校"], dt.date(2026, 6, 1))  # last semester: does not count
    make(units["沼山镇中心学校"], dt.date(2026, 11, 1), DrillStatus.PLANNED)  # not held
    found = find(tree.district_a.path)
    expected = schools_under(tree.district_a) - {other, tree.school_a}
    assert keys(found) == {f"school:{s.pk}" for s in expected}
    row = next(f for f in found if f.key == f"school:{units['太和镇中心学校'].pk}")
    assert row.unit_id == units["太和镇中心学校"].pk
    assert row.period == "2026-autumn"
    assert row.title == "本学期未开展应急演练：太和镇中心学校"
    assert "2026—2027学年秋季学期" in row.detail and "已 18 周" in row.detail
    assert row.url == f"/drills/?unit={units['太和镇中心学校'].pk}"


def test_it_waits_the_threshold_weeks_into_the_semester(tree):
    assert find(tree.district_b.path, weeks=19) == []
    assert keys(find(tree.district_b.path, weeks=18)) == {f"school:{tree.school_b.pk}"}
    # Spring: from 2027-02-01, eight weeks by default.
    assert find(tree.district_b.path, dt.date(2027, 3, 28)) == []
    (spring,) = find(tree.district_b.path, dt.date(2027, 3, 29))
    assert spring.period == "2027-spring"
    # January still belongs to the autumn semester.
    assert find(tree.district_b.path, dt.date(2027, 1, 31))[0].period == "2026-autumn"


def test_it_finds_only_the_subtree_and_the_same_keys_twice(tree):
    assert keys(find(tree.district_b.path)) == {f"school:{tree.school_b.pk}"}
    assert f"school:{tree.school_b.pk}" not in keys(find(tree.district_a.path))
    assert keys(find(tree.school_b.path)) == {f"school:{tree.school_b.pk}"}
    first = [(f.key, f.period) for f in find(tree.city.path)]
    assert first == [(f.key, f.period) for f in find(tree.city.path)]
    assert len(first) == len(schools_under(tree.city))


def test_it_reads_in_two_queries_whatever_the_number(tree, units, make):
    with CaptureQueriesContext(connection) as few:
        find(tree.city.path)
    for name in ("东沟镇中心小学", "太和镇中心学校", "梁子湖高级中学"):
        for day in (3, 4, 5):
            make(units[name], dt.date(2026, 10, day))
    for n in range(5):
        Unit.objects.add_child(
            Unit.objects.get(pk=tree.district_b.pk),
            instance=Unit(name=f"华容区新学校{n}", kind="school", school_type="primary"),
        )
    with CaptureQueriesContext(connection) as many:
        found = find(tree.city.path)
    assert len(found) == len(schools_under(tree.city)) - 3
    assert len(few) == len(many) == 2
