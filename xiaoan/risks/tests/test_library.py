"""The built-in starting lists: every list loads with known choices; copying one registers
its points assessed (LS) with their measures, once; the page copies and refuses; the demo
makes a register with a check."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.errors import Invalid
from xiaoan.risks import library, services
from xiaoan.risks.demo import load_risks
from xiaoan.risks.models import ControlCheck, RiskPoint
from xiaoan.risks.tests.support import SCHOOL_A, SCHOOL_B

pytestmark = pytest.mark.django_db
CODES = {"dormitory", "canteen", "laboratory", "gate", "pool", "bus", "event"}


def test_it_ships_a_list_per_school_type():
    lists = library.starting_lists()
    assert {s.code for s in lists} == CODES
    for found in lists:
        assert len(found.points) >= 2
        assert all(p["measures"] for p in found.points)


def test_it_copies_a_list_once_and_grades_it(persona, units):
    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    made = library.copy_into(officer, unit=units[SCHOOL_A].pk, code="canteen", owner=owner.pk)
    gas = next(p for p in made if p.domain == "gas")
    gas.refresh_from_db()
    assert gas.grade == "general" and gas.risk_value == 10  # L2 × S5
    assert gas.measures.filter(owner=owner).count() == 3
    again = library.copy_into(officer, unit=units[SCHOOL_A].pk, code="canteen", owner=owner.pk)
    assert again == []
    with pytest.raises(Invalid):
        library.copy_into(officer, unit=units[SCHOOL_A].pk, code="nope", owner=owner.pk)
    with pytest.raises(Invalid):  # another school
        library.copy_into(officer, unit=units[SCHOOL_B].pk, code="gate", owner=owner.pk)


def test_it_leaves_lec_units_to_assess_themselves(persona, units):
    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    services.set_method(officer, units[SCHOOL_A], method="lec")
    made = library.copy_into(officer, unit=units[SCHOOL_A].pk, code="pool", owner=owner.pk)
    assert {p.grade for p in RiskPoint.objects.filter(pk__in=[p.pk for p in made])} == {""}


def test_it_copies_from_the_page(client_for, persona, units):
    client = client_for("school_a_officer")
    page = client.get(reverse("risks:riskpoint_library"))
    assert page.status_code == 200 and "游泳池" in page.content.decode()
    owner = persona("school_a_owner")
    response = client.post(
        reverse("risks:riskpoint_library"),
        {"unit": units[SCHOOL_A].pk, "code": "bus", "owner": owner.pk},
    )
    assert response.status_code == 302
    assert RiskPoint.objects.filter(unit=units[SCHOOL_A], domain="school_bus").count() == 3
    bad = client.post(reverse("risks:riskpoint_library"), {"unit": units[SCHOOL_A].pk})
    assert bad.status_code == 400
    assert client_for("auditor").get(reverse("risks:riskpoint_library")).status_code == 403


def test_it_loads_the_demo_register_once(units):
    made = load_risks()
    assert made >= 9
    assert ControlCheck.objects.filter(result="passed").count() == 1
    assert load_risks() == 0
