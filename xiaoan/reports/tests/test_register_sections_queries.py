"""The registers' sections of the dashboard (buses, campus vehicles, traffic agreements,
waters, cameras) read rollups: a district's dashboard makes as many queries with six more
schools, each with records, as without them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoan.orgs.models import Unit
from xiaoan.reports import rollups
from xiaoan.reports.figures import Scope
from xiaoan.reports.services import RANK_SCHOOLS, _branches, dashboard

pytestmark = pytest.mark.django_db

DISTRICT = "梁子湖区教育局"
SECTIONS = ("buses", "campus_vehicles", "traffic_agreements", "waters", "cameras")


def _sections():
    from xiaoan.buses.figures import bus_section
    from xiaoan.cameras.figures import camera_section
    from xiaoan.traffic.figures import traffic_section
    from xiaoan.vehicles.figures import vehicle_section
    from xiaoan.waters.figures import water_section

    return (bus_section, vehicle_section, traffic_section, water_section, camera_section)


def _queries(user, district) -> tuple[int, int, int]:
    """Queries of the five sections (one scope, ranking every school), of the whole
    dashboard, and the number of schools ranked."""
    unit = Unit.objects.get(pk=district.pk)
    branches = tuple(_branches(unit, RANK_SCHOOLS))
    scope = Scope(user, unit, True, timezone.localdate(), branches)
    with CaptureQueriesContext(connection) as sections:
        found = [func(scope) for func in _sections()]
    assert all(found)
    # Rollups only: none reads the records (nor every school's cameras).
    records = ("buses_bus", "vehicles_violation", "traffic_trafficagreement", "waters_water")
    records += ("cameras_camera",)
    for query in sections.captured_queries:
        assert not any(f'"{table}' in query["sql"] for table in records), query["sql"]
    with CaptureQueriesContext(connection) as board:
        shown = dashboard(user, district.pk, rank=RANK_SCHOOLS)
    assert set(SECTIONS) <= set(shown.sections_by_key)
    return len(sections.captured_queries), len(board.captured_queries), len(branches)


def _add_school(parent, n: int, district_officer) -> None:
    from xiaoan.cameras.tests.support import camera
    from xiaoan.traffic.tests.support import make as agreement
    from xiaoan.vehicles import services as vehicles
    from xiaoan.vehicles.tests.support import make as vehicle
    from xiaoan.waters.tests.support import make as water
    from xiaoan.waters.tests.support import patrol

    school = Unit.objects.add_child(
        Unit.objects.get(pk=parent.pk), {"name": f"新建学校{n}", "kind": "school"}
    )
    rollups.changed(Unit, [school.pk])  # what orgs.services does for a new unit
    camera(district_officer, school, key_area="gate")
    agreement(district_officer, school, pupils=30, returned=20)
    car = vehicle(district_officer, school, name=f"鄂GN{n}")
    vehicles.record_violation(district_officer, car.pk, kind="speeding")
    pond = water(district_officer, school, name=f"水塘{n}")
    patrol(district_officer, pond, findings="护栏破损", problem=True)


def test_the_register_sections_do_not_query_per_school(persona, units, settings):
    settings.XIAOAN_PAGE_CACHE = False  # the build's queries, not a kept page's
    district = units[DISTRICT]
    user = persona("district_officer")
    _add_school(district, 0, user)
    _queries(persona("district_officer"), district)  # warms the process's caches
    sections, board, schools = _queries(persona("district_officer"), district)
    for n in range(1, 7):
        # Fresh grants: the person's cached scope predates the new school.
        _add_school(district, n, persona("district_officer"))
    after = _queries(persona("district_officer"), district)
    print(f"sections/dashboard queries: {schools} schools {sections}/{board}, +6 {after[:2]}")
    assert after == (sections, board, schools + 6)
