"""Key-place coverage (重点部位覆盖): a school covers a key place when at least one camera in
use and working watches it. Every school must cover its gate, canteen, labs and perimeter,
and its dormitories when it boards students (orgs.Unit.boarding). A school with no camera on
file covers nothing: the register is what the school reports. Two queries whatever the
number of schools; cameras of a school's departments count for the school."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xiaoan.cameras.choices import COVERED_AREAS, CameraStatus, KeyArea


@dataclass
class Coverage:
    school: Any
    required: tuple[str, ...]
    covered: set[str] = field(default_factory=set)

    @property
    def missing(self) -> list[str]:
        return [a for a in self.required if a not in self.covered]

    @property
    def missing_labels(self) -> list[str]:
        return [str(KeyArea(a).label) for a in self.missing]

    def as_dict(self) -> dict[str, Any]:
        return {
            "school": self.school.pk,
            "school_name": self.school.name,
            "boarding": self.school.boarding,
            "required": list(self.required),
            "covered": [a for a in self.required if a in self.covered],
            "missing": self.missing,
        }


def required_areas(school: Any) -> tuple[str, ...]:
    return tuple(
        str(a)
        for a in COVERED_AREAS
        if a != KeyArea.DORMITORY or getattr(school, "boarding", False)
    )


def coverage_of(schools: Sequence[Any]) -> list[Coverage]:
    """Each school's coverage, in the order given."""
    from xiaoan.cameras.models import Camera
    from xiaoan.indicators.providers import SchoolIndex

    schools = list(schools)
    rows = {s.pk: Coverage(s, required_areas(s)) for s in schools}
    if not schools:
        return []
    index = SchoolIndex(schools)
    found = (
        Camera.objects.filter(
            index.condition(),
            retired_at__isnull=True,
            status=CameraStatus.WORKING,
            key_area__in=[str(a) for a in COVERED_AREAS],
        )
        .values_list("unit__path", "key_area")
        .distinct()
        .order_by()
    )
    for path, area in found:
        school = index.school_of(path)
        if school is not None:
            rows[school].covered.add(area)
    return [rows[s.pk] for s in schools]


def schools_within(unit: Any, subtree: bool = True):
    """The schools in use at or below `unit` (the unit itself when it is one)."""
    from xiaoan.orgs.models import Unit

    rows = Unit.objects.filter(kind="school", is_active=True)
    if subtree:
        rows = rows.filter(path__startswith=unit.path)
    else:
        rows = rows.filter(pk=unit.pk)
    return rows.order_by("path").only("id", "name", "path", "kind", "boarding")
