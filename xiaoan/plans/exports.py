"""The responsibility list (责任清单) as users hand it on: an Excel sheet and a Word table in the
official layout — 序号, 工作任务, 完成时限, then the units (牵头单位 and 配合单位 only where the
plan has them, 责任单位 always).

Both writers take plain rows (`ResponsibilityRow`), so the list can come from a saved plan
or straight from an imported draft.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from openpyxl import Workbook

from xiaoan.core.officialdoc import set_font
from xiaoan.core.xlsx import Column, Sheet

UNIT_SEPARATOR = "、"


@dataclass
class ResponsibilityRow:
    seq: int | str
    title: str
    content: str = ""
    deadline: str = ""  # as the list writes it: "2024年12月", "立整立改、长期坚持" …
    lead_units: Sequence[str] = field(default_factory=list)
    responsible_units: Sequence[str] = field(default_factory=list)
    cooperating_units: Sequence[str] = field(default_factory=list)

    @property
    def task_text(self) -> str:
        """The lead sentence, then the rest, as one cell (the way the lists are written)."""
        title = self.title.strip()
        if not self.content:
            return title
        if title and not title.endswith(("。", "；", "！", "？", ".", ";")):
            title += "。"
        return f"{title}{self.content.strip()}"


@dataclass(frozen=True)
class _Layout:
    headers: list[str]
    widths_cm: list[float]  # Word
    widths_chars: list[float]  # Excel

    def values(self, row: ResponsibilityRow, with_lead: bool, with_coop: bool) -> list[str]:
        cells = [str(row.seq), row.task_text, row.deadline]
        if with_lead:
            cells.append(UNIT_SEPARATOR.join(row.lead_units))
        cells.append(UNIT_SEPARATOR.join(row.responsible_units))
        if with_coop:
            cells.append(UNIT_SEPARATOR.join(row.cooperating_units))
        return cells


def _layout(rows: Sequence[ResponsibilityRow]) -> tuple[_Layout, bool, bool]:
    with_lead = any(r.lead_units for r in rows)
    with_coop = any(r.cooperating_units for r in rows)
    headers = [_("序号"), _("工作任务"), _("完成时限")]
    cm, chars = [1.3, 0.0, 3.4], [6, 0.0, 15]
    if with_lead:
        headers.append(_("牵头单位"))
        cm.append(3.6)
        chars.append(18)
    headers.append(_("责任单位"))
    cm.append(4.6)
    chars.append(24)
    if with_coop:
        headers.append(_("配合单位"))
        cm.append(3.6)
        chars.append(18)
    # The task column takes what the landscape A4 page leaves.
    cm[1] = round(25.7 - sum(cm), 1)
    chars[1] = 70 - 6 * (len(headers) - 4)
    return _Layout(headers, cm, chars), with_lead, with_coop


# ---------------------------------------------------------------- Excel


def write_xlsx(
    title: str, rows: Iterable[ResponsibilityRow], fileobj: IO[bytes], doc_number: str = ""
) -> int:
    """Write the list as one printable sheet (A4 landscape, fitted to the page width, the
    header repeated on each page, rows as tall as their text); returns the task rows."""
    rows = list(rows)
    layout, with_lead, with_coop = _layout(rows)
    columns = [
        Column(header, width, lambda values, _ctx, i=i: values[i])
        for i, (header, width) in enumerate(zip(layout.headers, layout.widths_chars, strict=True))
    ]
    workbook = Workbook(write_only=True)
    # 序号 and 完成时限 centred, as in the printed lists.
    sheet = Sheet(
        workbook,
        _("责任清单"),
        title,
        columns,
        subtitle=doc_number,
        centered=(0, 2),
    )
    for row in rows:
        sheet.row(layout.values(row, with_lead, with_coop))
    sheet.finish()
    workbook.save(fileobj)
    return len(rows)


# ---------------------------------------------------------------- Word


def _cell_text(cell, text: str, *, header: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    # Official tables: 黑体 headings, 仿宋 body.
    set_font(paragraph.add_run(text), "黑体" if header else "仿宋_GB2312", 11)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _fixed_widths(table, widths_cm: Sequence[float]) -> None:
    """Column widths Word and LibreOffice both keep: the table grid and every cell, in a
    fixed layout (cell widths alone are ignored by LibreOffice, which then splits evenly)."""
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        column.w = Cm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for index, width in enumerate(widths_cm):
        for cell in table.columns[index].cells:
            cell.width = Cm(width)


def write_docx(
    title: str, rows: Iterable[ResponsibilityRow], fileobj: IO[bytes], doc_number: str = ""
) -> int:
    """Write the list as a Word document: a centred title, the plan's 文号 under it, and one
    bordered table whose header repeats on every page, on landscape A4. Returns the number
    of task rows."""
    rows = list(rows)
    layout, with_lead, with_coop = _layout(rows)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.2)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(heading.add_run(title), "方正小标宋简体", 18)
    if doc_number:
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(number.add_run(doc_number), "仿宋_GB2312", 14)
    table = document.add_table(rows=1, cols=len(layout.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, layout.headers, strict=True):
        _cell_text(cell, text, header=True, center=True)
    for row in rows:
        cells = table.add_row().cells
        for index, text in enumerate(layout.values(row, with_lead, with_coop)):
            _cell_text(cells[index], text, center=index in (0, 2))
    _fixed_widths(table, layout.widths_cm)
    document.save(fileobj)
    return len(rows)


def rows_from_draft(draft: dict) -> list[ResponsibilityRow]:
    """Rows from the importer's draft (`xiaoan import-plan --json`), units as written."""
    return [
        ResponsibilityRow(
            seq=task["seq"],
            title=task["title"],
            content=task.get("content", ""),
            deadline=deadline_text(task.get("deadlines", [])),
            lead_units=task.get("lead_units", []),
            responsible_units=task.get("responsible_units", []),
            cooperating_units=task.get("cooperating_units", []),
        )
        for task in draft.get("tasks", [])
    ]


def deadline_text(deadlines: Iterable[dict]) -> str:
    """完成时限 as a list writes it: "2024年12月31日", "上半年：2026年6月30日；下半年：…",
    "立行立改、长期坚持"."""
    deadlines = list(deadlines)
    parts = []
    for deadline in deadlines:
        kind, label, date = deadline.get("kind"), deadline.get("label") or "", deadline.get("date")
        if kind == "immediate":
            text = _("立行立改")
        elif kind == "ongoing":
            text = _("长期坚持")
        elif date:
            year, month, day = (int(p) for p in str(date)[:10].split("-"))
            text = _("%(y)d年%(m)d月%(d)d日") % {"y": year, "m": month, "d": day}
        else:
            continue
        parts.append(f"{label}：{text}" if label else text)
    # Labelled deadlines ("上半年：…；下半年：…") read better apart.
    labelled = any(d.get("label") for d in deadlines)
    return ("；" if labelled else UNIT_SEPARATOR).join(parts)
