"""What an alert rule may watch in the inspections (xiaoan.alerts.conditions): a self-check
(自查) not done by its due date — planned or begun, not submitted, and its due date (else its
planned date) past. One query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.alerts.conditions import Finding, condition
from xiaoan.core.alert_periods import REPEAT, REPEAT_DAYS, days_late, overdue_period
from xiaoan.inspections.choices import InspectionKind, InspectionStatus
from xiaoan.inspections.models import Inspection

NOT_DONE = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)


@condition(
    "self_check_overdue",
    gettext_lazy("自查逾期未完成"),
    thresholds={"repeat_days": REPEAT},
)
def self_check_overdue(
    today: dt.date, thresholds: dict[str, int], within: str
) -> Iterator[Finding]:
    """Self-checks not submitted by their due date: when the date passes, then every
    `repeat_days` while still not done."""
    repeat = int(thresholds.get("repeat_days", REPEAT_DAYS))
    rows = (
        Inspection.objects.filter(
            Q(due_on__lt=today) | Q(due_on__isnull=True, scheduled_on__lt=today),
            unit__path__startswith=within,
            kind=InspectionKind.SELF_CHECK,
            status__in=NOT_DONE,
        )
        .order_by("scheduled_on", "pk")
        .values("pk", "unit_id", "number", "title", "scheduled_on", "due_on", "status")
    )
    for row in rows:
        due = row["due_on"] or row["scheduled_on"]
        yield Finding(
            unit_id=row["unit_id"],
            key=f"inspection:{row['pk']}",
            period=overdue_period(due, today, repeat),
            title=_("自查逾期未完成：%(t)s") % {"t": row["title"][:80]},
            detail=_("%(n)s，应于 %(date)s 前完成，已逾期 %(late)d 天（%(s)s）")
            % {
                "n": row["number"],
                "date": f"{due:%Y-%m-%d}",
                "late": days_late(due, today),
                "s": InspectionStatus(row["status"]).label,
            },
            url=reverse("inspections:inspection_detail", args=[row["pk"]]),
        )
