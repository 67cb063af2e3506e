"""The registers' dashboard counters (xiaoan.core.tallies) are kept by every write: after the
demo's loaders, the services' create, update, retire and import, and a phone's monthly fire
check, each register's figures equal a count of its items and the nightly recount finds
nothing to correct."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from xiaoan.core import registers
from xiaoan.reports import rollups
from xiaoan.reports.figures import Scope, tallied
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db

DISTRICT, A = "梁子湖区教育局", "梁子湖高级中学"


def _counted() -> list[registers.Register]:
    registers.discover()
    return [r for r in registers.registry if r.counters is not None]


def _live(register, unit) -> dict[str, int]:
    rows = register.model.objects.filter(
        unit__path__startswith=unit.path, retired_at__isnull=True
    ).order_by()
    conditions = register.counters(timezone.localdate())
    return rows.aggregate(
        total=Count("pk"), **{name: Count("pk", filter=q) for name, q in conditions.items()}
    )


def _agrees(persona, units) -> None:
    board = dashboard(persona("district_officer"), units[DISTRICT].pk)
    scope_counts = {}
    for register in _counted():
        live = _live(register, units[DISTRICT])
        assert rollups.reconcile(register.tally_kind) == 0, register.key
        scope = Scope(persona("district_officer"), units[DISTRICT], True, timezone.localdate())
        scope_counts[register.key] = tallied(scope, register)
        assert scope_counts[register.key] == live, register.key
    assert board.sections_by_key["buildings"].figures[0].value == scope_counts["buildings"]["total"]


def test_every_register_on_the_dashboard_keeps_counters():
    kinds = set(rollups.tallies())
    assert {r.key for r in _counted()} >= {
        "buildings",
        "certificates",
        "equipment",
        "emergency_plans",
        "emergency_teams",
        "fireassets",
        "cameras",
        "alarm_points",
        "waters",
        "campus_vehicles",
        "traffic_agreements",
        "buses",
        "events",
        "construction_projects",
        "security_postures",
        "legal_vice_principals",
        "police_rooms",
        "counsellors",
    }
    assert all(r.tally_kind in kinds for r in _counted())


def test_the_counters_follow_every_write(persona, units):
    from xiaoan.buildings.demo import load_buildings
    from xiaoan.certificates.demo import load_certificates
    from xiaoan.emergency.demo import load_emergency
    from xiaoan.equipment.demo import load_equipment
    from xiaoan.fireassets.demo import load_fire_assets
    from xiaoan.fireassets.registers import FIRE_ASSETS
    from xiaoan.fireassets.tests.support import check, days, make, sheet

    load_buildings()
    load_certificates()
    load_equipment()
    load_emergency()
    load_fire_assets()
    _agrees(persona, units)

    officer = persona("school_a_officer")
    asset = make(officer, units[A], code="MHQ-99", expires_on=days(-5))  # already expired
    _agrees(persona, units)
    registers.update(FIRE_ASSETS, officer, asset.pk, {"expires_on": days(300)})
    _agrees(persona, units)
    check(officer, (asset, "ok"))  # 本月未检查 → checked, by a queryset update
    _agrees(persona, units)
    registers.retire(FIRE_ASSETS, officer, asset.pk, reason="报废")
    _agrees(persona, units)

    from xiaoan.core.register_sheets import import_items

    header = ["所属单位", "器材类别", "器材编号", "灭火剂类型", "规格", "放置位置", "报废期限"]
    expired = f"{days(-1):%Y/%m/%d}"
    result = import_items(
        FIRE_ASSETS,
        officer,
        sheet([[A, "灭火器", "MHQ-77", "干粉", "4kg", "二楼", expired]], header),
    )
    assert result.ok, result.errors
    _agrees(persona, units)
