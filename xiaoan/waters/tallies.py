"""The water patrols that found a problem, for the dashboard's rollup (xiaoan.reports.rollups):
per unit, "y:<YYYY>:problems" — the patrols from that year's drowning-prevention season on
that found a problem — for every year from the current one on (the rule:
xiaoan.reports.rollups). The patrol service touches it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count
from django.db.models.functions import ExtractYear

from xiaoan.reports.rollups import tally

KIND = "water_problems"


def season_start(year: int) -> dt.date:
    from xiaoan.waters.models import SEASON_MONTHS

    return dt.date(year, SEASON_MONTHS.start, 1)


def year_key(year: int) -> str:
    return f"y:{year}:problems"


@tally(KIND)
def count(unit_ids: list[int] | None, today: dt.date, apps) -> dict[int, Counter]:
    patrol = apps.get_model("waters", "WaterPatrol")
    # Patrols are never later than today: from this season's start is this year's.
    rows = patrol.objects.order_by().filter(
        problem=True, patrolled_on__gte=season_start(today.year)
    )
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    own: dict[int, Counter] = defaultdict(Counter)
    grouped = (
        rows.annotate(year=ExtractYear("patrolled_on"))
        .values_list("unit_id", "year")
        .annotate(n=Count("pk"))
    )
    for unit_id, year, n in grouped:
        own[unit_id][year_key(year)] += n
    return own
