"""一台一档 on the dashboard, the home page's to-dos and the demo."""

from __future__ import annotations

import pytest

from xiaoan.core.todos import todos_for
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.equipment.tests.support import SCHOOL_A, SCHOOL_B, certificate, days, make
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(persona, units):
    officer = persona("district_officer")
    operator = certificate(units[SCHOOL_A], "T1", name="张三")
    make(officer, units[SCHOOL_A], operators=[operator.pk])
    make(
        officer,
        units[SCHOOL_A],
        name="食堂锅炉",
        kind="boiler",
        code="锅1",
        last_inspected_on=days(-400),
        next_inspection_on=days(-5),
    )
    make(officer, units[SCHOOL_B], name="东沟电梯", next_inspection_on=days(20))


def figures(user, unit=None):
    board = dashboard(user, unit.pk if unit else None)
    section = board.sections_by_key.get("equipment")
    return board, ({f.key: f for f in section.figures} if section else None)


def test_the_dashboard_counts_equipment_and_overdue_inspections(persona, units, items):
    board, found = figures(persona("district_officer"))
    assert found["total"].value == 3
    assert found["inspection_overdue"].value == 1 and found["inspection_overdue"].bad
    assert found["inspection_soon"].value == 2
    assert "inspection_overdue=true" in found["inspection_overdue"].url
    ranked = board.sections_by_key["equipment"].branches
    assert sum(v["inspection_overdue"] for v in ranked.values()) == 1
    _board, school = figures(persona("school_a_officer"), units[SCHOOL_A])
    assert school["total"].value == 2 and school["inspection_overdue"].value == 1
    # The boiler has no operator; the school's elevator has one with a valid certificate.
    assert school["no_valid_operator"].value == 1 and school["no_valid_operator"].bad
    assert school["no_valid_operator"].label == "特种设备无有效持证操作人员"
    assert "operators_invalid=true" in school["no_valid_operator"].url
    assert found["no_valid_operator"].value == 2  # and 东沟's elevator


def test_the_dashboard_leaves_it_out_for_those_who_may_not_see_it(persona, units, items):
    _board, found = figures(persona("school_b_teacher"), units[SCHOOL_B])
    assert found is None


def test_the_keepers_see_due_and_overdue_inspections_as_todos(persona, units, items):
    todo = {t.key: t for t in todos_for(persona("school_a_officer"))}["equipment.due"]
    assert (todo.count, todo.late) == (1, 1)
    assert "equipment.due" not in {t.key for t in todos_for(persona("auditor"))}


def test_the_school_is_told_of_equipment_without_a_valid_operator(persona, units, items):
    todo = {t.key: t for t in todos_for(persona("school_a_officer"))}["equipment.operators"]
    assert todo.count == 1 and "operators_invalid=true" in todo.url
    Equipment.objects.get(name="宿舍楼电梯").operators.update(valid_until=days(-1))
    # The certificate ran out with the days: counted by the nightly recount (a counter).
    from xiaoan.reports import rollups

    assert rollups.reconcile(EQUIPMENT.tally_kind)  # the unit and its superiors
    todo = {t.key: t for t in todos_for(persona("school_a_officer"))}["equipment.operators"]
    assert todo.count == 2
    # A bureau's officer supervises the schools' registers: not handed their work.
    assert "equipment.operators" not in {t.key for t in todos_for(persona("district_officer"))}
    assert "equipment.operators" not in {t.key for t in todos_for(persona("auditor"))}


def test_the_demo_fills_the_register_once(db):
    from xiaoan.certificates.demo import load_certificates
    from xiaoan.core import register_due
    from xiaoan.equipment.demo import load_equipment
    from xiaoan.hazards.models import Hazard
    from xiaoan.orgs.demo import load_demo

    load_demo()
    load_certificates()
    made = load_equipment()
    assert made == Equipment.objects.count() >= 5
    assert load_equipment() == 0
    register_due.daily()
    hazard = Hazard.objects.get(subject_id__isnull=False)
    assert hazard.subject.name == "食堂热水锅炉"
    lift = Equipment.objects.get(name="宿舍楼乘客电梯")
    assert 0 < (lift.next_inspection_on - days(0)).days <= 30  # a newcomer sees one due soon
    boiler = Equipment.objects.get(name="食堂蒸汽锅炉")
    assert {c.kind for c in boiler.operators.all()} == {"boiler"}
    assert boiler.operators.count() == 2  # 黄师傅's from the certificates demo, and one made
    assert not Equipment.objects.get(name="食堂热水锅炉").operators.filter(valid_until__gte=days(0))
