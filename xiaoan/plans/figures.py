"""Plan tasks on the dashboard (xiaoan.reports.figures): the assignments of active plans held
by units in scope — done, awaiting review, overdue (the one rule, plans.choices) — and per branch
the completion rate."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.plans.choices import FINISHED, OPEN, PlanStatus, Progress
from xiaoan.plans.models import Assignment
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, by_branch, rate, section


@section
def plan_section(scope: Scope) -> Section | None:
    if not allowed(scope, "plans.view_plan"):
        return None
    today = scope.today
    rows = Assignment.objects.filter(scope.records(), task__plan__status=PlanStatus.ACTIVE)
    # Overdue by the one rule: marked so, or open past its deadline before the daily pass.
    late = Q(status=Progress.OVERDUE) | Q(status__in=OPEN, due_on__lt=today)
    counts = dict(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=FINISHED)),
        review=Count("pk", filter=Q(status=Progress.SUBMITTED)),
        overdue=Count("pk", filter=late),
    )
    totals = rows.aggregate(**counts)
    result = Section(key="plans", title=_("工作方案任务"), order=40)
    result.figures = [
        Figure("total", _("承办任务"), totals["total"], reverse("plans:plan_list"), suffix=_("项")),
        Figure("rate", _("完成率"), rate(totals["done"], totals["total"]), suffix="%"),
        Figure("review", _("待审核"), totals["review"], suffix=_("项")),
        Figure(
            "overdue", _("逾期未完成"), totals["overdue"], bad=totals["overdue"] > 0, suffix=_("项")
        ),
    ]
    result.columns = [
        Column("overdue", _("方案任务逾期"), weight=2),
        Column("rate", _("方案任务完成率"), percent=True),
    ]
    if scope.subtree:
        grouped = by_branch(scope, rows, "unit", **counts)
        result.branches = {
            path: {"overdue": row["overdue"], "rate": rate(row["done"], row["total"])}
            for path, row in grouped.items()
        }
    return result
