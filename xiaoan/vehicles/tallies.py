"""The campus vehicles' violations for the dashboard's rollup (xiaoan.reports.rollups): per
unit, "m:<YYYY-MM>:violations" — the violations recorded that month — for every month from the
current one on (the rule: xiaoan.reports.rollups), so last month's count is never read as this
month's. The violation service touches it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from xiaoan.reports.rollups import tally

KIND = "vehicle_violations"


def month_key(day: dt.date) -> str:
    return f"m:{day:%Y-%m}:violations"


@tally(KIND, ranked=("m:",))
def count(unit_ids: list[int] | None, today: dt.date, apps) -> dict[int, Counter]:
    violation = apps.get_model("vehicles", "Violation")
    rows = violation.objects.order_by().filter(occurred_on__gte=today.replace(day=1))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    own: dict[int, Counter] = defaultdict(Counter)
    grouped = (
        rows.annotate(year=ExtractYear("occurred_on"), month=ExtractMonth("occurred_on"))
        .values_list("unit_id", "year", "month")
        .annotate(n=Count("pk"))
    )
    for unit_id, year, month, n in grouped:
        own[unit_id][month_key(dt.date(year, month, 1))] += n
    return own
