"""校园车辆 on the dashboard, the home page's to-dos and the demo."""

from __future__ import annotations

import pytest

from xiaoan.core.todos import todos_for
from xiaoan.reports.services import dashboard
from xiaoan.vehicles import services
from xiaoan.vehicles.models import CampusVehicle, Violation
from xiaoan.vehicles.tests.support import SCHOOL_A, SCHOOL_B, days, make

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    car = make(officer, units[SCHOOL_A])
    make(officer, units[SCHOOL_A], name="鄂州E1", vehicle_class="ebike")
    make(officer, units[SCHOOL_A], name="鄂GV1", vehicle_class="visitor", valid_until=days(3))
    other = make(
        district, units[SCHOOL_B], name="鄂GB1", vehicle_class="service", valid_until=days(90)
    )
    for _n in range(3):
        services.record_violation(officer, car.pk, kind="speeding")
    services.record_violation(district, other.pk, kind="parking")
    services.record_violation(district, other.pk, kind="parking", occurred_on=days(-40))


def figures(user, unit=None):
    board = dashboard(user, unit.pk if unit else None)
    section = board.sections_by_key.get("campus_vehicles")
    return board, ({f.key: f for f in section.figures} if section else None)


def test_the_dashboard_counts_vehicles_blacklist_and_violations(persona, units, items):
    from django.utils import timezone

    board, found = figures(persona("district_officer"))
    assert found["total"].value == CampusVehicle.objects.count() == 4
    assert found["class_staff"].value == 1 and found["class_ebike"].value == 1
    assert found["class_visitor"].value == 1 and found["class_service"].value == 1
    assert found["blacklisted"].value == 1 and found["blacklisted"].bad
    month = timezone.localdate().replace(day=1)
    assert found["violations"].value == Violation.objects.filter(occurred_on__gte=month).count()
    ranked = board.sections_by_key["campus_vehicles"].branches
    assert sum(v["blacklisted"] for v in ranked.values()) == 1
    assert sum(v["violations"] for v in ranked.values()) == found["violations"].value
    _board, school = figures(persona("school_a_officer"), units[SCHOOL_A])
    assert school["total"].value == 3 and school["violations"].value == 3
    assert "blacklisted=true" in school["blacklisted"].url


def test_the_dashboard_leaves_it_out_for_those_who_may_not_see_it(persona, units, items):
    _board, found = figures(persona("school_b_teacher"), units[SCHOOL_B])
    assert found is None


def test_the_keepers_see_passes_running_out_as_todos(persona, units, items):
    todo = {t.key: t for t in todos_for(persona("school_a_officer"))}["campus_vehicles.due"]
    assert (todo.count, todo.late) == (1, 0)
    assert "campus_vehicles.due" not in {t.key for t in todos_for(persona("auditor"))}


def test_the_demo_fills_the_register_once(db):
    from xiaoan.vehicles.demo import load_vehicles

    made = load_vehicles()
    assert made == CampusVehicle.objects.count() == 6
    assert CampusVehicle.objects.filter(blacklisted=True).count() == 1
    assert load_vehicles() == 0
