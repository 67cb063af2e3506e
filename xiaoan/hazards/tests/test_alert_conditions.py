"""The hazard conditions an alert rule may watch: due soon and overdue, scoped to a subtree."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.alerts.conditions import conditions
from xiaoan.hazards.choices import HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.orgs.testing import two_districts

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
_serial = iter(range(1, 100000))


@pytest.fixture
def tree(units):
    return two_districts(units)


@pytest.fixture
def make(persona):
    finder = persona("school_a_officer")

    def make(unit, deadline, status=HazardStatus.RECTIFYING, **fields):
        return Hazard.objects.create(
            unit=unit,
            number=f"T-{next(_serial)}",
            description="楼梯扶手松动",
            source="self_check",
            finder=finder,
            status=status,
            deadline=deadline,
            **fields,
        )

    return make


def find(code, within, today=TODAY, **thresholds):
    return list(conditions()[code].find(today, thresholds, within))


def keys(findings):
    return {f.key for f in findings}


def test_it_finds_open_hazards_due_within_the_threshold(tree, make):
    today_due = make(tree.school_a, TODAY)
    in_three = make(tree.school_a, TODAY + dt.timedelta(days=3))
    make(tree.school_a, TODAY + dt.timedelta(days=4))  # beyond the default 3 days
    make(tree.school_a, TODAY + dt.timedelta(days=1), status=HazardStatus.CLOSED)
    make(tree.school_a, TODAY - dt.timedelta(days=1))  # overdue, not due soon
    make(tree.school_a, None, status=HazardStatus.REPORTED)  # no deadline yet
    found = find("hazard_due_soon", tree.district_a.path)
    assert keys(found) == {f"hazard:{today_due.pk}", f"hazard:{in_three.pk}"}
    first = next(f for f in found if f.key == f"hazard:{in_three.pk}")
    assert first.unit_id == tree.school_a.pk
    assert first.period == "2026-12-09"
    assert first.title == f"隐患整改期限将至：{in_three.number}"
    assert "还有 3 天" in first.detail
    assert first.url == f"/hazards/{in_three.pk}/"
    assert len(find("hazard_due_soon", tree.district_a.path, days=4)) == 3
    assert len(find("hazard_due_soon", tree.district_a.path, days=0)) == 1


def test_it_finds_overdue_hazards_once_then_weekly(tree, make):
    late = make(tree.school_a, TODAY - dt.timedelta(days=1))
    make(tree.school_a, TODAY)  # due today: not overdue
    make(tree.school_a, TODAY - dt.timedelta(days=5), status=HazardStatus.CLOSED)
    (found,) = find("hazard_overdue", tree.district_a.path)
    assert found.key == f"hazard:{late.pk}"
    assert found.period == "2026-12-05+1"
    assert "已逾期 1 天" in found.detail
    # Same period through the first week; the next week raises it again.
    assert find("hazard_overdue", tree.district_a.path, TODAY + dt.timedelta(days=6))[0].period == (
        "2026-12-05+1"
    )
    assert find("hazard_overdue", tree.district_a.path, TODAY + dt.timedelta(days=7))[0].period == (
        "2026-12-05+2"
    )
    # repeat_days 0: once for good.
    assert (
        find("hazard_overdue", tree.district_a.path, TODAY + dt.timedelta(days=30), repeat_days=0)[
            0
        ].period
        == "2026-12-05+1"
    )


def test_it_finds_only_the_subtree(tree, make):
    a = make(tree.school_a, TODAY - dt.timedelta(days=2))
    b = make(tree.school_b, TODAY - dt.timedelta(days=2))
    assert keys(find("hazard_overdue", tree.district_a.path)) == {f"hazard:{a.pk}"}
    assert keys(find("hazard_overdue", tree.district_b.path)) == {f"hazard:{b.pk}"}
    assert keys(find("hazard_overdue", tree.school_b.path)) == {f"hazard:{b.pk}"}
    assert keys(find("hazard_overdue", tree.city.path)) == {f"hazard:{a.pk}", f"hazard:{b.pk}"}


def test_it_gives_the_same_keys_and_periods_the_same_day(tree, make):
    make(tree.school_a, TODAY - dt.timedelta(days=3))
    make(tree.school_b, TODAY + dt.timedelta(days=2))
    for code in ("hazard_overdue", "hazard_due_soon"):
        first = [(f.key, f.period) for f in find(code, tree.city.path)]
        again = [(f.key, f.period) for f in find(code, tree.city.path)]
        assert first == again and first


@pytest.mark.parametrize("code", ["hazard_due_soon", "hazard_overdue"])
def test_it_reads_in_one_query_whatever_the_number(tree, make, code):
    within = tree.city.path
    for n in range(2):
        make(tree.school_a, TODAY + dt.timedelta(days=n if code == "hazard_due_soon" else -1 - n))
    with CaptureQueriesContext(connection) as few:
        assert len(find(code, within)) == 2
    for _n in range(20):
        make(tree.school_b, TODAY + dt.timedelta(days=1 if code == "hazard_due_soon" else -3))
    with CaptureQueriesContext(connection) as many:
        assert len(find(code, within)) == 22
    assert len(many) == len(few) == 1
