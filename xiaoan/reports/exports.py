"""The dashboard as one Excel workbook: 概况 (every section's figures and the 动态清零 board),
one sheet per table, and the ranking of the units one level down — the sheet a city asks for."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xiaoan.core.xlsx import Column, Sheet, streamed
from xiaoan.reports.services import Dashboard


def _by_index(index: int):
    return lambda row, _context: row[index]


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(c for c in str(title) if c not in "[]:*?/\\")[:28] or "表"
    base, n = name, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def _above(board: Dashboard) -> list[str]:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return [
        _("填报单位：%(u)s") % {"u": board.unit.name},
        _("统计范围：%(s)s；统计时间：%(t)s")
        % {"s": _("含全部下级单位") if board.subtree else _("仅本单位"), "t": stamp},
    ]


def _summary(workbook, board: Dashboard, used: set[str], user: Any) -> int:
    summary = Sheet(
        workbook,
        _sheet_name(_("概况"), used),
        _("%(u)s安全工作情况") % {"u": board.unit.name},
        [
            Column(_("类别"), 24, _by_index(0)),
            Column(_("指标"), 22, _by_index(1)),
            Column(_("数值"), 10, _by_index(2)),
            Column(_("单位"), 6, _by_index(3)),
        ],
        above=_above(board),
        centered=[2, 3],
    )
    for section in board.sections:
        for figure in section.figures:
            summary.row([str(section.title), str(figure.label), figure.value, str(figure.suffix)])
    for section in board.sections:
        if section.board:
            summary.line(_("动态清零：未销号重大隐患（最久的在前）"), bold=True)
            for h in section.board:
                summary.line(
                    f"{h['number']} · {h['unit']} · {h['description'][:60]} · {h['status']} · "
                    + _("已 %(d)s 天") % {"d": h["age_days"]}
                )
    summary.line(_("制表人：%(p)s        审核人：") % {"p": getattr(user, "display_name", "")})
    summary.finish()
    return summary.count


def _table(workbook, board: Dashboard, table: dict, used: set[str]) -> int:
    columns = [
        Column(str(header), 14 if i else 20, _by_index(i))
        for i, header in enumerate(table["columns"])
    ]
    sheet = Sheet(
        workbook,
        _sheet_name(table["title"], used),
        f"{board.unit.name} · {table['title']}",
        columns,
        above=_above(board),
        centered=range(1, len(columns)),
    )
    for row in table["rows"]:
        sheet.row(row)
    sheet.finish()
    return sheet.count


def _ranking(workbook, board: Dashboard, used: set[str]) -> int:
    columns = [
        Column(_("单位"), 22, _by_index(0)),
        Column(_("综合得分"), 8, _by_index(1)),
        *[Column(str(c.label), 9, _by_index(i + 2)) for i, (_key, c) in enumerate(board.columns)],
    ]
    title = _("%(u)s下属学校排名") if board.rank == "schools" else _("%(u)s下级单位排名")
    sheet = Sheet(
        workbook,
        _sheet_name(_("下级单位排名"), used),
        title % {"u": board.unit.name},
        columns,
        above=[*_above(board), _("得分 = %(f)s（越高问题越多）") % {"f": board.formula}],
        centered=range(1, len(columns)),
    )
    for row in board.ranking:
        sheet.row([row["unit"].name, row["score"], *[value for value, _c in row["cells"]]])
    sheet.finish()
    return sheet.count


def tables_of(board: Dashboard) -> dict[str, dict]:
    return {f"{s.key}.{t['key']}": t for s in board.sections for t in s.tables}


def write(board: Dashboard, handle, user: Any, *, only: str = "") -> int:
    """The whole dashboard, or with `only` the one table of that key (a chart's numbers)."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    if only:
        rows = _table(workbook, board, tables_of(board)[only], used)
    else:
        rows = _summary(workbook, board, used, user)
        for table in tables_of(board).values():
            rows += _table(workbook, board, table, used)
        if board.ranking:
            rows += _ranking(workbook, board, used)
    workbook.save(handle)
    return rows


def response(board: Dashboard, user: Any, *, only: str = "") -> FileResponse:
    if only and only not in tables_of(board):
        raise Http404
    title = tables_of(board)[only]["title"] if only else _("安全工作情况")
    name = f"{board.unit.name}-{title}-{timezone.localdate():%Y%m%d}.xlsx"
    return streamed(lambda handle: write(board, handle, user, only=only), name, "dashboard")
