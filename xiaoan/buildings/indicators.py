"""寄宿学校烟感报警和自动喷淋全覆盖 (indicator `boarding-sprinklers`, 100% by 2025) from the
building files: a school's value is the share of its dormitories in use that have both an
automatic fire alarm system and sprinklers. A school with no dormitory on file has no value
(missing, never a false 0); the indicator applies to boarding schools only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xiaoan.buildings.models import BuildingFile
from xiaoan.indicators.providers import SchoolIndex, provider
from xiaoan.orgs.choices import BuildingUse


@provider("boarding-sprinklers", reads=("buildings.buildingfile",))
def dormitories_covered(schools: Sequence[Any], year: int) -> dict[int, Decimal | None]:
    """One query whatever the number of schools."""
    index = SchoolIndex(schools)
    rows = BuildingFile.objects.filter(
        index.condition(), use=BuildingUse.DORMITORY, retired_at__isnull=True
    ).values_list("unit__path", "fire_alarm", "sprinklers")
    total: Counter[int] = Counter()
    covered: Counter[int] = Counter()
    for path, alarm, sprinklers in rows:
        school = index.school_of(path)
        if school is None:
            continue
        total[school] += 1
        covered[school] += int(alarm and sprinklers)
    return {
        school: (Decimal(100) * covered[school] / n).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for school, n in total.items()
    }
