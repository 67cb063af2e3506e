"""What an alert rule may watch in the hazard ledger (xiaoan.alerts.conditions): open hazards
whose rectification deadline (整改期限) is near, and those past it. One query each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.alerts.conditions import Finding, condition
from xiaoan.core.alert_periods import REPEAT, REPEAT_DAYS, days_late, due_period, overdue_period
from xiaoan.hazards.models import Hazard

FIELDS = ("pk", "unit_id", "number", "description", "deadline", "place__name", "place_text")


def _open_with_deadline(within: str):
    return (
        Hazard.objects.open()
        .filter(unit__path__startswith=within, deadline__isnull=False)
        .order_by("deadline", "pk")
        .values(*FIELDS)
    )


def _place(row: dict) -> str:
    return " ".join(p for p in (row["place__name"] or "", row["place_text"]) if p)


@condition(
    "hazard_due_soon",
    gettext_lazy("隐患整改期限将至"),
    thresholds={"days": (gettext_lazy("提前天数"), 3)},
)
def due_soon(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    """Open hazards due today or within `days`: once per hazard and deadline."""
    last = today + dt.timedelta(days=max(int(thresholds.get("days", 3)), 0))
    for row in _open_with_deadline(within).filter(deadline__gte=today, deadline__lte=last):
        left = (row["deadline"] - today).days
        yield Finding(
            unit_id=row["unit_id"],
            key=f"hazard:{row['pk']}",
            period=due_period(row["deadline"]),
            title=_("隐患整改期限将至：%(n)s") % {"n": row["number"]},
            detail=_("%(d)s；整改期限 %(date)s（%(left)s）")
            % {
                "d": row["description"][:100],
                "date": f"{row['deadline']:%Y-%m-%d}",
                "left": _("今天到期") if left == 0 else _("还有 %(n)d 天") % {"n": left},
            },
            url=reverse("hazards:hazard_detail", args=[row["pk"]]),
            place=_place(row),
        )


@condition(
    "hazard_overdue",
    gettext_lazy("隐患逾期未整改"),
    thresholds={"repeat_days": REPEAT},
)
def overdue(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    """Open hazards past their deadline: when they become overdue, then every `repeat_days`."""
    repeat = int(thresholds.get("repeat_days", REPEAT_DAYS))
    for row in _open_with_deadline(within).filter(deadline__lt=today):
        yield Finding(
            unit_id=row["unit_id"],
            key=f"hazard:{row['pk']}",
            period=overdue_period(row["deadline"], today, repeat),
            title=_("隐患逾期未整改：%(n)s") % {"n": row["number"]},
            detail=_("%(d)s；整改期限 %(date)s，已逾期 %(late)d 天")
            % {
                "d": row["description"][:100],
                "date": f"{row['deadline']:%Y-%m-%d}",
                "late": days_late(row["deadline"], today),
            },
            url=reverse("hazards:hazard_detail", args=[row["pk"]]),
            place=_place(row),
        )
