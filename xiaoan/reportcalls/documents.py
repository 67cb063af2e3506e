"""A report in Chinese official layout (公文格式): Word (.docx, python-docx) and PDF (HTML
through xiaoan.core.pdf). Title centred in 方正小标宋/黑体, the 文号 under it, the body in
仿宋_GB2312 三号-like size, the unit's name and the date at the end, right-aligned. A call's
returns go out together as one .docx (each report from a new page) or a zip of them."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from xiaoan.reportcalls.choices import SECTIONS, ReportKind
from xiaoan.reportcalls.models import Report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUB_HEADING_FONT = "楷体_GB2312"
NUMERALS = "一二三四五六七八九十"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes the East Asian face from w:eastAsia, not from w:ascii.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(doc, text: str, *, font=BODY_FONT, size=16.0, bold=False, align=None, indent=True):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def date_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def report_date(report: Report):
    when = report.submitted_at or timezone.now()
    return timezone.localtime(when).date()


def kind_line(report: Report) -> str:
    call = report.call
    if call.kind == ReportKind.SPECIAL and call.topic:
        return _("关于%(t)s的安全专报") % {"t": call.topic}
    return str(call.get_kind_display())


def _cell(cell, text: str, font: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = Pt(15)
    paragraph.paragraph_format.space_after = Pt(0)
    _font(paragraph.add_run(text), font, 10.5)


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    """One line per section: its figures run together (a table per section took pages)."""
    return [
        (str(t["title"]), "；".join(f"{label} {value}" for label, value in t.get("rows") or ()))
        for t in figures.get("tables") or ()
    ]


def _table(doc, rows) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, (_("方面"), _("主要数据")), strict=True):
        _cell(cell, text, HEADING_FONT)
    for title, text in rows:
        cells = table.add_row().cells
        _cell(cells[0], title, BODY_FONT)
        _cell(cells[1], text, BODY_FONT)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(3.2), Cm(12.8)


def _write(doc, report: Report) -> None:
    call = report.call
    _para(doc, report.number, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(
        doc,
        report.title,
        font=TITLE_FONT,
        size=22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    _para(doc, f"{call.unit.name}：", indent=False)
    _para(
        doc,
        _("根据《%(t)s》（%(n)s）要求，现将%(u)s%(s)s至%(e)s有关情况报告如下。")
        % {
            "t": call.title,
            "n": call.number,
            "u": report.unit.name,
            "s": date_text(call.period_start),
            "e": date_text(call.period_end),
        },
    )
    figures = report.figures or {}
    heading = 0
    if figures.get("tables") or figures.get("sentences"):
        _para(doc, f"{NUMERALS[heading]}、{_('主要数据')}", font=HEADING_FONT)
        heading += 1
        for sentence in figures.get("sentences") or ():
            _para(doc, sentence)
        if figures.get("tables"):
            _table(doc, figure_rows(figures))
    for key, title in SECTIONS:
        _para(doc, f"{NUMERALS[heading % 10]}、{title}", font=HEADING_FONT)
        heading += 1
        text = (report.sections or {}).get(key) or ""
        for line in text.splitlines() or [""]:
            if line.strip():
                _para(doc, line.strip())
    _para(doc, "", indent=False)
    _para(doc, report.unit.name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, date_text(report_date(report)), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def _new_document():
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


def _bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_docx(report: Report) -> bytes:
    doc = _new_document()
    _write(doc, report)
    return _bytes(doc)


def combined_docx(reports: list[Report]) -> bytes:
    """Every report of a call in one document, each from a new page."""
    doc = _new_document()
    for index, report in enumerate(reports):
        if index:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _write(doc, report)
    return _bytes(doc)


def returns_zip(reports: list[Report]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for report in reports:
            archive.writestr(file_name(report, "docx"), report_docx(report))
    return out.getvalue()


def file_name(report: Report, ext: str) -> str:
    name = f"{report.unit.name}-{report.call.title}"
    return "".join(c for c in name if c not in '\\/:*?"<>|')[:120] + f".{ext}"


def report_pdf(report: Report) -> bytes:
    from xiaoan.core.pdf import pdf_font, write_pdf

    html = render_to_string("reportcalls/print/report.html", context(report))
    return write_pdf(html, pdf_font(), stylesheet=STYLESHEET)


def context(report: Report) -> dict[str, Any]:
    figures = report.figures or {}
    first = 1 if (figures.get("tables") or figures.get("sentences")) else 0
    sections = [
        {
            "title": f"{NUMERALS[(first + index) % 10]}、{title}",
            "lines": [
                line.strip()
                for line in ((report.sections or {}).get(key) or "").splitlines()
                if line.strip()
            ],
        }
        for index, (key, title) in enumerate(SECTIONS)
    ]
    return {
        "report": report,
        "kind_line": kind_line(report),
        "figures": figures,
        "figure_rows": figure_rows(figures),
        "sections": sections,
        "period": (date_text(report.call.period_start), date_text(report.call.period_end)),
        "date": date_text(report_date(report)),
    }


STYLESHEET = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-size: 16pt; line-height: 28pt; }
.number, .title { text-align: center; }
.title { font-size: 22pt; font-weight: bold; margin: 12pt 0; }
p { text-indent: 2em; margin: 0; }
p.flat { text-indent: 0; }
h2 { font-size: 16pt; margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; line-height: 18pt; margin: 4pt 0; }
td, th { border: 1px solid #000; padding: 2pt 4pt; }
.sign { text-align: right; text-indent: 0; }
"""
