"""Inspections on the dashboard (xiaoan.reports.figures): this month's and this quarter's
coverage by kind (done against planned), overdue ones, and per branch the quarter's coverage.
An unannounced visit (暗访) not yet done is never counted: counting it would announce it.
Read from the rollup the services keep (xiaoan.inspections.tallies): one row for the unit and
one per ranked unit, never the inspections."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.tallies import month_key, quarter_key
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, rate, section


@section
def inspection_section(scope: Scope) -> Section | None:
    if not allowed(scope, "inspections.view_inspection"):
        return None
    today = scope.today
    month, quarter = f"m:{month_key(today)}", f"q:{quarter_key(today)}"
    counters = scope.counters("inspections")
    counts = {
        "month": counters.get(f"{month}:n", 0),
        "month_done": counters.get(f"{month}:done", 0),
        "quarter": counters.get(f"{quarter}:n", 0),
        "quarter_done": counters.get(f"{quarter}:done", 0),
    }
    overdue = counters.get("overdue", 0)
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
        kind.value: (counters.get(f"{key}:n", 0), counters.get(f"{key}:done", 0))
        for kind in InspectionKind
        for key in [f"k:{quarter_key(today)}:{kind.value}"]
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
    result.branches = {
        path: {"quarter_rate": rate(row.get(f"{quarter}:done", 0), row.get(f"{quarter}:n", 0))}
        for path, row in scope.ranked("inspections").items()
    }
    return result
