"""The responsibility list as an office prints it: read back for its page layout (rows as
tall as their wrapped text, print area and titles, A4 landscape fitted to the width, the
文号 under the title, 牵头单位/配合单位 columns), and rendered through LibreOffice."""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm
from openpyxl import load_workbook

from xiaoan.core.tests.libreoffice import render
from xiaoan.plans.exports import ResponsibilityRow, write_docx, write_xlsx
from xiaoan.plans.tests.test_responsibility_export import district_rows

NUMBER = "梁教〔2024〕12号"


def _rows() -> tuple[str, list[ResponsibilityRow]]:
    title, rows = district_rows()
    rows[0].lead_units = ["安全股"]
    rows[1].cooperating_units = ["公安局梁子湖分局", "区消防救援大队"]
    return title, rows


def _xlsx(title, rows, number=NUMBER) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(title, rows, buffer, doc_number=number)
    return buffer.getvalue()


def _docx(title, rows, number=NUMBER) -> bytes:
    buffer = io.BytesIO()
    write_docx(title, rows, buffer, doc_number=number)
    return buffer.getvalue()


def test_it_lays_out_the_excel_list_for_print():
    title, rows = _rows()
    sheet = load_workbook(io.BytesIO(_xlsx(title, rows))).active
    assert sheet["A1"].value == title and sheet["A2"].value == NUMBER
    assert sheet["A2"].alignment.horizontal == "center"
    headers = [c.value for c in sheet[3]]
    assert headers == ["序号", "工作任务", "完成时限", "牵头单位", "责任单位", "配合单位"]
    last = 3 + len(rows)
    assert sheet.print_area == f"'责任清单'!$A$1:$F${last}"
    assert sheet.print_title_rows == "$3:$3"  # the header repeats on every page
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # one page wide, as long as needed
    assert sheet.freeze_panes == "A4"
    for row in range(4, last + 1):
        task = sheet.cell(row, 2)
        assert task.alignment.wrap_text and task.border.left.style == "thin"
    # A row is as tall as its longest text: the long 4th task far more than one line.
    heights = {r: sheet.row_dimensions[r].height for r in range(4, last + 1)}
    assert all(h and h > 30 for h in heights.values())
    assert heights[4 + 3] > 2 * heights[4]
    assert len(rows[3].task_text) > 3 * len(rows[0].task_text)


def test_a_short_row_keeps_the_default_height_and_no_number_means_no_line():
    rows = [ResponsibilityRow(1, "开展检查", deadline="长期坚持", responsible_units=["安全股"])]
    sheet = load_workbook(io.BytesIO(_xlsx("清单", rows, number=""))).active
    assert [c.value for c in sheet[2]] == ["序号", "工作任务", "完成时限", "责任单位"]
    assert sheet.row_dimensions[3].height is None
    assert sheet.print_title_rows == "$2:$2" and sheet.print_area == "'责任清单'!$A$1:$D$3"


def test_it_lays_out_the_word_list_with_its_number_and_unit_columns():
    title, rows = _rows()
    document = docx.Document(io.BytesIO(_docx(title, rows)))
    assert [p.text for p in document.paragraphs[:2]] == [title, NUMBER]
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.cm, 1) == 29.7 and round(section.page_height.cm, 1) == 21.0
    (table,) = document.tables
    headers = [c.text for c in table.rows[0].cells]
    assert headers == ["序号", "工作任务", "完成时限", "牵头单位", "责任单位", "配合单位"]
    assert [c.text for c in table.rows[1].cells][3] == "安全股"
    assert [c.text for c in table.rows[2].cells][5] == "公安局梁子湖分局、区消防救援大队"
    # Widths in the grid (LibreOffice reads these), fixed, filling the page's width.
    grid = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    assert round(grid[0].cm, 1) == 1.3 and grid[1] == max(grid)
    assert abs(sum(grid) - Cm(25.7)) < Cm(0.2)
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # Without units of those kinds, no empty columns; without a 文号, no line.
    plain = [ResponsibilityRow(1, "开展检查", responsible_units=["安全股"])]
    document = docx.Document(io.BytesIO(_docx("清单", plain, number="")))
    assert [p.text for p in document.paragraphs] == ["清单"]
    headers = [c.text for c in document.tables[0].rows[0].cells]
    assert headers == ["序号", "工作任务", "完成时限", "责任单位"]


def test_it_renders_through_libreoffice(tmp_path):
    """What an office sees: both files open, print on a sane number of pages, text intact."""
    title, rows = _rows()
    pdf = render({"sheet.xlsx": _xlsx(title, rows), "word.docx": _docx(title, rows)}, tmp_path)
    for name, rendered in pdf.items():
        # 18 long tasks: more than one page, far from one page per row.
        assert 2 <= rendered.pages <= 9, (name, rendered.pages)
        text = "".join(rendered.text.split())
        assert NUMBER in text and "配合单位" in text, name
        assert "公安局" in text and "应急演练" in text and title[:12] in text, name
    # Header repeated: the Excel pages each print the column headings.
    assert pdf["sheet.xlsx"].text.count("工作任务") >= pdf["sheet.xlsx"].pages
