"""一楼一档 on the dashboard (xiaoan.reports.figures): buildings on file, 危房 (C/D) and
high-rise ones, appraisals past their date; per branch the 危房 count for the ranking."""

from __future__ import annotations

from functools import partial

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.buildings.choices import DANGEROUS
from xiaoan.buildings.models import BuildingFile
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, by_branch, section

COUNTS = dict(
    total=Count("pk"),
    dangerous=Count("pk", filter=Q(appraisal_grade__in=DANGEROUS)),
    high_rise=Count("pk", filter=Q(is_high_rise=True)),
)


@section
def building_section(scope: Scope) -> Section | None:
    if not allowed(scope, "buildings.view_buildingfile"):
        return None
    rows = BuildingFile.objects.filter(scope.records(), retired_at__isnull=True)
    today = timezone.localdate()
    totals = rows.aggregate(**COUNTS, overdue=Count("pk", filter=Q(next_appraisal_on__lt=today)))
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
    if scope.subtree:
        grouped = by_branch(scope, rows, "unit", dangerous=COUNTS["dangerous"])
        result.branches = {path: {"dangerous": row["dangerous"]} for path, row in grouped.items()}
    return result
