"""一台一档 on the dashboard (xiaoan.reports.figures): special equipment on file and those
whose statutory inspection is past its date (and due within 30 days), those without an
operator whose certificate is valid today; per branch the
overdue count for the ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.equipment.models import Equipment
from xiaoan.equipment.operators import has_valid_operator
from xiaoan.equipment.registers import EQUIPMENT
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
def equipment_section(scope: Scope) -> Section | None:
    if not allowed(scope, "equipment.view_equipment"):
        return None
    totals = tallied(scope, EQUIPMENT)
    # Read live: it turns on the operators' certificates, not on the equipment's records.
    rows = Equipment.objects.filter(scope.records(), retired_at__isnull=True)
    no_operator = rows.filter(~has_valid_operator(scope.today)).count()
    link = partial(scope.list_url, "equipment:equipment_list")

    # On the dashboard and its workbook; the one-page brief keeps to the headline sections.
    result = Section(key="equipment", title=_("特种设备（一台一档）"), order=45, brief=False)
    result.figures = [
        Figure("total", _("在册特种设备"), totals["total"], link(), suffix=_("台")),
        Figure(
            "inspection_overdue",
            _("定期检验逾期"),
            totals["overdue"],
            link(inspection_overdue="true"),
            bad=totals["overdue"] > 0,
            suffix=_("台"),
        ),
        Figure(
            "inspection_soon",
            _("30天内到期（含逾期）"),
            totals["soon"],
            link(due="soon"),
            suffix=_("台"),
        ),
        Figure(
            "no_valid_operator",
            _("特种设备无有效持证操作人员"),
            no_operator,
            link(operators_invalid="true"),
            bad=no_operator > 0,
            suffix=_("台"),
        ),
    ]
    # Shown in the ranking, not weighted into its score (the weights are the districts').
    result.columns = [Column("inspection_overdue", _("检验逾期"))]
    result.branches = {
        path: {"inspection_overdue": row["overdue"]}
        for path, row in branches_of(scope, EQUIPMENT, "overdue").items()
    }
    return result
