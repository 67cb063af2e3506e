"""A decision as an Excel workbook (xiaoan.core.xlsx): 名单, a header block (决定单位, 类型,
文号, 决定日期, 状态) above one row per entry with its figures as frozen on the day it was
listed; 整改承诺, one row per commitment (unit, content, due date, status, overdue).

Only what the person sees goes in: `services.entries_of` and `services.commitments_of` give a
named unit its own entry and commitments, the authority's people all of them."""

from __future__ import annotations

from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from xiaoan.accountability import services
from xiaoan.accountability.models import Commitment, Decision, DecisionEntry
from xiaoan.core import officialdoc
from xiaoan.core.pdf import PDF
from xiaoan.core.xlsx import Column, Sheet, streamed

DOCX = officialdoc.DOCX

RANKS = {"children": gettext_lazy("下一级单位"), "schools": gettext_lazy("全部学校")}


def file_name(decision: Decision, ext: str) -> str:
    return officialdoc.file_name(f"{decision.number}-{decision.title}", ext)


def figure_columns(entries: list[DecisionEntry]) -> tuple[list[tuple[str, str]], int]:
    """(key, label) of the figures some entry has (not 0 or empty), in the order first met
    (entries listed on different days may carry different figures), and how many figures
    are 0 for every entry: forty columns of mostly zeros printed unreadably small."""
    seen: dict[str, str] = {}
    shown: set[str] = set()
    for entry in entries:
        for figure in (entry.evidence or {}).get("figures") or ():
            key = str(figure.get("key"))
            seen.setdefault(key, str(figure.get("label") or ""))
            if figure.get("value") not in (None, "", 0):
                shown.add(key)
    return [(k, label) for k, label in seen.items() if k in shown], len(seen) - len(shown)


def _figure(key: str):
    def value(entry: DecisionEntry, _context: Any) -> Any:
        for figure in (entry.evidence or {}).get("figures") or ():
            if figure.get("key") == key:
                return figure.get("value")
        return None

    return value


def header_lines(decision: Decision) -> list[str]:
    return [
        _("决定单位：%(u)s") % {"u": decision.unit.name},
        _("类型：%(k)s    文号：%(n)s") % {"k": decision.get_kind_display(), "n": decision.number},
        _("决定日期：%(d)s    状态：%(s)s")
        % {"d": f"{decision.decided_on:%Y-%m-%d}", "s": decision.get_status_display()},
    ]


def evidence(entry: DecisionEntry) -> dict[str, Any]:
    return entry.evidence or {}


def _entries_sheet(workbook, decision: Decision, entries: list[DecisionEntry]) -> int:
    figures, zeros = figure_columns(entries)
    columns = [
        Column(_("序号"), 6, lambda e, ctx: ctx[e.pk]),
        Column(_("对象单位"), 22, lambda e, _ctx: e.target.name),
        Column(_("事由"), 30, lambda e, _ctx: e.reason),
        Column(_("取数日期"), 12, lambda e, _ctx: evidence(e).get("on")),
        Column(_("排名范围"), 12, lambda e, _ctx: str(RANKS.get(evidence(e).get("rank"), "—"))),
        Column(_("得分"), 8, lambda e, _ctx: evidence(e).get("score")),
        *(Column(label, 11, _figure(key)) for key, label in figures),
    ]
    sheet = Sheet(
        workbook,
        _("名单"),
        decision.title,
        columns,
        above=header_lines(decision),
        centered=[0, 3, 4, 5, *range(6, len(columns))],
    )
    order = {entry.pk: index for index, entry in enumerate(entries, 1)}
    for entry in entries:
        sheet.row(entry, order)
    if decision.basis:
        sheet.line(_("依据：%(b)s") % {"b": decision.basis})
    sheet.line(_("数据为列入名单当日的数据，此后不再变化。"))
    if zeros:
        sheet.line(_("另有 %(n)d 项指标各单位均为 0，未列出。") % {"n": zeros})
    sheet.finish()
    return sheet.count


def _commitments_sheet(workbook, decision: Decision, commitments: list[Commitment]) -> int:
    today = timezone.localdate()
    columns = [
        Column(_("承诺单位"), 22, lambda c, _ctx: c.unit.name),
        Column(_("整改承诺"), 40, lambda c, _ctx: c.text),
        Column(_("完成期限"), 12, lambda c, _ctx: c.due_on),
        Column(_("状态"), 14, lambda c, _ctx: c.get_status_display()),
        Column(_("是否逾期"), 10, lambda c, _ctx: _("逾期") if c.is_overdue(today) else _("否")),
    ]
    sheet = Sheet(
        workbook,
        _("整改承诺"),
        _("%(t)s · 整改承诺") % {"t": decision.title},
        columns,
        above=[_("文号：%(n)s") % {"n": decision.number}],
        centered=[2, 3, 4],
    )
    for commitment in commitments:
        sheet.row(commitment)
    sheet.finish()
    return sheet.count


def write(actor: Any, decision: Decision, handle: IO[bytes]) -> int:
    """The workbook of what `actor` sees of the decision; the rows written."""
    entries = services.entries_of(actor, decision)
    commitments = services.commitments_of(actor, decision)
    workbook = Workbook(write_only=True)
    rows = _entries_sheet(workbook, decision, entries)
    rows += _commitments_sheet(workbook, decision, commitments)
    workbook.save(handle)
    return rows


def xlsx_response(actor: Any, decision: Decision) -> FileResponse:
    return streamed(
        lambda handle: write(actor, decision, handle),
        file_name(decision, "xlsx"),
        "accountability-decision",
        obj=decision,
    )


def document_response(actor: Any, decision: Decision, ext: str) -> FileResponse:
    """The 通报 as .docx or PDF, recorded as an export (PdfUnavailable when the font is
    missing)."""
    from xiaoan.accountability import documents
    from xiaoan.audit.files import file_served
    from xiaoan.core.views import attachment

    if ext == "pdf":
        data, content_type = documents.decision_pdf(actor, decision), PDF
    else:
        data, content_type = documents.decision_docx(actor, decision), DOCX
    name = file_name(decision, ext)
    file_served("export", f"accountability-decision-{ext}", obj=decision, filename=name)
    return attachment(data, content_type, name)
