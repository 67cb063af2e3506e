"""The inspection condition an alert rule may watch: a self-check not done by its due date."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.alerts.conditions import conditions
from xiaoan.inspections.choices import InspectionKind, InspectionStatus
from xiaoan.inspections.models import ChecklistVersion, Inspection
from xiaoan.inspections.tests.support import checklist
from xiaoan.orgs.testing import two_districts

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

TODAY = dt.date(2026, 12, 6)
CODE = "self_check_overdue"


@pytest.fixture
def tree(units):
    return two_districts(units)


@pytest.fixture
def make(checklist):
    version = ChecklistVersion.objects.filter(template=checklist).first()

    def make(unit, due, *, scheduled=None, kind=InspectionKind.SELF_CHECK, **fields):
        return Inspection.objects.create(
            kind=kind,
            title=f"{unit.name}月度自查",
            unit=unit,
            organiser=unit,
            checklist=version,
            scheduled_on=scheduled or (due or TODAY) - dt.timedelta(days=5),
            due_on=due,
            **fields,
        )

    return make


def find(within, today=TODAY, **thresholds):
    return list(conditions()[CODE].find(today, thresholds, within))


def keys(findings):
    return {f.key for f in findings}


def test_it_finds_self_checks_not_done_by_their_due_date(tree, make):
    late = make(tree.school_a, TODAY - dt.timedelta(days=1))
    begun = make(tree.school_a, TODAY - dt.timedelta(days=3), status=InspectionStatus.IN_PROGRESS)
    undated = make(tree.school_a, None, scheduled=TODAY - dt.timedelta(days=2))
    make(tree.school_a, TODAY)  # due today: not late yet
    make(tree.school_a, TODAY - dt.timedelta(days=3), status=InspectionStatus.SUBMITTED)
    make(tree.school_a, TODAY - dt.timedelta(days=3), kind=InspectionKind.SUPERVISION)
    found = find(tree.district_a.path)
    assert keys(found) == {f"inspection:{i.pk}" for i in (late, begun, undated)}
    row = next(f for f in found if f.key == f"inspection:{late.pk}")
    assert row.unit_id == tree.school_a.pk
    assert row.period == "2026-12-05+1"
    assert row.title == "自查逾期未完成：梁子湖高级中学月度自查"
    assert late.number in row.detail and "已逾期 1 天" in row.detail
    assert row.url == f"/inspections/{late.pk}/"
    assert next(f for f in found if f.key == f"inspection:{undated.pk}").period == "2026-12-04+1"


def test_it_repeats_weekly_or_once(tree, make):
    make(tree.school_a, TODAY - dt.timedelta(days=7))
    assert find(tree.district_a.path)[0].period == "2026-11-29+1"
    assert find(tree.district_a.path, TODAY + dt.timedelta(days=1))[0].period == "2026-11-29+2"
    assert find(tree.district_a.path, repeat_days=0)[0].period == "2026-11-29+1"
    assert find(tree.district_a.path, repeat_days=3)[0].period == "2026-11-29+3"


def test_it_finds_only_the_subtree_and_the_same_keys_twice(tree, make):
    a = make(tree.school_a, TODAY - dt.timedelta(days=2))
    b = make(tree.school_b, TODAY - dt.timedelta(days=2))
    assert keys(find(tree.district_a.path)) == {f"inspection:{a.pk}"}
    assert keys(find(tree.district_b.path)) == {f"inspection:{b.pk}"}
    first = [(f.key, f.period) for f in find(tree.city.path)]
    assert first == [(f.key, f.period) for f in find(tree.city.path)] and len(first) == 2


def test_it_reads_in_one_query_whatever_the_number(tree, make):
    make(tree.school_a, TODAY - dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as few:
        assert len(find(tree.city.path)) == 1
    for _ in range(12):
        make(tree.school_b, TODAY - dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as many:
        assert len(find(tree.city.path)) == 13
    assert len(few) == len(many) == 1
