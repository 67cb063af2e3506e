"""What an alert rule may watch in 一台一档 (xiaoan.alerts.conditions): special equipment
whose statutory inspection (定期检验) falls due within the threshold, and equipment past it.
Items in use only; one query each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.alerts.conditions import Finding, condition
from xiaoan.core.alert_periods import REPEAT, REPEAT_DAYS, days_late, due_period, overdue_period
from xiaoan.equipment.choices import EquipmentKind
from xiaoan.equipment.models import Equipment

FIELDS = ("pk", "unit_id", "name", "code", "kind", "next_inspection_on", "place__name")


def _in_use(within: str):
    return (
        Equipment.objects.filter(
            unit__path__startswith=within,
            retired_at__isnull=True,
            next_inspection_on__isnull=False,
        )
        .order_by("next_inspection_on", "pk")
        .values(*FIELDS)
    )


def _name(row: dict) -> str:
    kind = EquipmentKind(row["kind"]).label if row["kind"] in EquipmentKind.values else ""
    name = f"{row['name']}（{row['code']}）" if row["code"] else row["name"]
    return f"{kind} {name}".strip()


@condition(
    "equipment_inspection_due",
    gettext_lazy("特种设备定期检验即将到期"),
    thresholds={"days": (gettext_lazy("提前天数"), 30)},
)
def inspection_due(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    """Next inspection today or within `days`: once per item and inspection date."""
    last = today + dt.timedelta(days=max(int(thresholds.get("days", 30)), 0))
    for row in _in_use(within).filter(next_inspection_on__gte=today, next_inspection_on__lte=last):
        due = row["next_inspection_on"]
        yield Finding(
            unit_id=row["unit_id"],
            key=f"equipment:{row['pk']}",
            period=due_period(due),
            title=_("特种设备定期检验即将到期：%(n)s") % {"n": _name(row)},
            detail=_("下次定期检验日期 %(date)s，还有 %(left)d 天，请提前向检验机构申请检验。")
            % {"date": f"{due:%Y-%m-%d}", "left": (due - today).days},
            url=reverse("equipment:equipment_detail", args=[row["pk"]]),
            place=row["place__name"] or "",
        )


@condition(
    "equipment_inspection_overdue",
    gettext_lazy("特种设备定期检验已逾期"),
    thresholds={"repeat_days": REPEAT},
)
def inspection_overdue(
    today: dt.date, thresholds: dict[str, int], within: str
) -> Iterator[Finding]:
    """Next inspection date past: when it passes, then every `repeat_days`."""
    repeat = int(thresholds.get("repeat_days", REPEAT_DAYS))
    for row in _in_use(within).filter(next_inspection_on__lt=today):
        due = row["next_inspection_on"]
        yield Finding(
            unit_id=row["unit_id"],
            key=f"equipment:{row['pk']}",
            period=overdue_period(due, today, repeat),
            title=_("特种设备定期检验已逾期：%(n)s") % {"n": _name(row)},
            detail=_(
                "应于 %(date)s 前检验，已逾期 %(late)d 天；未经定期检验的特种设备不得继续使用。"
            )
            % {"date": f"{due:%Y-%m-%d}", "late": days_late(due, today)},
            url=reverse("equipment:equipment_detail", args=[row["pk"]]),
            place=row["place__name"] or "",
        )
