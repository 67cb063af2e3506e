"""校园施工项目 on the dashboard (xiaoan.reports.figures): projects in progress, those not
inspected in the last 30 days, those without hard hoarding or a safety agreement, and those
whose contractor's qualification has expired; per branch the unsafe and uninspected counts
for the ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.construction.registers import PROJECTS
from xiaoan.reports.figures import (
    Column,
    Figure,
    Scope,
    Section,
    allowed,
    branches_of,
    section,
    tallied,
)


@section
def construction_section(scope: Scope) -> Section | None:
    if not allowed(scope, "construction.view_constructionproject"):
        return None
    totals = tallied(scope, PROJECTS)
    link = partial(scope.list_url, "construction_projects:constructionproject_list")

    result = Section(key="construction_projects", title=_("校园施工项目"), order=48, brief=False)
    result.figures = [
        Figure(
            "in_progress",
            _("施工中"),
            totals["in_progress"],
            link(status="in_progress"),
            suffix=_("个"),
        ),
        Figure(
            "uninspected",
            _("30天内未检查"),
            totals["uninspected"],
            link(uninspected="true"),
            bad=totals["uninspected"] > 0,
            suffix=_("个"),
        ),
        Figure(
            "unsafe",
            _("未围挡隔离或未签协议"),
            totals["unsafe"],
            link(unsafe="true"),
            bad=totals["unsafe"] > 0,
            suffix=_("个"),
        ),
        Figure(
            "expired",
            _("施工资质过期"),
            totals["expired"],
            link(due="overdue"),
            bad=totals["expired"] > 0,
            suffix=_("个"),
        ),
    ]
    # Shown in the ranking, not weighted into its score.
    result.columns = [
        Column("unsafe", _("施工现场不安全")),
        Column("uninspected", _("施工未检查")),
    ]
    result.branches = branches_of(scope, PROJECTS, "unsafe", "uninspected")
    return result
