"""The hazards' tally for the dashboard's rollup (xiaoan.reports.rollups): per unit, open
hazards by status and level, by domain, overdue, supervised, 屡查屡犯, 自查未发现, closed on
time, found and closed per month. No counter depends on the day: overdue is the hazards' own
flag, which the daily pass sets (and touches)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from xiaoan.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from xiaoan.reports.rollups import tally

OPEN = Q(status__in=OPEN_STATUSES)
COUNTED = ~Q(status=HazardStatus.DISMISSED)
CLOSED = Q(status=HazardStatus.CLOSED)
ON_TIME = CLOSED & (Q(deadline__isnull=True) | Q(closed_at__date__lte=F("deadline")))
FLAGS = {
    "overdue": OPEN & Q(is_overdue=True),
    "supervised": OPEN & Q(is_supervised=True),
    "recurring": COUNTED & Q(is_recurring=True),
    "missed": COUNTED & Q(missed_by_self_check=True),
    "closed_on_time": ON_TIME,
}


# The counters every dashboard shows and the ranking compares (kept apart in `ranked`).
RANKED = (
    "open",
    "open_major",
    "overdue",
    "supervised",
    "total",
    "closed",
    "closed_on_time",
    "recurring",
    "missed",
)


def _month(value) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m}"


@tally("hazards", ranked=RANKED)
def count(unit_ids: list[int] | None, today, apps) -> dict[int, Counter]:
    return count_own(unit_ids, apps.get_model("hazards", "Hazard"))


def count_own(unit_ids: Iterable[int] | None = None, hazard_model=None) -> dict[int, Counter]:
    """Each unit's own counters, recounted from its hazards (all units when None)."""
    if hazard_model is None:
        from xiaoan.hazards.models import Hazard as hazard_model
    rows = hazard_model.objects.order_by()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    own: dict[int, Counter] = defaultdict(Counter)
    grouped = rows.values("unit_id", "status", "level").annotate(
        n=Count("pk"), **{key: Count("pk", filter=q) for key, q in FLAGS.items()}
    )
    for row in grouped:
        counters = own[row["unit_id"]]
        status, level, n = row["status"], row["level"] or "", row["n"]
        counters[f"s:{status}|{level}"] += n
        if status in OPEN_STATUSES:
            counters["open"] += n
            if level == HazardLevel.MAJOR:
                counters["open_major"] += n
        if status != HazardStatus.DISMISSED:
            counters["total"] += n
        if status == HazardStatus.CLOSED:
            counters["closed"] += n
        for key in FLAGS:
            counters[key] += row[key]
    for unit_id, domain, n in (
        rows.filter(OPEN).values_list("unit_id", "domain").annotate(n=Count("pk"))
    ):
        own[unit_id][f"d:{domain}"] += n
    for prefix, field, q in (("f", "found_at", COUNTED), ("c", "closed_at", CLOSED)):
        months = (
            rows.filter(q, **{f"{field}__isnull": False})
            .annotate(month=TruncMonth(field))
            .values_list("unit_id", "month")
            .annotate(n=Count("pk"))
        )
        for unit_id, month, n in months:
            own[unit_id][f"{prefix}:{_month(month)}"] += n
    return own
