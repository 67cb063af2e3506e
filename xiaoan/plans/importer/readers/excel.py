"""Excel .xlsx: every sheet is a table. Merged ranges: the cells below the top-left one are
`merged` (same as above), the cells to its right `spanned`."""

from __future__ import annotations

import datetime
import io
import zipfile

from django.utils.translation import gettext as _

from ..model import Cell, Document, PlanImportError, Table
from ..text import tidy


def read_xlsx(data: bytes, name: str = "") -> Document:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise PlanImportError(
            _("无法读取 Excel 文件：文件已损坏或不是有效的 .xlsx 文档。")
        ) from error
    except Exception as error:  # openpyxl raises assorted errors on damaged packages
        raise PlanImportError(
            _("无法读取 Excel 文件：文件已损坏或不是有效的 .xlsx 文档。")
        ) from error
    tables = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        table = _sheet(sheet)
        if table.rows:
            tables.append(table)
    return Document(blocks=list(tables), name=name)


def _sheet(sheet) -> Table:
    marks: dict[tuple[int, int], str] = {}
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if (row, column) == (merged.min_row, merged.min_col):
                    continue
                marks[(row, column)] = "merged" if column == merged.min_col else "spanned"
    rows: list[list[Cell]] = []
    for cells in sheet.iter_rows():
        row = []
        for cell in cells:
            mark = marks.get((cell.row, cell.column))
            if mark:
                row.append(Cell("", merged=mark == "merged", spanned=mark == "spanned"))
            else:
                row.append(Cell(tidy(_value(cell))))
        while row and not row[-1].text and not row[-1].merged:
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return Table(rows=rows)


def _value(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y年%m月%d日")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # "2026.10" typed into a cell is the number 2026.1: its format keeps the zero.
        decimals = _decimals(cell.number_format)
        if 1900 < value < 2100 and decimals:
            return f"{value:.{decimals}f}"
        return repr(value)
    return str(value)


def _decimals(number_format: str) -> int:
    if not number_format or "." not in number_format:
        return 0
    fraction = number_format.split(".", 1)[1]
    return len(fraction) - len(fraction.lstrip("0#"))
