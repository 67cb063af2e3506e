"""Key-place coverage (xiaoan.cameras.coverage) for the dashboard's rollup
(xiaoan.reports.rollups), per school: "uncovered" (how many of its key places no working
camera covers), "uncovered_schools" (1 when any) and "a:<area>" (1 per uncovered place, for
the dashboard's table of schools). Summed up the tree, a district reads its uncovered schools
without reading every school and camera. A camera's save and a school's (boarding adds the
dormitories; a school opened or closed) touch it (`reads`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from xiaoan.reports.rollups import tally

KIND = "camera_coverage"
AREA = "a:"


@tally(
    KIND,
    ranked=("uncovered", "uncovered_schools"),
    reads=("cameras.camera", "orgs.unit"),
    at_school=True,
)
def count(unit_ids: list[int] | None, today: dt.date, apps) -> dict[int, Counter]:
    from xiaoan.cameras.coverage import coverage_of
    from xiaoan.orgs.models import Unit

    schools = Unit.objects.filter(kind="school", is_active=True)
    if unit_ids is not None:
        schools = schools.filter(pk__in=unit_ids)
    own: dict[int, Counter] = {}
    for row in coverage_of(schools.order_by("path").only("id", "path", "kind", "boarding")):
        missing = row.missing
        if missing:
            own[row.school.pk] = Counter(
                {"uncovered": len(missing), "uncovered_schools": 1}
                | {f"{AREA}{area}": 1 for area in missing}
            )
    return own


def uncovered_rows(unit, subtree: bool, limit: int = 50) -> list[tuple[str, list[str]]]:
    """The schools at or below `unit` with uncovered key places, in tree order (as the
    coverage page), with the places' names: one query over their rows."""
    from xiaoan.cameras.choices import COVERED_AREAS, KeyArea
    from xiaoan.reports.models import Rollup

    rows = Rollup.objects.filter(
        kind=KIND, unit__kind="school", unit__is_active=True, own__has_key="uncovered"
    )
    rows = rows.filter(unit__path__startswith=unit.path) if subtree else rows.filter(unit=unit)
    found = rows.order_by("unit__path").values_list("unit__name", "own")[:limit]
    return [
        (name, [str(KeyArea(a).label) for a in COVERED_AREAS if own.get(f"{AREA}{a}")])
        for name, own in found
    ]
