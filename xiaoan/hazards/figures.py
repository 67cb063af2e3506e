"""The hazard loop on the dashboard (xiaoan.reports.figures): open hazards by level, status and
domain, the 动态清零 board of open majors with their age, overdue, closure and on-time closure
rates, 屡查屡犯 and 自查未发现, found and closed per month, and per subordinate branch the
figures the ranking compares. One grouped query per table, whatever the number of branches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, rate, section

OPEN = Q(status__in=OPEN_STATUSES)
MAJOR = Q(level=HazardLevel.MAJOR)
COUNTED = ~Q(status=HazardStatus.DISMISSED)
CLOSED = Q(status=HazardStatus.CLOSED)
ON_TIME = CLOSED & (Q(deadline__isnull=True) | Q(closed_at__date__lte=F("deadline")))

# One row of figures: what each branch of the ranking and the headline both count.
COUNTS = {
    "open": Count("pk", filter=OPEN),
    "open_major": Count("pk", filter=OPEN & MAJOR),
    "overdue": Count("pk", filter=OPEN & Q(is_overdue=True)),
    "supervised": Count("pk", filter=OPEN & Q(is_supervised=True)),
    "total": Count("pk", filter=COUNTED),
    "closed": Count("pk", filter=CLOSED),
    "closed_on_time": Count("pk", filter=ON_TIME),
    "recurring": Count("pk", filter=COUNTED & Q(is_recurring=True)),
    "missed": Count("pk", filter=COUNTED & Q(missed_by_self_check=True)),
}


def in_scope(scope: Scope):
    if scope.subtree:
        return Hazard.objects.filter(unit__path__startswith=scope.path)
    return Hazard.objects.filter(unit=scope.unit)


def _ledger(scope: Scope, **params: Any) -> str:
    return f"{reverse('hazards:hazard_list')}?{urlencode({'unit': scope.unit.pk, **params})}"


def _rates(row: dict) -> dict:
    return {
        **row,
        "closure_rate": rate(row["closed"], row["total"]),
        "on_time_rate": rate(row["closed_on_time"], row["closed"]),
    }


@section
def hazard_section(scope: Scope) -> Section | None:
    if not allowed(scope, "hazards.view_hazard"):
        return None
    rows = in_scope(scope)
    totals = _rates(rows.aggregate(**COUNTS))
    result = Section(key="hazards", title=_("隐患排查治理"), order=10)
    result.figures = [
        Figure(
            "open", _("未销号隐患"), totals["open"], _ledger(scope, open="true"), suffix=_("项")
        ),
        Figure(
            "open_major",
            _("未销号重大隐患"),
            totals["open_major"],
            _ledger(scope, open="true", level=HazardLevel.MAJOR),
            bad=totals["open_major"] > 0,
            suffix=_("项"),
        ),
        Figure(
            "overdue",
            _("逾期未整改"),
            totals["overdue"],
            _ledger(scope, overdue="true"),
            bad=totals["overdue"] > 0,
            suffix=_("项"),
        ),
        Figure(
            "supervised",
            _("挂牌督办中"),
            totals["supervised"],
            _ledger(scope, supervised="true", open="true"),
            suffix=_("项"),
        ),
        Figure("closure_rate", _("整改销号率"), totals["closure_rate"], suffix="%"),
        Figure("on_time_rate", _("按期销号率"), totals["on_time_rate"], suffix="%"),
        Figure(
            "recurring",
            _("屡查屡犯"),
            totals["recurring"],
            _ledger(scope, recurring="true"),
            suffix=_("项"),
        ),
        Figure(
            "missed",
            _("自查未发现"),
            totals["missed"],
            _ledger(scope, missed="true"),
            suffix=_("项"),
        ),
    ]
    result.tables = [_by_status(rows), _by_domain(rows), _by_month(rows, scope.today)]
    result.board = _majors(rows, scope.today)
    result.columns = [
        Column("open_major", _("未销号重大隐患"), weight=10),
        Column("overdue", _("逾期未整改"), weight=3),
        Column("open", _("未销号隐患"), weight=1),
        Column("recurring", _("屡查屡犯"), weight=2),
        Column("missed", _("自查未发现"), weight=2),
        Column("closure_rate", _("整改销号率"), percent=True),
    ]
    if scope.subtree:
        branch = Substr("unit__path", 1, scope.branch_length)
        grouped = rows.annotate(branch=branch).values("branch").annotate(**COUNTS).order_by()
        result.branches = {row.pop("branch"): _rates(row) for row in grouped}
    return result


def _by_status(rows) -> dict:
    counts = {
        (r["status"], r["level"]): r["n"]
        for r in rows.values("status", "level").annotate(n=Count("pk")).order_by()
    }
    levels = [(HazardLevel.GENERAL, _("一般隐患")), (HazardLevel.MAJOR, _("重大隐患"))]
    table_rows = []
    for status in HazardStatus:
        cells = [counts.get((status.value, level.value), 0) for level, _label in levels]
        unrated = counts.get((status.value, ""), 0)
        table_rows.append([str(status.label), *cells, unrated, sum(cells) + unrated])
    return {
        "key": "by_status",
        "title": _("按状态和等级"),
        "columns": [_("状态"), *[label for _level, label in levels], _("未定级"), _("合计")],
        "rows": table_rows,
    }


def _by_domain(rows) -> dict:
    counts = dict(rows.filter(OPEN).values_list("domain").annotate(n=Count("pk")).order_by())
    table_rows = [
        [str(domain.label), counts[domain.value]]
        for domain in SafetyDomain
        if counts.get(domain.value)
    ]
    return {
        "key": "by_domain",
        "title": _("未销号隐患按领域"),
        "columns": [_("领域"), _("未销号")],
        "rows": table_rows,
    }


def months_back(today: dt.date, count: int = 12) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for _i in range(count):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _by_month(rows, today: dt.date) -> dict:
    months = months_back(today)
    start = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))

    def per_month(field: str, extra: Q) -> dict[dt.date, int]:
        grouped = (
            rows.filter(extra, **{f"{field}__gte": start})
            .annotate(month=TruncMonth(field))
            .values_list("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {_as_date(month): n for month, n in grouped}

    found = per_month("found_at", COUNTED)
    closed = per_month("closed_at", CLOSED)
    return {
        "key": "by_month",
        "title": _("近12个月发现与销号"),
        "columns": [_("月份"), _("发现"), _("销号")],
        "rows": [
            [month.strftime("%Y-%m"), found.get(month, 0), closed.get(month, 0)] for month in months
        ],
    }


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _majors(rows, today: dt.date) -> list[dict]:
    """动态清零: the open majors, oldest first, with their age in days (at most 20 shown)."""
    majors = rows.filter(OPEN & MAJOR).select_related("unit").order_by("found_at")[:20]
    return [
        {
            "pk": h.pk,
            "number": h.number,
            "unit": h.unit.name,
            "description": h.description,
            "status": str(h.get_status_display()),
            "age_days": h.age_days(today),
            "overdue": h.is_overdue,
        }
        for h in majors
    ]
