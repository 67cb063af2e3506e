"""烟雾感应报警装置全覆盖 (indicator `smoke-alarms`, 100% by the end of 2025) from the
detector records: a school's value is the share of its buildings (places of kind 楼栋) with
at least one smoke detector in use, registered at the building or a floor or room of it and
not past its expiry. A school with no buildings on file has no value (it reports none)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from xiaoan.fireassets.choices import AssetKind, AssetType
from xiaoan.fireassets.models import FireAsset
from xiaoan.indicators.providers import SchoolIndex, provider
from xiaoan.orgs.choices import PlaceKind


def _building_of(place_id: int | None, parent_id: int | None, grand_id: int | None, buildings):
    for candidate in (place_id, parent_id, grand_id):
        if candidate in buildings:
            return candidate
    return None


@provider("smoke-alarms", reads=("fireassets.fireasset", "orgs.place"))
def smoke_alarm_coverage(schools: Sequence[Any], year: int) -> dict[int, Decimal | None]:
    """Two queries whatever the number of schools."""
    from xiaoan.orgs.models import Place

    if not schools:
        return {}
    index = SchoolIndex(schools)
    paths = index.condition()
    buildings: dict[int, int] = {}  # building place id -> school id
    rows = Place.objects.filter(paths, kind=PlaceKind.BUILDING, is_active=True).values_list(
        "pk", "unit__path"
    )
    for pk, path in rows:
        school = index.school_of(path)
        if school is not None:
            buildings[pk] = school
    today = timezone.localdate()
    covered: set[int] = set()
    detectors = (
        FireAsset.objects.active()
        .filter(paths, kind=AssetKind.DETECTOR, asset_type=AssetType.SMOKE, place__isnull=False)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("place_id", "place__parent_id", "place__parent__parent_id")
    )
    for place_id, parent_id, grand_id in detectors:
        building = _building_of(place_id, parent_id, grand_id, buildings)
        if building is not None:
            covered.add(building)
    totals: dict[int, int] = {}
    hits: dict[int, int] = {}
    for building, school in buildings.items():
        totals[school] = totals.get(school, 0) + 1
        hits[school] = hits.get(school, 0) + int(building in covered)
    out: dict[int, Decimal | None] = {}
    for school in schools:
        total = totals.get(school.pk, 0)
        out[school.pk] = (
            (Decimal(100) * hits[school.pk] / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if total
            else None
        )
    return out
