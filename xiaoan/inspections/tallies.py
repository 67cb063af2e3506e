"""The inspections' tally for the dashboard's rollup (xiaoan.reports.rollups).

Per unit, counted as of the day the count runs (the rule: xiaoan.reports.rollups):
- "m:<YYYY-MM>:n" / ":done": inspections scheduled in that month, and those done;
- "q:<YYYY-Qn>:n" / ":done": the same per quarter (the ranking's, kept in `ranked`);
- "k:<YYYY-Qn>:<kind>:n" / ":done": the quarter's by kind;
for every period from the current quarter on (a count made in an earlier quarter still holds
the current one's keys); "overdue": not done and due before the day of the count.
An unannounced visit (暗访) not yet done is never counted: counting it would announce it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count

from xiaoan.inspections.choices import (
    DONE_STATUSES,
    PENDING_STATUSES,
    InspectionKind,
    Recurrence,
)
from xiaoan.inspections.schedules import period_of
from xiaoan.reports.rollups import tally


def counted(apps):
    inspection = apps.get_model("inspections", "Inspection")
    return inspection.objects.order_by().exclude(
        kind=InspectionKind.UNANNOUNCED, status__in=PENDING_STATUSES
    )


def month_key(day: dt.date) -> str:
    return period_of(Recurrence.MONTHLY, day).key


def quarter_key(day: dt.date) -> str:
    return period_of(Recurrence.QUARTERLY, day).key


@tally(
    "inspections",
    ranked=("q:",),
    fields=("unit", "unit_id", "kind", "status", "scheduled_on", "due_on", "period"),
)
def count(unit_ids: list[int] | None, today: dt.date, apps) -> dict[int, Counter]:
    rows = counted(apps)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    own: dict[int, Counter] = defaultdict(Counter)
    start = period_of(Recurrence.QUARTERLY, today).start
    grouped = (
        rows.filter(scheduled_on__gte=start)
        .values_list("unit_id", "kind", "status", "scheduled_on")
        .annotate(n=Count("pk"))
    )
    for unit_id, kind, status, day, n in grouped:
        counters = own[unit_id]
        done = status in DONE_STATUSES
        month, quarter = month_key(day), quarter_key(day)
        for key in (f"m:{month}", f"q:{quarter}", f"k:{quarter}:{kind}"):
            counters[f"{key}:n"] += n
            if done:
                counters[f"{key}:done"] += n
    late = (
        rows.filter(status__in=PENDING_STATUSES, due_on__lt=today)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    for unit_id, n in late:
        own[unit_id]["overdue"] += n
    return own
