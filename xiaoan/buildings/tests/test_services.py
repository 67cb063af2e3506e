"""Create, edit, retire through the register services, and every refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiaoan.buildings.models import BuildingFile
from xiaoan.buildings.registers import BUILDINGS
from xiaoan.buildings.tests.support import SCHOOL_A, SCHOOL_B, days, make
from xiaoan.core import history, registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.orgs.models import Place

pytestmark = pytest.mark.django_db


def test_it_creates_a_building_with_history_and_the_high_rise_flag(persona, units):
    officer = persona("school_a_officer")
    building = make(officer, units[SCHOOL_A], height="29.70", floors_above=9)
    assert building.is_high_rise
    entries = history.entries_for(building)
    assert entries[0].who == officer.name and entries[0].action == "创建"


@pytest.mark.parametrize(
    "height,floors,high",
    [("24.00", 8, False), ("24.01", 8, True), ("30", 1, False), (None, 30, False)],
)
def test_it_derives_high_rise_by_the_public_building_rule(persona, units, height, floors, high):
    building = make(
        persona("school_a_officer"), units[SCHOOL_A], height=height, floors_above=floors
    )
    assert building.is_high_rise is high


def test_it_updates_and_stamps_the_editor(persona, units):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    building = make(officer, units[SCHOOL_A])
    registers.update(BUILDINGS, head, building.pk, {"height": Decimal("25"), "floors_above": 7})
    building.refresh_from_db()
    assert building.is_high_rise
    assert history.entries_for(building)[0].who == head.name


def test_it_refuses_a_unit_outside_the_actors_scope(persona, units):
    with pytest.raises(Invalid) as error:
        make(persona("school_a_officer"), units[SCHOOL_B])
    assert "unit" in error.value.fields
    assert not BuildingFile.objects.exists()


def test_it_refuses_people_without_the_permission(persona, units):
    for name in ("school_b_teacher", "auditor", "expert", "sysadmin"):
        with pytest.raises(Forbidden):
            make(persona(name), units[SCHOOL_A])


def test_it_hides_other_schools_items_as_not_found(persona, units):
    building = make(persona("district_officer"), units[SCHOOL_B])
    with pytest.raises(NotFound):
        registers.update(BUILDINGS, persona("school_a_officer"), building.pk, {"name": "x"})
    with pytest.raises(NotFound):
        registers.retire(BUILDINGS, persona("school_a_officer"), building.pk, reason="拆除")


def test_it_refuses_an_auditor_changing_what_they_see(persona, units):
    building = make(persona("school_a_officer"), units[SCHOOL_A])
    with pytest.raises(Forbidden):
        registers.update(BUILDINGS, persona("auditor"), building.pk, {"name": "x"})


def test_it_refuses_moving_an_item_out_of_scope(persona, units):
    officer = persona("school_a_officer")
    building = make(officer, units[SCHOOL_A])
    with pytest.raises(Invalid):
        registers.update(BUILDINGS, officer, building.pk, {"unit": units[SCHOOL_B]})
    building.refresh_from_db()
    assert building.unit == units[SCHOOL_A]


def test_it_refuses_a_duplicate_code_in_the_same_unit(persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A])
    with pytest.raises(Invalid) as error:
        make(officer, units[SCHOOL_A], name="另一栋")
    assert error.value.fields
    # The same code in another school is another building.
    make(persona("district_officer"), units[SCHOOL_B])


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"appraisal_grade": "B"}, "appraised_on"),
        ({"appraised_on": days(-10)}, "appraisal_grade"),
        ({"appraisal_grade": "A", "appraised_on": days(3)}, "appraised_on"),
        (
            {"appraisal_grade": "A", "appraised_on": days(-3), "next_appraisal_on": days(-5)},
            "next_appraisal_on",
        ),
        ({"fire_accepted_on": days(-5), "fire_acceptance": "none"}, "fire_accepted_on"),
        ({"floors_above": 0}, "floors_above"),
        ({"year_built": 3000}, "year_built"),
        ({"use": "castle"}, "use"),
        ({"name": ""}, "name"),
    ],
)
def test_it_refuses_inconsistent_facts(persona, units, fields, field):
    with pytest.raises(Invalid) as error:
        make(persona("school_a_officer"), units[SCHOOL_A], **fields)
    assert field in error.value.fields


def test_it_refuses_a_place_of_another_school(persona, units):
    other = Place.objects.create(unit=units[SCHOOL_B], kind="building", name="教学楼")
    own = Place.objects.create(unit=units[SCHOOL_A], kind="building", name="1号楼")
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as error:
        make(officer, units[SCHOOL_A], place=other)
    assert "place" in error.value.fields
    assert make(officer, units[SCHOOL_A], place=own).place == own


def test_it_lets_a_department_file_a_building_in_its_schools_place(persona, units):
    general = next(u for n, u in units.items() if n == "总务处")
    place = Place.objects.create(unit=units[SCHOOL_A], kind="building", name="1号楼")
    building = make(persona("school_a_officer"), general, place=place)
    assert building.unit == general


def test_it_retires_never_deletes_and_then_refuses_edits(persona, units):
    officer = persona("school_a_officer")
    building = make(officer, units[SCHOOL_A])
    with pytest.raises(Invalid):
        registers.retire(BUILDINGS, officer, building.pk, reason=" ")
    registers.retire(BUILDINGS, officer, building.pk, reason="已拆除")
    building.refresh_from_db()
    assert building.retired_at and building.retired_by == officer
    assert building.retire_reason == "已拆除"
    assert BuildingFile.objects.active().count() == 0
    with pytest.raises(Conflict):
        registers.update(BUILDINGS, officer, building.pk, {"name": "新名"})
    with pytest.raises(Conflict):
        registers.retire(BUILDINGS, officer, building.pk, reason="again")
    assert history.entries_for(building)[0].reason == "已拆除"
