"""Indicators on the dashboard (xiaoan.reports.figures): each indicator's value against this
year's target, red where behind, and per branch how many indicators it has not met."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.indicators import values
from xiaoan.indicators.values import plain
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, section


def _plain(number):
    return None if number is None else float(number)


@section
def indicator_section(scope: Scope) -> Section | None:
    if not allowed(scope, values.VIEW):
        return None
    year = scope.today.year
    board = values.board(scope.unit, year, branches=scope.subtree, counts_only=True)
    url = reverse("indicators:indicator_list")
    result = Section(key="indicators", title=_("指标完成情况（%(y)d 年）") % {"y": year}, order=60)
    result.figures = [
        Figure(
            c.indicator.code,
            c.indicator.name,
            _plain(c.value),
            f"{reverse('indicators:indicator_detail', args=[c.indicator.pk])}?unit={scope.unit.pk}",
            bad=c.behind,
            suffix=c.indicator.measure,
        )
        for c in board.cells
    ]
    result.figures.append(
        Figure(
            "behind",
            _("未达标指标数"),
            board.behind,
            f"{url}?unit={scope.unit.pk}",
            bad=board.behind > 0,
            suffix=_("项"),
        )
    )
    result.tables = [
        {
            "key": "targets",
            "title": _("指标与年度目标"),
            "columns": [_("指标"), _("目标"), _("本单位"), _("状态")],
            "rows": [
                [
                    c.indicator.name,
                    "—" if c.target is None else f"{plain(c.target)}{c.indicator.measure}",
                    "—" if c.value is None else f"{plain(c.value)}{c.indicator.measure}",
                    c.standing_label,
                ]
                for c in board.cells
            ],
        }
    ]
    result.columns = [Column("behind", _("未达标指标数"), weight=1)]
    result.branches = {path: {"behind": n} for path, n in board.behind_by_branch.items()}
    return result
