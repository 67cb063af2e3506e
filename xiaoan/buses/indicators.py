"""校车人脸识别系统安装率, 校车红外生命探测装置安装率 and 校车监控平台覆盖率 (indicators
`bus-face-recognition`, `bus-infrared`, `bus-monitoring`) from the register: a school's value
is the share (0–100) of its buses in use on the reference day (today in the current year,
else the year's last day) that are fitted. A school with no bus on file has no value
(missing), never a false 0."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from xiaoan.buses.models import Bus
from xiaoan.indicators.providers import SchoolIndex, provider


def reference_day(year: int) -> dt.date:
    today = timezone.localdate()
    return today if year >= today.year else dt.date(year, 12, 31)


def fitted_share(schools: Sequence[Any], year: int, field: str) -> dict[int, Decimal | None]:
    """One query whatever the number of schools."""
    if not schools:
        return {}
    day = reference_day(year)
    index = SchoolIndex(schools)
    rows = (
        Bus.objects.filter(index.condition())
        .filter(Q(retired_at__isnull=True) | Q(retired_at__date__gt=day))
        .values_list("unit__path", field)
    )
    totals: dict[int, int] = {}
    hits: dict[int, int] = {}
    for path, fitted in rows:
        school = index.school_of(path)
        if school is None:
            continue
        totals[school] = totals.get(school, 0) + 1
        hits[school] = hits.get(school, 0) + int(bool(fitted))
    out: dict[int, Decimal | None] = {}
    for school in schools:
        total = totals.get(school.pk, 0)
        out[school.pk] = (
            (Decimal(100) * hits[school.pk] / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if total
            else None
        )
    return out


@provider("bus-face-recognition", reads=("buses.bus",))
def face_recognition(schools: Sequence[Any], year: int) -> dict[int, Decimal | None]:
    return fitted_share(schools, year, "has_face_recognition")


@provider("bus-infrared", reads=("buses.bus",))
def infrared(schools: Sequence[Any], year: int) -> dict[int, Decimal | None]:
    return fitted_share(schools, year, "has_infrared")


@provider("bus-monitoring", reads=("buses.bus",))
def monitoring(schools: Sequence[Any], year: int) -> dict[int, Decimal | None]:
    return fitted_share(schools, year, "has_monitoring")
