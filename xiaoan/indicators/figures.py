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


def _board(scope: Scope, year: int) -> values.Board:
    """The unit's cells and each ranked branch's count of indicators behind, from the
    rollup (xiaoan.indicators.tallies); only `min` indicators are worked out from the
    schools."""
    from xiaoan.indicators.choices import Rollup
    from xiaoan.indicators.tallies import KIND
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.reports.models import Rollup as Counters

    unit = scope.unit
    indicators = values.applicable(unit)
    book = values.TargetBook.load([i.pk for i in indicators], year)
    lowest = [i for i in indicators if i.rollup == Rollup.MIN]
    live = None
    if lowest and unit.kind != UnitKind.SCHOOL:
        live = values.board(unit, year, indicators=lowest, branches=scope.subtree, counts_only=True)
    if scope.subtree or unit.kind == UnitKind.SCHOOL:
        counters = scope.counters(KIND)
    else:  # the unit alone: its value is still made of its schools'
        found = Counters.objects.filter(kind=KIND, unit=unit).values_list("subtree", flat=True)
        counters = next(iter(found), None) or {}
    least = {c.indicator.pk: c.value for c in live.cells} if live else {}
    cells = values.from_counters(indicators, unit, counters, book, year, least)
    result = values.Board(unit, year, cells)
    if not scope.subtree or not scope.branches:
        return result
    # Each branch's count behind, kept by the rollup (tallies.behind_key): the owners of
    # the indicators that apply here, added up.
    from xiaoan.indicators.tallies import behind_key

    names = {behind_key(i.owner_id) for i in indicators}
    for path, counters in scope.ranked(KIND).items():
        result.behind_by_branch[path] = sum(counters.get(n, 0) for n in names)
    for branch in scope.branches:
        result.behind_by_branch.setdefault(branch.path, 0)
    if live:  # the `min` indicators at the branches that are not schools
        for branch in scope.branches:
            if branch.kind != UnitKind.SCHOOL and branch.path in live.behind_by_branch:
                result.behind_by_branch[branch.path] += live.behind_by_branch[branch.path]
    return result


@section
def indicator_section(scope: Scope) -> Section | None:
    if not allowed(scope, values.VIEW):
        return None
    year = scope.today.year
    board = _board(scope, year)
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
