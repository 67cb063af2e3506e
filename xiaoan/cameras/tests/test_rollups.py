"""Key-place coverage on the dashboard is a per-school rollup (xiaoan.cameras.tallies) kept by
the cameras' and the schools' writes: the figure, each branch's column and the table of
uncovered schools equal the live coverage (xiaoan.cameras.coverage) after cameras are added,
fail, are retired and a school starts boarding; the nightly recount agrees."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoan.cameras.coverage import coverage_of, schools_within
from xiaoan.cameras.figures import camera_section
from xiaoan.cameras.registers import CAMERAS
from xiaoan.cameras.tallies import KIND
from xiaoan.cameras.tests.support import SCHOOL_A, SCHOOL_B, camera
from xiaoan.core import registers
from xiaoan.orgs.models import Unit
from xiaoan.reports import rollups
from xiaoan.reports.figures import Branch, Scope

pytestmark = pytest.mark.django_db
BUREAU = "梁子湖区教育局"
AREAS = ("gate", "canteen", "lab", "perimeter", "dormitory")


def scope_of(user, unit, subtree=True):
    schools = Unit.objects.filter(path__startswith=unit.path, kind="school", is_active=True)
    branches = tuple(Branch(s.pk, s.path, s.name, s.kind) for s in schools.order_by("path"))
    return Scope(user, unit, subtree, timezone.localdate(), branches if subtree else ())


def live(scope) -> tuple[int, dict[str, int], list[list[str]]]:
    """What the section showed when it read every school and camera."""
    rows = [r for r in coverage_of(schools_within(scope.unit, scope.subtree)) if r.missing]
    branches = {b.path: 0 for b in scope.branches}
    for row in rows:
        for path in branches:
            if row.school.path.startswith(path):
                branches[path] += len(row.missing)
    table = [[r.school.name, "、".join(r.missing_labels)] for r in rows[:50]]
    return len(rows), branches, table


def shown(scope) -> tuple[int, dict[str, int], list[list[str]]]:
    section = camera_section(scope)
    figure = next(f.value for f in section.figures if f.key == "uncovered_schools")
    branches = {path: row["uncovered"] for path, row in section.branches.items()}
    tables = [t["rows"] for t in section.tables if t["key"] == "uncovered"]
    return figure, branches, (tables[0] if tables else [])


def agrees(persona, units) -> None:
    district, officer = persona("district_officer"), persona("school_a_officer")
    for scope in (
        scope_of(district, units[BUREAU]),
        scope_of(officer, units[SCHOOL_A], subtree=False),
        scope_of(officer, units[SCHOOL_A]),
    ):
        assert shown(scope) == live(scope), scope.unit.name
    assert rollups.reconcile(KIND) == 0


def test_coverage_on_the_dashboard_follows_every_write(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    school_a, school_b = units[SCHOOL_A], units[SCHOOL_B]
    agrees(persona, units)  # no camera: every school misses every key place
    made = {area: camera(officer, school_a, location=area, key_area=area) for area in AREAS}
    camera(district, school_b, key_area="gate")
    agrees(persona, units)
    assert shown(scope_of(officer, school_a, subtree=False))[0] == 0  # all covered
    registers.update(CAMERAS, officer, made["lab"].pk, {"status": "faulty"})
    assert shown(scope_of(officer, school_a, subtree=False))[0] == 1
    agrees(persona, units)
    registers.retire(CAMERAS, officer, made["gate"].pk, reason="拆除")
    registers.update(CAMERAS, officer, made["lab"].pk, {"status": "working"})
    agrees(persona, units)
    _figure, _branches, table = shown(scope_of(officer, school_a, subtree=False))
    assert table == [[school_a.name, "校门"]]

    from xiaoan.orgs.services import update_unit

    update_unit(persona("sysadmin"), school_b.pk, {"boarding": not school_b.boarding})
    agrees(persona, units)
