"""This month's violations on the dashboard are a rollup the violation service keeps
(xiaoan.vehicles.tallies): the figure and each branch's column equal a count of the records,
and the nightly recount agrees."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoan.core import registers
from xiaoan.reports import rollups
from xiaoan.reports.services import dashboard
from xiaoan.vehicles import services
from xiaoan.vehicles.models import Violation
from xiaoan.vehicles.registers import CAMPUS_VEHICLES
from xiaoan.vehicles.tallies import KIND
from xiaoan.vehicles.tests.support import SCHOOL_A, SCHOOL_B, days, make

pytestmark = pytest.mark.django_db


def live(unit=None) -> int:
    rows = Violation.objects.filter(occurred_on__gte=timezone.localdate().replace(day=1))
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    return rows.count()


def test_the_months_violations_follow_the_records(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    car = make(officer, units[SCHOOL_A])
    other = make(
        district, units[SCHOOL_B], name="鄂GB1", vehicle_class="service", valid_until=days(90)
    )

    def shown():
        section = dashboard(district, None).sections_by_key["campus_vehicles"]
        figure = next(f.value for f in section.figures if f.key == "violations")
        return figure, sum(row["violations"] for row in section.branches.values())

    assert shown() == (live(), live()) == (0, 0)
    services.record_violation(officer, car.pk, kind="speeding")
    services.record_violation(officer, car.pk, kind="parking")
    services.record_violation(district, other.pk, kind="parking")
    services.record_violation(district, other.pk, kind="parking", occurred_on=days(-40))
    assert shown() == (live(), live()) == (3, 3)
    section = dashboard(district, None).sections_by_key["campus_vehicles"]
    month = timezone.localdate().replace(day=1)
    for path, row in section.branches.items():
        here = Violation.objects.filter(unit__path__startswith=path, occurred_on__gte=month)
        assert row["violations"] == here.count(), path
    registers.retire(CAMPUS_VEHICLES, officer, car.pk, reason="转出")  # violations stay
    assert shown() == (live(), live()) == (3, 3)
    school = dashboard(officer, units[SCHOOL_A].pk).sections_by_key["campus_vehicles"]
    assert next(f.value for f in school.figures if f.key == "violations") == live(units[SCHOOL_A])
    assert rollups.reconcile(KIND) == 0
