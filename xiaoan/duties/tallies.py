"""The duties' tally for the dashboard's rollup (xiaoan.reports.rollups): per unit,
"y:<YYYY>:<status>" — the obligations whose period starts in that year, by status — for every
year from the current one on (the rule: xiaoan.reports.rollups), so a count made last year is
never read as this year's."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count
from django.db.models.functions import ExtractYear

from xiaoan.reports.rollups import tally


@tally("duties", ranked=("y:",), fields=("unit", "unit_id", "status", "period_start"))
def count(unit_ids: list[int] | None, today: dt.date, apps) -> dict[int, Counter]:
    obligation = apps.get_model("duties", "Obligation")
    rows = obligation.objects.order_by().filter(period_start__gte=dt.date(today.year, 1, 1))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    own: dict[int, Counter] = defaultdict(Counter)
    grouped = (
        rows.annotate(year=ExtractYear("period_start"))
        .values_list("unit_id", "year", "status")
        .annotate(n=Count("pk"))
    )
    for unit_id, year, status, n in grouped:
        own[unit_id][f"y:{year}:{status}"] += n
    return own
