"""The 一台一档 conditions an alert rule may watch: statutory inspections due and overdue."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoan.alerts.conditions import conditions
from xiaoan.equipment.models import Equipment
from xiaoan.orgs.testing import two_districts

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
_serial = itertools.count(1)


@pytest.fixture
def tree(units):
    return two_districts(units)


def make(unit, due, **fields):
    n = next(_serial)
    return Equipment.objects.create(
        unit=unit, name=f"电梯{n}", code=f"梯11{n:04d}", kind="elevator",
        next_inspection_on=due, **fields,
    )  # fmt: skip


def find(code, within, today=TODAY, **thresholds):
    return list(conditions()[code].find(today, thresholds, within))


def keys(findings):
    return {f.key for f in findings}


def test_it_finds_inspections_due_within_the_threshold(tree):
    soon = make(tree.school_a, TODAY + dt.timedelta(days=30))
    make(tree.school_a, TODAY + dt.timedelta(days=31))
    make(tree.school_a, TODAY + dt.timedelta(days=5), retired_at=timezone.now())
    late = make(tree.school_a, TODAY - dt.timedelta(days=1))
    (found,) = find("equipment_inspection_due", tree.district_a.path)
    assert found.key == f"equipment:{soon.pk}"
    assert found.unit_id == tree.school_a.pk
    assert found.period == "2027-01-05"
    assert found.title == f"特种设备定期检验即将到期：电梯 {soon.name}（{soon.code}）"
    assert "还有 30 天" in found.detail
    assert found.url == f"/equipment/{soon.pk}/"
    assert len(find("equipment_inspection_due", tree.district_a.path, days=31)) == 2
    assert find("equipment_inspection_due", tree.district_a.path, days=10) == []
    (over,) = find("equipment_inspection_overdue", tree.district_a.path)
    assert over.key == f"equipment:{late.pk}"
    assert over.period == "2026-12-05+1"
    assert "已逾期 1 天" in over.detail


def test_it_repeats_an_overdue_inspection_weekly(tree):
    make(tree.school_a, TODAY - dt.timedelta(days=8))
    (found,) = find("equipment_inspection_overdue", tree.district_a.path)
    assert found.period == "2026-11-28+2"
    (once,) = find("equipment_inspection_overdue", tree.district_a.path, repeat_days=0)
    assert once.period == "2026-11-28+1"


def test_it_finds_only_the_subtree_and_the_same_keys_twice(tree):
    a = make(tree.school_a, TODAY - dt.timedelta(days=2))
    b = make(tree.school_b, TODAY - dt.timedelta(days=2))
    code = "equipment_inspection_overdue"
    assert keys(find(code, tree.district_a.path)) == {f"equipment:{a.pk}"}
    assert keys(find(code, tree.district_b.path)) == {f"equipment:{b.pk}"}
    first = [(f.key, f.period) for f in find(code, tree.city.path)]
    assert first == [(f.key, f.period) for f in find(code, tree.city.path)]
    assert len(first) == 2


@pytest.mark.parametrize(
    "code,offset", [("equipment_inspection_due", 3), ("equipment_inspection_overdue", -3)]
)
def test_it_reads_in_one_query_whatever_the_number(tree, code, offset):
    make(tree.school_a, TODAY + dt.timedelta(days=offset))
    with CaptureQueriesContext(connection) as few:
        assert len(find(code, tree.city.path)) == 1
    for _ in range(15):
        make(tree.school_b, TODAY + dt.timedelta(days=offset))
    with CaptureQueriesContext(connection) as many:
        assert len(find(code, tree.city.path)) == 16
    assert len(few) == len(many) == 1
