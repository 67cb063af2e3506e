"""A decision as a 通报 in Chinese official layout (公文格式, GB/T 9704): Word (.docx, built
here with python-docx: no shared Word helper exists in xiaoan.core) and PDF (HTML through
xiaoan.core.pdf, like every PDF of the project). The 文号 and the title centred, the units
addressed, the body in 仿宋 16 pt with 28 pt lines, the list with the figures of the day as
a table, the meeting and the commitments, the authority and the date at the end.

Only what the person sees goes in (`services.entries_of`, `services.commitments_of`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xiaoan.accountability import services
from xiaoan.accountability.choices import DecisionKind
from xiaoan.accountability.models import Decision
from xiaoan.core import officialdoc
from xiaoan.core.officialdoc import (
    HEADING_FONT,
    NUMERALS,
    TITLE_FONT,
    TITLE_SIZE,
    date_text,
    paragraph,
)


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


def decision_docx(actor: Any, decision: Decision) -> bytes:
    c = content(actor, decision)
    doc = officialdoc.new_document()
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(doc, decision.number, align=center, indent=False)
    paragraph(doc, decision.title, font=TITLE_FONT, size=TITLE_SIZE, align=center, indent=False)
    paragraph(doc, "", indent=False)
    if c.addressees:
        paragraph(doc, c.addressees, indent=False)
    paragraph(doc, c.opening)
    paragraph(doc, c.headings["list"], font=HEADING_FONT)
    if c.on:
        paragraph(doc, _("以下数据为%(d)s列入名单时的数据。") % {"d": c.on})
    officialdoc.table(
        doc,
        [_("序号"), _("单位"), _("事由"), _("当日数据")],
        [(i, *row) for i, row in enumerate(c.entries, 1)],
        [1.2, 3.6, 4.6, 6.6],
    )
    if c.meeting:
        paragraph(doc, c.headings["meeting"], font=HEADING_FONT)
        for label, text in c.meeting:
            paragraph(doc, f"{label}：{text}")
    if c.commitments:
        paragraph(doc, c.headings["commitments"], font=HEADING_FONT)
        officialdoc.table(
            doc,
            [_("承诺单位"), _("整改承诺"), _("完成期限"), _("状态")],
            c.commitments,
            [3.6, 7.0, 3.0, 2.4],
        )
    paragraph(doc, "", indent=False)
    paragraph(doc, decision.unit.name, align=right, indent=False)
    paragraph(doc, c.date, align=right, indent=False)
    return officialdoc.to_bytes(doc)


# ---------------------------------------------------------------- PDF


def decision_pdf(actor: Any, decision: Decision) -> bytes:
    from xiaoan.core.pdf import pdf_font, write_pdf

    font = pdf_font()  # PdfUnavailable before any work when the font is missing
    html = render_to_string("accountability/print/decision.html", {"c": content(actor, decision)})
    return write_pdf(html, font, stylesheet=STYLESHEET)


STYLESHEET = (
    officialdoc.PAGE_CSS
    + """
.title { font-size: 22pt; font-weight: bold; margin: 12pt 0 28pt; }
h2 { font-size: 16pt; margin: 0; text-indent: 2em; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 15pt; }
table { margin: 4pt 0; }
"""
)
