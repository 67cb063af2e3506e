"""重点水域 on the dashboard (xiaoan.reports.figures): waters on file, those without a
patrol in the last 14 days in the drowning-prevention season, those without warning signs,
and the patrols this year's season that found a problem; per branch the unpatrolled and
unsigned counts for the ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

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
from xiaoan.waters.models import in_season
from xiaoan.waters.registers import WATERS
from xiaoan.waters.tallies import KIND as PROBLEMS_KIND
from xiaoan.waters.tallies import year_key


@section
def water_section(scope: Scope) -> Section | None:
    if not allowed(scope, "waters.view_water"):
        return None
    totals = tallied(scope, WATERS)
    link = partial(scope.list_url, "waters:water_list")
    # Kept by the patrol service (xiaoan.waters.tallies).
    problems = scope.counters(PROBLEMS_KIND).get(year_key(scope.today.year), 0)

    result = Section(key="waters", title=_("重点水域（防溺水）"), order=47, brief=False)
    result.figures = [
        Figure("total", _("重点水域"), totals["total"], link(), suffix=_("处")),
        Figure(
            "unpatrolled",
            _("14天未巡查") if in_season(scope.today) else _("14天未巡查（非防溺水季）"),
            totals["unpatrolled"],
            link(unpatrolled="true"),
            bad=totals["unpatrolled"] > 0,
            suffix=_("处"),
        ),
        Figure(
            "no_signs",
            _("未设警示标志"),
            totals["no_signs"],
            link(has_signs="false"),
            bad=totals["no_signs"] > 0,
            suffix=_("处"),
        ),
        Figure("problems", _("本年巡查发现问题"), problems, bad=problems > 0, suffix=_("次")),
    ]
    # Shown in the ranking, not weighted into its score.
    result.columns = [Column("unpatrolled", _("水域未巡查")), Column("no_signs", _("水域无警示"))]
    result.branches = branches_of(scope, WATERS, "unpatrolled", "no_signs")
    return result
