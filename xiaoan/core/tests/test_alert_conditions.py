"""The registers' dates an alert rule may watch: every register's dates due and past."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.alerts.conditions import conditions
from xiaoan.certificates.models import Certificate
from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core.registers import sync_due
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.orgs.testing import two_districts

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
_serial = itertools.count(1)


@pytest.fixture
def tree(units):
    return two_districts(units)


def machine(unit, due):
    n = next(_serial)
    item = Equipment.objects.create(
        unit=unit, name=f"电梯{n}", kind="elevator", next_inspection_on=due
    )
    sync_due(EQUIPMENT, item)
    return item


def certificate(unit, until):
    n = next(_serial)
    item = Certificate.objects.create(
        unit=unit, name=f"保安{n}", code=f"BA{n}", post="guard", kind="security_guard",
        valid_until=until,
    )  # fmt: skip
    sync_due(CERTIFICATES, item)
    return item


def find(code, within, today=TODAY, **thresholds):
    return list(conditions()[code].find(today, thresholds, within))


def keys(findings):
    return {f.key for f in findings}


def test_it_finds_every_registers_dates_due_by_their_own_warning_days(tree):
    lift = machine(tree.school_a, TODAY + dt.timedelta(days=30))
    card = certificate(tree.school_a, TODAY + dt.timedelta(days=10))
    machine(tree.school_a, TODAY + dt.timedelta(days=31))
    found = find("register_date_due", tree.district_a.path)
    assert keys(found) == {
        f"equipment:{lift.pk}:next_inspection_on",
        f"certificates:{card.pk}:valid_until",
    }
    row = next(f for f in found if f.key.startswith("equipment:"))
    assert row.unit_id == tree.school_a.pk
    assert row.period == "2027-01-05"
    assert row.title == f"一台一档：{lift.name} 下次定期检验即将到期"
    assert "还有 30 天" in row.detail
    assert row.url == f"/equipment/{lift.pk}/"
    # A threshold in days replaces each register's own.
    assert keys(find("register_date_due", tree.district_a.path, days=10)) == {
        f"certificates:{card.pk}:valid_until"
    }


def test_it_finds_the_dates_past_once_then_weekly(tree):
    card = certificate(tree.school_a, TODAY - dt.timedelta(days=8))
    (found,) = find("register_date_overdue", tree.district_a.path)
    assert found.key == f"certificates:{card.pk}:valid_until"
    assert found.period == "2026-11-28+2"
    assert "已过期 8 天" in found.detail
    assert found.url == f"/certificates/{card.pk}/"
    assert find("register_date_overdue", tree.district_a.path, repeat_days=0)[0].period == (
        "2026-11-28+1"
    )


def test_it_finds_only_the_subtree_and_the_same_keys_twice(tree):
    a = machine(tree.school_a, TODAY - dt.timedelta(days=1))
    b = certificate(tree.school_b, TODAY - dt.timedelta(days=1))
    code = "register_date_overdue"
    assert keys(find(code, tree.district_a.path)) == {f"equipment:{a.pk}:next_inspection_on"}
    assert keys(find(code, tree.district_b.path)) == {f"certificates:{b.pk}:valid_until"}
    first = [(f.key, f.period) for f in find(code, tree.city.path)]
    assert first == [(f.key, f.period) for f in find(code, tree.city.path)] and len(first) == 2


def test_it_reads_one_query_plus_one_per_register(tree):
    machine(tree.school_a, TODAY - dt.timedelta(days=1))
    certificate(tree.school_a, TODAY - dt.timedelta(days=1))
    find("register_date_overdue", tree.city.path)  # content types cached
    with CaptureQueriesContext(connection) as few:
        assert len(find("register_date_overdue", tree.city.path)) == 2
    for _ in range(8):
        machine(tree.school_b, TODAY - dt.timedelta(days=2))
        certificate(tree.school_b, TODAY - dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as many:
        assert len(find("register_date_overdue", tree.city.path)) == 18
    assert len(few) == len(many) == 3


ALL = {
    "hazard_due_soon",
    "hazard_overdue",
    "equipment_inspection_due",
    "equipment_inspection_overdue",
    "certificate_expiring",
    "certificate_expired",
    "self_check_overdue",
    "obligation_missed",
    "no_drill_this_semester",
    "plan_task_overdue",
    "controlled_chemical_count_differs",
    "register_date_due",
    "register_date_overdue",
}


def test_it_offers_every_condition_with_chinese_labels_and_defaults():
    offered = conditions()
    assert ALL <= set(offered)
    for code in ALL:
        found = offered[code]
        assert found.kind == code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(found.label)), code
        for label, default in found.thresholds.values():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(label)) and isinstance(default, int)


def test_it_runs_every_condition_on_the_whole_tree_with_its_defaults(tree):
    machine(tree.school_a, TODAY - dt.timedelta(days=1))
    for code in ALL:
        for finding in conditions()[code].find(TODAY, {}, ""):
            assert finding.key and finding.period and finding.title and finding.url, code
