"""一楼一档 on the dashboard (xiaoan.reports.figures): buildings on file, 危房 (C/D) and
high-rise ones, appraisals past their date; per branch the 危房 count for the ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.buildings.registers import BUILDINGS
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
def building_section(scope: Scope) -> Section | None:
    if not allowed(scope, "buildings.view_buildingfile"):
        return None
    totals = tallied(scope, BUILDINGS)
    link = partial(scope.list_url, "buildings:buildingfile_list")

    # On the dashboard and its workbook; the one-page brief keeps to the headline sections.
    result = Section(key="buildings", title=_("校舍（一楼一档）"), order=40, brief=False)
    result.figures = [
        Figure("total", _("在册楼栋"), totals["total"], link(), suffix=_("栋")),
        Figure(
            "dangerous",
            _("危房（C/D级）"),
            totals["dangerous"],
            link(dangerous="true"),
            bad=totals["dangerous"] > 0,
            suffix=_("栋"),
        ),
        Figure(
            "high_rise",
            _("高层建筑"),
            totals["high_rise"],
            link(is_high_rise="true"),
            suffix=_("栋"),
        ),
        Figure(
            "appraisal_overdue",
            _("鉴定已过期"),
            totals["overdue"],
            link(due="overdue"),
            bad=totals["overdue"] > 0,
            suffix=_("栋"),
        ),
    ]
    # Shown in the ranking, not weighted into its score (nor printed in the brief).
    result.columns = [Column("dangerous", _("危房"))]
    result.branches = branches_of(scope, BUILDINGS, "dangerous")
    return result
