"""Plan tasks on the dashboard (xiaoan.reports.figures): the assignments of active plans held
by units in scope — done, awaiting review, overdue (the one rule, plans.choices) — and per branch
the completion rate. Read from the rollup the services keep (xiaoan.plans.tallies): one row for
the unit and one per ranked unit, never the assignments."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, rate, section

KEYS = ("total", "done", "review", "overdue")


@section
def plan_section(scope: Scope) -> Section | None:
    if not allowed(scope, "plans.view_plan"):
        return None
    counters = scope.counters("plans")
    totals = {key: counters.get(key, 0) for key in KEYS}
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
    result.branches = {
        path: {"overdue": row.get("overdue", 0), "rate": rate(row.get("done", 0), row.get("total"))}
        for path, row in scope.ranked("plans").items()
    }
    return result
