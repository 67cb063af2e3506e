"""A decision as a 通报 in Chinese official layout (公文格式, GB/T 9704): Word (.docx, built
here with python-docx: no shared Word helper exists in xiaoan.core) and PDF (HTML through
xiaoan.core.pdf, like every PDF of the project). The 文号 and the title centred, the units
addressed, the body in 仿宋 16 pt with 28 pt lines, the list with the figures of the day as
a table, the meeting and the commitments, the authority and the date at the end.

Only what the person sees goes in (`services.entries_of`, `services.commitments_of`)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from xiaoan.accountability import services
from xiaoan.accountability.choices import DecisionKind
from xiaoan.accountability.models import Decision

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
TABLE_SIZE = 10.5  # 五号
NUMERALS = "一二三四五六七八九十"


def date_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def figures_text(snapshot: dict) -> str:
    """The entry's score and its non-zero figures on one line."""
    parts = []
    if snapshot.get("score") is not None:
        parts.append(_("得分 %(s)s") % {"s": snapshot["score"]})
    for figure in snapshot.get("figures") or ():
        if figure.get("value"):
            parts.append(f"{figure.get('label')} {figure.get('value')}")
    return "；".join(parts)


@dataclass
class Content:
    """What the document says, shared by the .docx and the PDF."""

    decision: Decision
    addressees: str
    opening: str
    entries: list[tuple[str, str, str]]  # unit, reason, figures
    on: str  # the day the figures were taken, when all were taken the same day
    meeting: list[tuple[str, str]]  # label, text
    commitments: list[tuple[str, str, str, str]]  # unit, content, due, status
    headings: dict[str, str]
    date: str


def _day(value: Any) -> str:
    """The ISO day of a snapshot as 2026年1月2日 ("" when there is none)."""
    try:
        return date_text(dt.date.fromisoformat(str(value)))
    except ValueError:
        return ""


def _action_words(decision: Decision) -> str:
    return {
        DecisionKind.PRAISE: _("通报表扬"),
        DecisionKind.INTERVIEW: _("约谈"),
        DecisionKind.ACCOUNTABILITY: _("问责"),
    }[DecisionKind(decision.kind)]


def content(actor: Any, decision: Decision) -> Content:
    entries = services.entries_of(actor, decision)
    commitments = services.commitments_of(actor, decision)
    names = [entry.target.name for entry in entries]
    basis = " ".join(decision.basis.split())
    words = _action_words(decision)
    if basis:
        opening = _("根据%(b)s，经研究，决定对以下单位予以%(w)s。") % {"b": basis, "w": words}
    else:
        opening = _("经研究，决定对以下单位予以%(w)s。") % {"w": words}
    days = {(entry.evidence or {}).get("on") for entry in entries}
    meeting = []
    if decision.meeting_at:
        when = timezone.localtime(decision.meeting_at)
        meeting = [
            (_("约谈时间"), f"{date_text(when)} {when:%H:%M}"),
            (_("约谈地点"), decision.place),
            (_("参加人员"), " ".join(decision.attendees.split())),
            (_("约谈纪要"), decision.minutes.strip()),
        ]
    rows = [
        (c.unit.name, c.text.strip(), date_text(c.due_on), str(c.get_status_display()))
        for c in commitments
    ]
    headings = {}
    parts = [("list", _("名单及有关情况"))]
    if meeting:
        parts.append(("meeting", _("约谈情况")))
    if rows:
        parts.append(("commitments", _("整改承诺")))
    for index, (key, title) in enumerate(parts):
        headings[key] = f"{NUMERALS[index]}、{title}"
    return Content(
        decision=decision,
        addressees=("、".join(names) + "：") if names else "",
        opening=opening,
        entries=[
            (entry.target.name, entry.reason.strip(), figures_text(entry.evidence or {}))
            for entry in entries
        ],
        on=_day(next(iter(days))) if len(days) == 1 else "",
        meeting=meeting,
        commitments=rows,
        headings=headings,
        date=date_text(decision.decided_on),
    )


# ---------------------------------------------------------------- Word


def _run(paragraph, text: str, font: str, size: float, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word reads a Chinese face from w:eastAsia, not from w:ascii.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _paragraph(doc, text: str, *, font=BODY_FONT, size=BODY_SIZE, align=None, indent=True):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(size * 2) if indent else None
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    _run(paragraph, text, font, size)
    return paragraph


def _table(doc, headers: list[str], rows: list, widths: list[float]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def fill(cells, values, font: str) -> None:
        for cell, text in zip(cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = Pt(15)
            paragraph.paragraph_format.space_after = Pt(0)
            _run(paragraph, str(text), font, TABLE_SIZE)

    fill(table.rows[0].cells, headers, HEADING_FONT)
    for row in rows:
        fill(table.add_row().cells, row, BODY_FONT)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


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


def decision_docx(actor: Any, decision: Decision) -> bytes:
    c = content(actor, decision)
    doc = _new_document()
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(doc, decision.number, align=center, indent=False)
    _paragraph(doc, decision.title, font=TITLE_FONT, size=TITLE_SIZE, align=center, indent=False)
    _paragraph(doc, "", indent=False)
    if c.addressees:
        _paragraph(doc, c.addressees, indent=False)
    _paragraph(doc, c.opening)
    _paragraph(doc, c.headings["list"], font=HEADING_FONT)
    if c.on:
        _paragraph(doc, _("以下数据为%(d)s列入名单时的数据。") % {"d": c.on})
    _table(
        doc,
        [_("序号"), _("单位"), _("事由"), _("当日数据")],
        [(i, *row) for i, row in enumerate(c.entries, 1)],
        [1.2, 3.6, 4.6, 6.6],
    )
    if c.meeting:
        _paragraph(doc, c.headings["meeting"], font=HEADING_FONT)
        for label, text in c.meeting:
            _paragraph(doc, f"{label}：{text}")
    if c.commitments:
        _paragraph(doc, c.headings["commitments"], font=HEADING_FONT)
        _table(
            doc,
            [_("承诺单位"), _("整改承诺"), _("完成期限"), _("状态")],
            c.commitments,
            [3.6, 7.0, 3.0, 2.4],
        )
    _paragraph(doc, "", indent=False)
    _paragraph(doc, decision.unit.name, align=right, indent=False)
    _paragraph(doc, c.date, align=right, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def decision_pdf(actor: Any, decision: Decision) -> bytes:
    from xiaoan.core.pdf import pdf_font, write_pdf

    font = pdf_font()  # PdfUnavailable before any work when the font is missing
    html = render_to_string("accountability/print/decision.html", {"c": content(actor, decision)})
    return write_pdf(html, font, stylesheet=STYLESHEET)


STYLESHEET = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-size: 16pt; line-height: 28pt; }
.number, .title { text-align: center; }
.title { font-size: 22pt; font-weight: bold; margin: 12pt 0 28pt; }
p { text-indent: 2em; margin: 0; }
p.flat { text-indent: 0; }
h2 { font-size: 16pt; margin: 0; text-indent: 2em; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 15pt; }
table { margin: 4pt 0; }
td, th { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
.sign { text-align: right; text-indent: 0; }
"""
