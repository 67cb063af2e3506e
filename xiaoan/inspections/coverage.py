"""Coverage (检查覆盖情况): for a subtree and a date range, each unit's required inspections,
how many are done (submitted or closed), not done and overdue, and who has done nothing.

A constant number of queries whatever the number of units: the scope (cached per person), the
totals, and the rows (all, or one page). Both are one SQL statement each: the subtree's units
joined to the inspections aggregated by unit, so a province's 10,000 schools are counted in the
database and only the page shown travels to Python. Shared by the page, the API and the
benchmark.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connections
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.errors import Invalid, NotFound
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.inspections.choices import DONE_STATUSES, InspectionKind
from xiaoan.inspections.models import Inspection
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

PERMISSION = "inspections.view_inspection"
PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_RANGE_DAYS = 3 * 366


@dataclass(slots=True)
class CoverageRow:
    unit_id: int
    name: str
    path: str
    depth: int
    kind: str
    required: int = 0
    completed: int = 0
    overdue: int = 0

    @property
    def not_done(self) -> int:
        return self.required - self.completed

    @property
    def nothing_done(self) -> bool:
        return self.completed == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit_id,
            "unit_name": self.name,
            "unit_kind": self.kind,
            "depth": self.depth,
            "required": self.required,
            "completed": self.completed,
            "not_done": self.not_done,
            "overdue": self.overdue,
            "nothing_done": self.nothing_done,
        }


TOTAL_KEYS = ("units", "required", "completed", "not_done", "overdue", "nothing_done")


@dataclass
class Coverage:
    unit: Unit
    date_from: dt.date
    date_to: dt.date
    kind: str | None
    rows: list[CoverageRow] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOTAL_KEYS, 0))
    only_nothing_done: bool = False
    offset: int = 0

    @property
    def row_count(self) -> int:
        """Rows of the whole report (under the nothing-done filter if asked), not the page."""
        return self.totals["nothing_done" if self.only_nothing_done else "units"]

    @cached_property
    def nothing_done(self) -> list[CoverageRow]:
        return [r for r in self.rows if r.nothing_done]

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.pk,
            "unit_name": self.unit.name,
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "kind": self.kind or None,
            "totals": self.totals,
            "row_count": self.row_count,
            "offset": self.offset,
            "rows": [r.as_dict() for r in self.rows],
        }


def month_range(period: str) -> tuple[dt.date, dt.date]:
    match = PERIOD_RE.match(period or "")
    if not match:
        raise Invalid(fields={"period": [_("期间格式为 YYYY-MM。")]})
    year, month = int(match[1]), int(match[2])
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_range(
    period: str | None = None,
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
) -> tuple[dt.date, dt.date]:
    """A month (`period`), or from/to dates; neither: the current month."""
    if period:
        return month_range(period)
    errors: dict[str, list[str]] = {}
    values: list[dt.date | None] = []
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                errors[name] = [_("日期格式为 YYYY-MM-DD。")]
                value = None
        values.append(value or None)
    if errors:
        raise Invalid(fields=errors)
    start, end = values
    if start is None and end is None:
        return month_range(f"{timezone.localdate():%Y-%m}")
    start = start or end.replace(day=1)  # type: ignore[union-attr]
    end = end or dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    if end < start:
        raise Invalid(fields={"date_to": [_("结束日期不能早于开始日期。")]})
    if (end - start).days > MAX_RANGE_DAYS:
        raise Invalid(fields={"date_to": [_("统计范围最长三年。")]})
    return start, end


def coverage_unit(user: Any, pk: Any = None, default: Unit | None = None) -> Unit:
    """The unit to report on: `pk` if the person may view inspections there (else 404), or
    `default` when it is in scope, or the top of the person's scope."""
    units = Unit.objects.with_permission(user, PERMISSION)
    if pk not in (None, ""):
        try:
            unit = units.filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            unit = None
        if unit is None:
            raise NotFound()
        return unit
    if default is not None and units.filter(pk=default.pk).exists():
        return default
    unit = units.order_by("depth", "path").first()
    if unit is None:
        raise NotFound()
    return unit


def coverage(
    user: Any,
    unit: Unit,
    date_from: dt.date,
    date_to: dt.date,
    kind: str | None = None,
    *,
    today: dt.date | None = None,
    only_nothing_done: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> Coverage:
    """Every school in the subtree of `unit` within the person's scope, and every other unit
    there with inspections scheduled in [date_from, date_to] (of `kind`), with counts, in tree
    order; `limit`/`offset` for one page of rows (the totals always cover all of them).
    Inspections are those the person may see: unannounced ones still pending stay out of the
    figures of the target's own people, as they stay out of their lists."""
    if kind and kind not in InspectionKind.values:
        raise Invalid(fields={"kind": [_("检查类型无效。")]})
    today = today or timezone.localdate()
    report = Coverage(unit, date_from, date_to, kind, only_nothing_done=only_nothing_done)
    # Past every row anyway; a bigger number would not fit the database's LIMIT/OFFSET.
    report.offset = min(max(0, offset), 2**62)
    if not has_permission_anywhere(user, PERMISSION):
        return report
    units = (
        Unit.objects.with_permission(user, PERMISSION)
        .filter(path__startswith=unit.path)
        .order_by()
        .values("id", "name", "path", "depth", "kind")
    )
    inspections = Inspection.objects.restrict(user, "view").filter(
        unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk"),
        scheduled_on__gte=date_from,
        scheduled_on__lte=date_to,
    )
    if kind:
        inspections = inspections.filter(kind=kind)
    done = Q(status__in=DONE_STATUSES)
    grouped = (
        inspections.order_by()
        .values("unit_id")
        .annotate(
            required=Count("pk"),
            completed=Count("pk", filter=done),
            overdue=Count("pk", filter=Q(due_on__lt=today) & ~done),
        )
    )
    units_sql, units_params = units.query.sql_with_params()
    counts_sql, counts_params = grouped.query.sql_with_params()
    # Both halves are compiled by Django (scope, visibility rules and all); only the join is
    # written here.
    joined = (
        f"FROM ({units_sql}) u LEFT JOIN ({counts_sql}) c ON c.unit_id = u.id "
        "WHERE (u.kind = %s OR c.unit_id IS NOT NULL)"
    )
    params = [*units_params, *counts_params, UnitKind.SCHOOL.value]
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(c.required), 0), COALESCE(SUM(c.completed), 0), "
            "COALESCE(SUM(c.overdue), 0), "
            "COALESCE(SUM(CASE WHEN COALESCE(c.completed, 0) = 0 THEN 1 ELSE 0 END), 0) "
            f"{joined}",
            params,
        )
        n, required, completed, overdue, idle = (int(v) for v in cursor.fetchone())
        report.totals = {
            "units": n,
            "required": required,
            "completed": completed,
            "not_done": required - completed,
            "overdue": overdue,
            "nothing_done": idle,
        }
        rows_sql = (
            "SELECT u.id, u.name, u.path, u.depth, u.kind, COALESCE(c.required, 0), "
            f"COALESCE(c.completed, 0), COALESCE(c.overdue, 0) {joined}"
        )
        rows_params = list(params)
        if only_nothing_done:
            rows_sql += " AND COALESCE(c.completed, 0) = 0"
        rows_sql += " ORDER BY u.path"
        if limit is not None:
            rows_sql += " LIMIT %s OFFSET %s"
            rows_params += [max(0, limit), report.offset]
        cursor.execute(rows_sql, rows_params)
        report.rows = [CoverageRow(*row) for row in cursor.fetchall()]
    return report
