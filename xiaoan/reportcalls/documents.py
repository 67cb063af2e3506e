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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from xiaoan.core import officialdoc
from xiaoan.core.officialdoc import (
    HEADING_FONT,
    NUMERALS,
    TITLE_FONT,
    TITLE_SIZE,
    date_text,
    paragraph,
)
from xiaoan.reportcalls.choices import SECTIONS, ReportKind
from xiaoan.reportcalls.models import Report

DOCX = officialdoc.DOCX
ZIP = "application/zip"


def report_date(report: Report):
    when = report.submitted_at or timezone.now()
    return timezone.localtime(when).date()


def kind_line(report: Report) -> str:
    call = report.call
    if call.kind == ReportKind.SPECIAL and call.topic:
        return _("关于%(t)s的安全专报") % {"t": call.topic}
    return str(call.get_kind_display())


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    """One line per section: its figures run together (a table per section took pages)."""
    return [
        (str(t["title"]), "；".join(f"{label} {value}" for label, value in t.get("rows") or ()))
        for t in figures.get("tables") or ()
    ]


def _table(doc, rows) -> None:
    officialdoc.table(doc, [_("方面"), _("主要数据")], rows, [3.2, 12.8])


def _write(doc, report: Report) -> None:
    call = report.call
    paragraph(doc, report.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(
        doc,
        report.title,
        font=TITLE_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    paragraph(doc, f"{call.unit.name}：", indent=False)
    paragraph(
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
        paragraph(doc, f"{NUMERALS[heading]}、{_('主要数据')}", font=HEADING_FONT)
        heading += 1
        for sentence in figures.get("sentences") or ():
            paragraph(doc, sentence)
        if figures.get("tables"):
            _table(doc, figure_rows(figures))
    for key, title in SECTIONS:
        paragraph(doc, f"{NUMERALS[heading % 10]}、{title}", font=HEADING_FONT)
        heading += 1
        text = (report.sections or {}).get(key) or ""
        for line in text.splitlines() or [""]:
            if line.strip():
                paragraph(doc, line.strip())
    paragraph(doc, "", indent=False)
    paragraph(doc, report.unit.name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    paragraph(doc, date_text(report_date(report)), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def report_docx(report: Report) -> bytes:
    doc = officialdoc.new_document()
    _write(doc, report)
    return officialdoc.to_bytes(doc)


def combined_docx(reports: list[Report]) -> bytes:
    """Every report of a call in one document, each from a new page."""
    doc = officialdoc.new_document()
    for index, report in enumerate(reports):
        if index:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _write(doc, report)
    return officialdoc.to_bytes(doc)


def returns_zip(reports: list[Report]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for report in reports:
            archive.writestr(file_name(report, "docx"), report_docx(report))
    return out.getvalue()


def file_name(report: Report, ext: str) -> str:
    return officialdoc.file_name(f"{report.unit.name}-{report.call.title}", ext)


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


STYLESHEET = (
    officialdoc.PAGE_CSS
    + """
.title { font-size: 22pt; font-weight: bold; margin: 12pt 0; }
h2 { font-size: 16pt; margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; line-height: 18pt; margin: 4pt 0; }
"""
)
