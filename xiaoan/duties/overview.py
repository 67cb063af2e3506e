"""The issuing authority's overview of obligations: units × duties for one period (split
from services.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.errors import Invalid, NotFound
from xiaoan.duties.choices import (
    ObligationStatus,
)
from xiaoan.duties.models import Duty
from xiaoan.duties.services import obligation_units, obligations_for
from xiaoan.inspections.schedules import Period, period_of
from xiaoan.orgs.models import Unit

PERIOD_KEY_RE = re.compile(r"^(\d{4})(?:-(\d{2}|Q[1-4]|H[12]|B[1-6]|spring|autumn))?$")


def parse_period(key: str | None) -> Period:
    """ "2026", "2026-03", "2026-Q1", "2026-H2", "2026-B3", "2026-spring", "2026-autumn" →
    its dates (the inspections' period arithmetic); empty: the current year. 400 otherwise."""
    found = _period(key)
    if isinstance(found, str):
        raise Invalid(fields={"period": [found]})
    return found


def period_problem(key: str | None) -> str:
    """What is wrong with a period key ("" when nothing): the page forms' check."""
    found = _period(key)
    return found if isinstance(found, str) else ""


def _period(key: str | None) -> Period | str:
    """The period, or what is wrong with the key."""
    key = (key or "").strip() or str(timezone.localdate().year)
    match = PERIOD_KEY_RE.match(key)
    if not match:
        return _("周期格式如 2026、2026-03、2026-Q1、2026-H1、2026-spring。")
    year, part = int(match[1]), match[2]
    if not 2000 <= year <= 2100:
        return _("年份无效。")
    if part is None:
        recurrence, on = "yearly", dt.date(year, 1, 1)
    elif part.isdigit():
        if not 1 <= int(part) <= 12:
            return _("月份无效。")
        recurrence, on = "monthly", dt.date(year, int(part), 1)
    elif part[0] == "Q":
        recurrence, on = "quarterly", dt.date(year, (int(part[1]) - 1) * 3 + 1, 1)
    elif part[0] == "H":
        recurrence, on = "half_yearly", dt.date(year, (int(part[1]) - 1) * 6 + 1, 1)
    elif part[0] == "B":
        recurrence, on = "bimonthly", dt.date(year, (int(part[1]) - 1) * 2 + 1, 1)
    else:
        recurrence, on = "semester", dt.date(year, 3 if part == "spring" else 10, 1)
    period = period_of(recurrence, on)
    assert period is not None
    return period


STATUS_KEYS = tuple(ObligationStatus.values)


@dataclass
class OverviewRow:
    unit_id: int
    name: str
    depth: int
    cells: dict[int, dict[str, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_KEYS, 0))

    def cells_for(self, duties: Sequence[Duty]) -> list[dict[str, int] | None]:
        return [self.cells.get(d.pk) for d in duties]


@dataclass
class Overview:
    period: Period
    unit: Unit | None
    duties: list[Duty]
    rows: list[OverviewRow]
    totals: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.key,
            "period_label": self.period.label,
            "date_from": self.period.start.isoformat(),
            "date_to": self.period.end.isoformat(),
            "unit": self.unit.pk if self.unit else None,
            "duties": [{"id": d.pk, "name": d.name} for d in self.duties],
            "totals": self.totals,
            "rows": [
                {
                    "unit": r.unit_id,
                    "unit_name": r.name,
                    "totals": r.totals,
                    "cells": [
                        {"duty": duty_id, **counts} for duty_id, counts in sorted(r.cells.items())
                    ],
                }
                for r in self.rows
            ],
        }


def overview(actor: Any, period: str | None = None, unit: Any = None) -> Overview:
    """Per unit × duty: how many obligations due in the period are met, pending, missed.
    Three queries whatever the numbers (the grouped counts, the units, the duties)."""
    span = parse_period(period)
    scope = obligations_for(actor)
    root = None
    if unit not in (None, ""):
        try:
            root = obligation_units(actor).filter(pk=int(unit)).first()
        except (TypeError, ValueError):
            root = None
        if root is None:
            raise NotFound()
        scope = scope.filter(unit__path__startswith=root.path)
    counts = (
        scope.filter(due_on__gte=span.start, due_on__lte=span.end)
        .order_by()
        .values_list("unit_id", "duty_id", "status")
        .annotate(n=Count("pk"))
    )
    cells: dict[int, dict[int, dict[str, int]]] = defaultdict(dict)
    for unit_id, duty_id, status, n in counts:
        cell = cells[unit_id].setdefault(duty_id, dict.fromkeys(STATUS_KEYS, 0))
        cell[status] = n
    duty_ids = sorted({d for per_unit in cells.values() for d in per_unit})
    duties = (
        list(Duty.objects.filter(pk__in=duty_ids).order_by("issuer_id", "pk")) if duty_ids else []
    )
    units = (
        list(
            Unit.objects.filter(pk__in=sorted(cells))
            .order_by("path")
            .values_list("pk", "name", "depth")
        )
        if cells
        else []
    )
    totals = dict.fromkeys(STATUS_KEYS, 0)
    rows = []
    for pk, name, depth in units:
        row = OverviewRow(pk, name, depth, cells[pk])
        for cell in row.cells.values():
            for key in STATUS_KEYS:
                row.totals[key] += cell[key]
                totals[key] += cell[key]
        rows.append(row)
    return Overview(span, root, duties, rows, totals)
