"""An authority's area map: a GeoJSON boundary uploaded by an administrator, on which the
dashboard draws the schools below it. Checked before it is kept: a FeatureCollection,
Feature or geometry of polygons with numeric coordinates, at most MAX_BYTES."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.core.errors import Invalid
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import AreaMap, Unit

MAX_BYTES = 5 * 1024 * 1024
POLYGONS = {"Polygon", "MultiPolygon"}


def _bad(message: str) -> Invalid:
    return Invalid(message, fields={"file": [message]})


def _ring_ok(ring: Any) -> bool:
    return (
        isinstance(ring, list)
        and len(ring) >= 4
        and all(
            isinstance(point, list)
            and len(point) >= 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
            and -180 <= point[0] <= 180
            and -90 <= point[1] <= 90
            for point in ring
        )
    )


def _geometry_ok(geometry: Any) -> bool:
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONS:
        return False
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    return (
        isinstance(polygons, list)
        and bool(polygons)
        and all(isinstance(p, list) and p and all(_ring_ok(r) for r in p) for p in polygons)
    )


def parse(content: bytes) -> dict:
    """The boundary as a FeatureCollection, or Invalid saying what is wrong in Chinese."""
    if len(content) > MAX_BYTES:
        raise _bad(_("文件太大（不能超过 5 MB）。"))
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nesting too deep is not a map
        raise _bad(_("不是有效的 GeoJSON 文件。")) from None
    if isinstance(data, dict) and data.get("type") in POLYGONS:
        data = {"type": "Feature", "properties": {}, "geometry": data}
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise _bad(_("GeoJSON 须为 FeatureCollection、Feature 或多边形。"))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise _bad(_("GeoJSON 中没有区域。"))
    kept = []
    for index, feature in enumerate(features, 1):
        if not isinstance(feature, dict) or not _geometry_ok(feature.get("geometry")):
            raise _bad(_("第 %(n)d 个区域不是有效的多边形（经纬度坐标）。") % {"n": index})
        properties = (
            feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        )
        name = str(properties.get("name") or f"区域{index}")[:100]
        kept.append(
            {"type": "Feature", "properties": {"name": name}, "geometry": feature["geometry"]}
        )
    return {"type": "FeatureCollection", "features": kept}


@transaction.atomic
def set_area_map(user: Any, unit_pk: Any, *, name: str, content: bytes) -> AreaMap:
    unit = get_scoped(user, Unit, unit_pk, "change")
    if unit.kind != UnitKind.AUTHORITY:
        raise Invalid(_("只有教育行政部门可以上传区域地图。"))
    geojson = parse(content)
    area, _created = AreaMap.objects.update_or_create(
        unit=unit,
        defaults={"name": name.strip() or unit.name, "geojson": geojson, "uploaded_by": user},
    )
    ensure_in_scope(user, unit, "change")
    return area


@transaction.atomic
def remove_area_map(user: Any, unit_pk: Any) -> None:
    unit = get_scoped(user, Unit, unit_pk, "change")
    AreaMap.objects.filter(unit=unit).delete()


def map_for(unit: Unit) -> AreaMap | None:
    """The map of the unit's area: its own, else the nearest one above it."""
    from xiaoan.orgs.models import ancestor_paths

    return (
        AreaMap.objects.filter(unit__path__in=ancestor_paths(unit.path))
        .order_by("-unit__depth")
        .first()
    )
