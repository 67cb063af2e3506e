"""Word documents in Chinese official layout (公文格式, GB/T 9704), shared by every app that
writes one (a report upward, a 通报, a responsibility list): A4 with the standard margins,
the body in 仿宋 三号 on 28 pt lines, titles in 小标宋, headings in 黑体, tables in 五号.

The faces are named as Chinese offices have them installed; a machine without them shows
its own fallback, which is why the PDFs (xiaoan.core.pdf) embed a font instead."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUB_HEADING_FONT = "楷体_GB2312"
BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
TABLE_SIZE = 10.5  # 五号
LINE = Pt(28)
NUMERALS = "一二三四五六七八九十"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The PDF twin's page and type, for the HTML an app renders through xiaoan.core.pdf.
PAGE_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-size: 16pt; line-height: 28pt; }
.number, .title { text-align: center; }
p { text-indent: 2em; margin: 0; }
p.flat { text-indent: 0; }
td, th { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
.sign { text-align: right; text-indent: 0; }
"""


def file_name(name: str, ext: str) -> str:
    """A download's name: no character Windows refuses in a file name, not overlong."""
    return "".join(c for c in name if c not in '\\/:*?"<>|')[:120] + f".{ext}"


def date_text(day) -> str:
    """2026年1月2日, as an official document dates itself."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes a Chinese face from w:eastAsia, not from the plain font name.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def new_document() -> Document:
    doc = Document()
    for section in doc.sections:
        # GB/T 9704: A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return doc


def paragraph(
    doc, text: str, *, font=BODY_FONT, size=BODY_SIZE, bold=False, align=None, indent=True
):
    """One paragraph on the fixed 28 pt line, indented two characters unless `indent=False`."""
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    fmt = para.paragraph_format
    fmt.first_line_indent = Pt(size * 2) if indent else None
    fmt.line_spacing = LINE
    fmt.space_after = Pt(0)
    set_font(para.add_run(text), font, size, bold)
    return para


def table(doc, headers: list[str], rows, widths: list[float]):
    """A bordered table, centred: headers in 黑体, cells in 仿宋, both 五号; `widths` in cm."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER

    def fill(cells, values, font: str) -> None:
        for cell, text in zip(cells, values, strict=True):
            para = cell.paragraphs[0]
            para.paragraph_format.line_spacing = Pt(15)
            para.paragraph_format.space_after = Pt(0)
            set_font(para.add_run(str(text)), font, TABLE_SIZE)

    fill(grid.rows[0].cells, headers, HEADING_FONT)
    for row in rows:
        fill(grid.add_row().cells, row, BODY_FONT)
    # Word reads the cells' widths, LibreOffice the table grid's: both are set.
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return grid


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
