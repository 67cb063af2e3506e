"""一台一档 through the register services and its own step (a new inspection): the item's
rules, the scope, and every refusal."""

from __future__ import annotations

import pytest

from xiaoan.core import history, registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.models import DueDate
from xiaoan.equipment import services
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.equipment.tests.support import SCHOOL_A, SCHOOL_B, days, make

pytestmark = pytest.mark.django_db


def test_it_creates_a_file_with_history_and_its_due_date(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A])
    assert history.entries_for(item)[0].who == officer.name
    due = DueDate.objects.get(object_id=item.pk, key="next_inspection_on")
    assert due.due_on == days(265) and due.warn_on == days(235)
    assert due.label == "下次定期检验"


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"next_inspection_on": None}, "next_inspection_on"),
        ({"last_inspected_on": days(1), "next_inspection_on": days(300)}, "last_inspected_on"),
        ({"conclusion": ""}, "conclusion"),
        ({"last_inspected_on": None}, "last_inspected_on"),
        ({"next_inspection_on": days(-100)}, "next_inspection_on"),
        ({"kind": "spaceship"}, "kind"),
        ({"operators": [999999]}, "operators"),
        ({"operators": ["张三"]}, "operators"),
    ],
)
def test_it_refuses_an_item_against_its_rules(persona, units, fields, field):
    with pytest.raises(Invalid) as error:
        make(persona("school_a_officer"), units[SCHOOL_A], **fields)
    assert field in error.value.fields
    assert not Equipment.objects.exists()


def test_it_keeps_the_registration_code_unique_within_the_unit(persona, units):
    officer = persona("district_officer")
    make(officer, units[SCHOOL_A])
    with pytest.raises(Invalid):
        make(officer, units[SCHOOL_A], name="另一台")
    make(officer, units[SCHOOL_B])  # the same code at another school is another item
    assert Equipment.objects.count() == 2


def test_it_refuses_people_without_the_permission(persona, units):
    for name in ("school_b_teacher", "auditor", "expert", "sysadmin"):
        with pytest.raises(Forbidden):
            make(persona(name), units[SCHOOL_A])


def test_it_refuses_a_unit_outside_the_scope(persona, units):
    with pytest.raises(Invalid) as error:
        make(persona("school_a_officer"), units[SCHOOL_B])
    assert "unit" in error.value.fields


def test_it_hides_other_schools_items_as_not_found(persona, units):
    item = make(persona("district_officer"), units[SCHOOL_B])
    officer = persona("school_a_officer")
    with pytest.raises(NotFound):
        registers.update(EQUIPMENT, officer, item.pk, {"name": "x"})
    with pytest.raises(NotFound):
        registers.retire(EQUIPMENT, officer, item.pk, reason="报废")
    with pytest.raises(NotFound):
        services.record_inspection(
            officer,
            item.pk,
            inspected_on=days(-1),
            conclusion="passed",
            next_inspection_on=days(364),
        )


def test_a_recorded_inspection_moves_the_date_on(persona, units):
    officer = persona("school_a_officer")
    item = make(
        officer, units[SCHOOL_A], last_inspected_on=days(-380), next_inspection_on=days(-15)
    )
    services.record_inspection(
        officer, item.pk, inspected_on=days(-2), conclusion="passed", next_inspection_on=days(363)
    )
    item.refresh_from_db()
    assert (item.last_inspected_on, item.next_inspection_on) == (days(-2), days(363))
    due = DueDate.objects.get(object_id=item.pk)
    assert due.due_on == days(363) and due.overdue_for is None


def test_a_recorded_inspection_is_refused_when_wrong(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A])

    def record(actor=officer, **kw):
        body = {"inspected_on": days(-1), "conclusion": "passed", "next_inspection_on": days(364)}
        return services.record_inspection(actor, item.pk, **{**body, **kw})

    for kw, field in (
        ({"inspected_on": days(-200)}, "inspected_on"),  # older than the one on file
        ({"inspected_on": days(2)}, "inspected_on"),  # in the future
        ({"inspected_on": None}, "inspected_on"),
        ({"conclusion": "ok"}, "conclusion"),
        ({"next_inspection_on": None}, "next_inspection_on"),
        ({"next_inspection_on": days(-1)}, "next_inspection_on"),
    ):
        with pytest.raises(Invalid) as error:
            record(**kw)
        assert field in error.value.fields, kw
    with pytest.raises(Forbidden):
        record(actor=persona("auditor"))
    registers.retire(EQUIPMENT, officer, item.pk, reason="已报废")
    with pytest.raises(Conflict):
        record()
    item.refresh_from_db()
    assert item.last_inspected_on == days(-100)


def test_retiring_removes_the_due_date(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A])
    with pytest.raises(Invalid):
        registers.retire(EQUIPMENT, officer, item.pk, reason="")
    registers.retire(EQUIPMENT, officer, item.pk, reason="已报废拆除")
    assert not DueDate.objects.filter(object_id=item.pk).exists()
    with pytest.raises(Conflict):
        registers.update(EQUIPMENT, officer, item.pk, {"name": "x"})
