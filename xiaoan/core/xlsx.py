"""Cell helpers shared by the streamed Excel exports (openpyxl write-only).

`Sheet` is the printable sheet an office sends on: title, an optional block of lines above
the table, the header row (repeated on every printed page), bordered rows whose height
follows their wrapped text, lines below the table (totals, signatures), the print area, A4
landscape fitted to the page width. Rows are streamed: nothing per row stays in memory.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    # Excel has no time zones: write the local wall-clock time.
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


@dataclass(frozen=True)
class Column:
    header: Any  # lazy translation
    width: float
    value: Callable[[dict, Any], Any]  # (row, the export's context) -> cell value


def _print_setup(ws, header_row: int) -> None:
    """A4 landscape, every column on the page width (as many pages down as it takes), the
    header row repeated on each page, centred, numbered 第 N 页 共 M 页."""
    ws.freeze_panes = f"A{header_row + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9


# ---------------------------------------------------------------- row heights

# Excel measures column widths in digits of the workbook font (Calibri 11: 7 px); a 宋体
# 11 pt character is 14.7 px wide, a Latin one 7.3 px. A little over, so text never clips.
WIDE, NARROW = 2.15, 1.05
LINE_HEIGHT = 14.5  # points per line of 11 pt text
ROW_PADDING = 4.0
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def text_width(text: str) -> float:
    """Display width of `text` in Excel width units. CJK characters are three bytes in
    UTF-8, Latin ones one: counting bytes is a fast, close measure of wide characters."""
    wide = (len(text.encode("utf-8")) - len(text)) / 2
    return (len(text) - wide) * NARROW + wide * WIDE


def line_count(value: Any, width: float) -> int:
    """Lines `value` takes when wrapped in a column `width` units wide."""
    if not isinstance(value, str):
        value = getattr(value, "value", None) if isinstance(value, Cell) else None
        if not isinstance(value, str):
            return 1
    usable = max(width, 1.0)  # Excel adds its cell padding outside the width
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in value.split("\n"))


def row_height(values: Iterable[Any], widths: Iterable[float]) -> float | None:
    """Height in points for a row of wrapped cells; None when one line fits (the default)."""
    lines = max((line_count(v, w) for v, w in zip(values, widths, strict=False)), default=1)
    if lines <= 1:
        return None
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + ROW_PADDING)


# ---------------------------------------------------------------- the printable sheet

BODY_FONT = Font(name="宋体", size=11)
HEADER_FONT = Font(name="宋体", size=11, bold=True)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
LINE_FONT = Font(name="宋体", size=11)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
LINE = Alignment(vertical="center", wrap_text=True)


NUMBER_FORMATS = {dt.datetime: "yyyy-mm-dd hh:mm", dt.date: "yyyy-mm-dd", dt.time: "hh:mm"}


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value) or None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: the local time a person reads on the page.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


class Sheet:
    """One printable sheet of a write-only workbook, written top to bottom:

        sheet = Sheet(workbook, "问题清单", "隐患问题清单", columns, above=["填报单位：…"])
        for row in rows: sheet.row(row, context)
        sheet.line("合计：…")          # below the table
        sheet.finish()

    Lines above and below span the table's width and wrap. Data rows are bordered, wrapped
    and as tall as their longest cell."""

    def __init__(
        self,
        workbook,
        name: str,
        title: str,
        columns: Sequence[Column],
        *,
        subtitle: str = "",
        above: Sequence[str] = (),
        centered: Iterable[int] = (),
    ) -> None:
        self.ws = ws = workbook.create_sheet(name)
        self.columns = list(columns)
        self.widths = [c.width for c in self.columns]
        self.last = get_column_letter(len(self.columns))
        self._row = 0
        self.count = 0
        for index, width in enumerate(self.widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        self.header_row = 2 + bool(subtitle) + len(above)
        _print_setup(ws, self.header_row)
        centered = set(centered)
        self._alignments = [
            Alignment(horizontal="center", vertical="top", wrap_text=True)
            if i in centered
            else WRAP
            for i in range(len(self.columns))
        ]
        self._templates: dict[tuple[int, type], Any] = {}
        head = WriteOnlyCell(ws, title)
        head.font, head.alignment = TITLE_FONT, Alignment(horizontal="center", vertical="center")
        self._merged([head], height=32)
        if subtitle:  # a 文号 under the title, centred
            self.line(subtitle, center=True)
        for text in above:
            self.line(text)
        headers = []
        for column in self.columns:
            header = WriteOnlyCell(ws, str(column.header))
            header.font, header.fill, header.alignment = HEADER_FONT, HEADER_FILL, CENTER
            header.border = BORDER
            headers.append(header)
        self._append(
            headers, max(22.0, row_height([str(c.header) for c in columns], self.widths) or 0)
        )

    def _append(self, cells: list, height: float | None = None) -> None:
        self._row += 1
        if height:
            self.ws.row_dimensions[self._row].height = height
        self.ws.append(cells)
        # Written: drop the row's dimensions so memory stays flat however long the sheet.
        self.ws.row_dimensions.pop(self._row, None)

    def _merged(self, cells: list, height: float | None = None) -> None:
        if len(self.columns) > 1:
            self.ws.merged_cells.add(f"A{self._row + 1}:{self.last}{self._row + 1}")
        self._append(cells, height)

    def _cell(self, value: Any) -> Any:
        written = WriteOnlyCell(self.ws, value)
        if isinstance(value, str) and value.startswith("="):
            written.data_type = "s"  # text, never a formula
        return written

    def line(self, text: str, *, bold: bool = False, center: bool = False) -> None:
        """A line of text across the whole table (a header block line, totals, signatures)."""
        text = _text(text) or ""
        written = self._cell(text)
        written.font = HEADER_FONT if bold else LINE_FONT
        written.alignment = CENTER if center else LINE
        lines = line_count(text, sum(self.widths))
        self._merged([written], max(20.0, lines * LINE_HEIGHT + ROW_PADDING))

    def _style(self, index: int, value: Any) -> Any:
        """The style array of a column's cells, built once per column and value type:
        copying it is much cheaper than assigning font, alignment and border to each cell."""
        key = (index, type(value))
        template = self._templates.get(key)
        if template is None:
            template = WriteOnlyCell(self.ws)
            template.font, template.border = BODY_FONT, BORDER
            template.alignment = self._alignments[index]
            template.number_format = NUMBER_FORMATS.get(type(value), "General")
            self._templates[key] = template
        return copy(template._style)

    def row(self, row: Any, context: Any = None) -> None:
        """One bordered data row, as tall as its longest wrapped cell."""
        values = [_text(column.value(row, context)) for column in self.columns]
        cells = []
        for index, value in enumerate(values):
            written = self._cell(value)
            written._style = self._style(index, value)
            cells.append(written)
        self._append(cells, row_height(values, self.widths))
        self.count += 1

    def finish(self) -> None:
        """The filter on the table and the print area over everything written."""
        if self.count:
            end = self.header_row + self.count
            self.ws.auto_filter.ref = f"A{self.header_row}:{self.last}{end}"
        self.ws.print_area = f"A1:{self.last}{self._row}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def streamed(
    write: Callable[[Any], Any], filename: str, kind: str, *, obj: Any = None
) -> FileResponse:
    """Write a workbook to a temporary file and stream it (the file goes away when closed),
    recording the export in the audit log (`kind`; the rows, when `write` returns a count)."""
    from xiaoan.audit.files import file_served

    handle = tempfile.TemporaryFile()
    try:
        rows = write(handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    extra = {"rows": rows} if isinstance(rows, int) else {}
    file_served("export", kind, obj=obj, filename=filename, **extra)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
