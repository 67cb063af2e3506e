"""Inspections on the dashboard (xiaoan.reports.figures): this month's and this quarter's
coverage by kind (done against planned), overdue ones, and per branch the quarter's coverage.
An unannounced visit (暗访) not yet done is never counted: counting it would announce it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.inspections.choices import DONE_STATUSES, PENDING_STATUSES, InspectionKind
from xiaoan.inspections.models import Inspection
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, rate, section

DONE = Q(status__in=DONE_STATUSES)


def quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def in_scope(scope: Scope):
    rows = (
        Inspection.objects.filter(unit__path__startswith=scope.path)
        if scope.subtree
        else Inspection.objects.filter(unit=scope.unit)
    )
    return rows.exclude(kind=InspectionKind.UNANNOUNCED, status__in=PENDING_STATUSES)


@section
def inspection_section(scope: Scope) -> Section | None:
    if not allowed(scope, "inspections.view_inspection"):
        return None
    today = scope.today
    month = today.replace(day=1)
    quarter = quarter_start(today)
    rows = in_scope(scope).filter(
        scheduled_on__gte=quarter, scheduled_on__lte=_quarter_end(quarter)
    )
    counts = rows.aggregate(
        month=Count("pk", filter=Q(scheduled_on__gte=month, scheduled_on__lte=_month_end(month))),
        month_done=Count(
            "pk", filter=DONE & Q(scheduled_on__gte=month, scheduled_on__lte=_month_end(month))
        ),
        quarter=Count("pk"),
        quarter_done=Count("pk", filter=DONE),
    )
    overdue = in_scope(scope).filter(status__in=PENDING_STATUSES, due_on__lt=today).count()
    url = reverse("inspections:inspection_list")
    result = Section(key="inspections", title=_("检查排查"), order=20)
    result.figures = [
        Figure("month", _("本月应检查"), counts["month"], suffix=_("次")),
        Figure("month_done", _("本月已完成"), counts["month_done"], suffix=_("次")),
        Figure(
            "month_rate", _("本月完成率"), rate(counts["month_done"], counts["month"]), suffix="%"
        ),
        Figure(
            "quarter_rate",
            _("本季度完成率"),
            rate(counts["quarter_done"], counts["quarter"]),
            suffix="%",
        ),
        Figure(
            "overdue",
            _("逾期未完成检查"),
            overdue,
            f"{url}?status=planned&scheduled_before={today.isoformat()}",
            bad=overdue > 0,
            suffix=_("次"),
        ),
    ]
    by_kind = {
        kind: (n, done)
        for kind, n, done in rows.values_list("kind")
        .annotate(n=Count("pk"), done=Count("pk", filter=DONE))
        .order_by()
    }
    result.tables = [
        {
            "key": "by_kind",
            "title": _("本季度检查按类型"),
            "columns": [_("类型"), _("应检查"), _("已完成"), _("完成率（%）")],
            "rows": [
                [str(kind.label), n, done, rate(done, n)]
                for kind in InspectionKind
                for n, done in [by_kind.get(kind.value, (0, 0))]
                if n
            ],
        }
    ]
    result.columns = [Column("quarter_rate", _("本季度检查完成率"), percent=True)]
    if scope.subtree:
        grouped = (
            rows.annotate(branch=Substr("unit__path", 1, scope.branch_length))
            .values_list("branch")
            .annotate(n=Count("pk"), done=Count("pk", filter=DONE))
            .order_by()
        )
        result.branches = {branch: {"quarter_rate": rate(done, n)} for branch, n, done in grouped}
    return result


def _month_end(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _quarter_end(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
