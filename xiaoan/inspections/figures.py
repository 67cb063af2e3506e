"""Inspections on the dashboard (xiaoan.reports.figures): this month's and this quarter's
coverage by kind (done against planned), overdue ones, and per branch the quarter's coverage.
An unannounced visit (暗访) not yet done is never counted: counting it would announce it."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.inspections.choices import (
    DONE_STATUSES,
    PENDING_STATUSES,
    InspectionKind,
    Recurrence,
)
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.schedules import period_of
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, by_branch, rate, section

DONE = Q(status__in=DONE_STATUSES)


def in_scope(scope: Scope):
    return Inspection.objects.filter(scope.records()).exclude(
        kind=InspectionKind.UNANNOUNCED, status__in=PENDING_STATUSES
    )


@section
def inspection_section(scope: Scope) -> Section | None:
    if not allowed(scope, "inspections.view_inspection"):
        return None
    today = scope.today
    month = period_of(Recurrence.MONTHLY, today)
    quarter = period_of(Recurrence.QUARTERLY, today)
    rows = in_scope(scope).filter(scheduled_on__gte=quarter.start, scheduled_on__lte=quarter.end)
    this_month = Q(scheduled_on__gte=month.start, scheduled_on__lte=month.end)
    counts = rows.aggregate(
        month=Count("pk", filter=this_month),
        month_done=Count("pk", filter=DONE & this_month),
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
            "chart": {"type": "bar", "series": [1, 2]},
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
        grouped = by_branch(scope, rows, "unit", n=Count("pk"), done=Count("pk", filter=DONE))
        result.branches = {
            path: {"quarter_rate": rate(row["done"], row["n"])} for path, row in grouped.items()
        }
    return result
