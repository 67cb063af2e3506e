"""What an alert rule may watch across every register's dates (xiaoan.alerts.conditions): the
`DueDate` rows the registers keep (xiaoan.core.registers) — 校车使用许可, 消防设施维修检测,
房屋安全鉴定, 施工资质, 预案修订, 通行有效期 … — falling due or past. The apps' own conditions
(特种设备定期检验, 证书) watch one register each; these watch all of them at once.

Retired items have no dates (their rows are removed), so they are never found. Queries: one
for the dates, and one per register among the findings for the items' names (a fixed number:
the registers, never the rows)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.alerts.conditions import Finding, condition
from xiaoan.core.alert_periods import REPEAT, REPEAT_DAYS, days_late, due_period, overdue_period
from xiaoan.core.models import DueDate
from xiaoan.core.registers import registry

FIELDS = ("pk", "content_type_id", "object_id", "key", "label", "unit_id", "due_on")


def _rows(within: str):
    return (
        DueDate.objects.filter(unit__path__startswith=within)
        .order_by("due_on", "pk")
        .values(*FIELDS)
    )


def _described(rows: list[dict]) -> Iterator[tuple[dict, object, str]]:
    """Each row with its register and the item's name (one query per register)."""
    registers = {}
    for register in registry:
        if register.due:
            registers[ContentType.objects.get_for_model(register.model).pk] = register
    wanted: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        if row["content_type_id"] in registers:
            wanted[row["content_type_id"]].add(row["object_id"])
    names: dict[tuple[int, int], str] = {}
    for type_id, ids in wanted.items():
        model = registers[type_id].model
        for pk, name in model._default_manager.filter(pk__in=ids).values_list("pk", "name"):
            names[type_id, pk] = name
    for row in rows:
        register = registers.get(row["content_type_id"])
        if register is not None:
            yield row, register, names.get((row["content_type_id"], row["object_id"]), "")


@condition(
    "register_date_due",
    gettext_lazy("台账事项即将到期"),
    thresholds={"days": (gettext_lazy("提前天数（0：按各台账自己的提醒天数）"), 0)},
)
def date_due(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    """Dates today or ahead within `days` (0: each register's own warning days): once per
    item, date field and date."""
    days = max(int(thresholds.get("days", 0)), 0)
    rows = _rows(within).filter(due_on__gte=today)
    if days:
        rows = rows.filter(due_on__lte=today + dt.timedelta(days=days))
    else:
        rows = rows.filter(warn_on__lte=today)
    for row, register, name in _described(list(rows)):
        due = row["due_on"]
        yield Finding(
            unit_id=row["unit_id"],
            key=f"{register.key}:{row['object_id']}:{row['key']}",
            period=due_period(due),
            title=_("%(r)s：%(n)s %(what)s即将到期")
            % {"r": register.label, "n": name, "what": row["label"]},
            detail=_("%(what)s %(date)s，还有 %(left)d 天。")
            % {"what": row["label"], "date": f"{due:%Y-%m-%d}", "left": (due - today).days},
            url=reverse(register.url_name("detail"), args=[row["object_id"]]),
        )


@condition(
    "register_date_overdue",
    gettext_lazy("台账事项已过期"),
    thresholds={"repeat_days": REPEAT},
)
def date_overdue(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    """Dates past: when they pass, then every `repeat_days`."""
    repeat = int(thresholds.get("repeat_days", REPEAT_DAYS))
    for row, register, name in _described(list(_rows(within).filter(due_on__lt=today))):
        due = row["due_on"]
        yield Finding(
            unit_id=row["unit_id"],
            key=f"{register.key}:{row['object_id']}:{row['key']}",
            period=overdue_period(due, today, repeat),
            title=_("%(r)s：%(n)s %(what)s已过期")
            % {"r": register.label, "n": name, "what": row["label"]},
            detail=_("%(what)s %(date)s，已过期 %(late)d 天。")
            % {"what": row["label"], "date": f"{due:%Y-%m-%d}", "late": days_late(due, today)},
            url=reverse(register.url_name("detail"), args=[row["object_id"]]),
        )
