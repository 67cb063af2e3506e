"""Cell helpers shared by the streamed Excel exports (openpyxl write-only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

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


def cell(ws, value: Any) -> Any:
    """Plain values go in as they are; text is cleaned of characters xlsx cannot hold and
    is never read as a formula (a description may start with "=")."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value:
            return None  # no empty inline-string cells: a blank cell is simply absent
        if value.startswith("="):
            written = WriteOnlyCell(ws, value)
            written.data_type = "s"
            return written
        return value
    if isinstance(value, dt.datetime):
        written = WriteOnlyCell(ws, value)
        written.number_format = "yyyy-mm-dd hh:mm"
        return written
    return value


@dataclass(frozen=True)
class Column:
    header: Any  # lazy translation
    width: float
    value: Callable[[dict, Any], Any]  # (row, the export's context) -> cell value


def start_sheet(workbook, name: str, title: str, columns: Sequence[Column], info: str = ""):
    """A printable sheet in the official look: a title row, an optional information row and
    the header row (repeated on every printed page). Returns the sheet and the header's row."""
    ws = workbook.create_sheet(name)
    for index, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header_row = 3 if info else 2
    ws.freeze_panes = f"A{header_row + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    last = get_column_letter(len(columns))
    ws.merged_cells.add(f"A1:{last}1")
    ws.row_dimensions[1].height = 32
    head = WriteOnlyCell(ws, title)
    head.font = Font(name="宋体", size=16, bold=True)
    head.alignment = Alignment(horizontal="center", vertical="center")
    ws.append([head])
    if info:
        ws.merged_cells.add(f"A2:{last}2")
        ws.row_dimensions[2].height = 20
        line = WriteOnlyCell(ws, info)
        line.font = Font(name="宋体", size=10)
        line.alignment = Alignment(vertical="center", wrap_text=True)
        ws.append([line])
    ws.row_dimensions[header_row].height = 22
    font = Font(name="宋体", size=11, bold=True)
    fill = PatternFill("solid", fgColor="D9D9D9")
    alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    headers = []
    for column in columns:
        header = WriteOnlyCell(ws, str(column.header))
        header.font, header.fill, header.alignment, header.border = font, fill, alignment, BORDER
        headers.append(header)
    ws.append(headers)
    return ws, header_row


WRAP = Alignment(vertical="top", wrap_text=True)


def append_row(
    ws, columns: Sequence[Column], row: dict, context: Any, *, wrap: bool = False
) -> None:
    """One data row; with `wrap`, long text wraps inside its column (bordered, for print)."""
    values = [cell(ws, column.value(row, context)) for column in columns]
    if wrap:
        values = [_wrapped(ws, value) for value in values]
    ws.append(values)


def _wrapped(ws, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Cell):
        value.alignment, value.border = WRAP, BORDER
        return value
    written = WriteOnlyCell(ws, value)
    written.alignment, written.border = WRAP, BORDER
    return written


def finish_sheet(ws, columns: Sequence[Column], header_row: int, count: int) -> None:
    if count:
        last = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A{header_row}:{last}{count + header_row}"
