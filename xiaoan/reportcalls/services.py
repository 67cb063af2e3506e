"""The rules of reports upward (上报材料), shared by the pages, the API, the demo and the to-dos.

- Issue a call: an authority where the person holds `reportcalls.add_reportcall`, a kind
  (a 安全专报 names its topic), a title, the period (start ≤ end), a due date not before
  today, instructions, and the targets: the units one level down (schools and bureaus, not
  the bureau's own sections) or every school below. One report per target unit, each
  drafted from the unit's figures over the period (`draft_figures`, xiaoan.reportcalls.period).
- A report is edited (the narrative sections and its 文号) while drafting or returned
  (editing a returned one takes it back to drafting), its figures refreshed, then
  submitted: every section written. The caller's people (who hold
  `reportcalls.accept_report` at the call's unit, never the reporting unit itself) accept
  it or return it with a reason.
Every step is an event of the report's history (xiaoan.reportcalls.workflow)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.audit import services as audit
from xiaoan.core.errors import Forbidden, NotFound, field_error
from xiaoan.core.history import stamp
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.workflow import begin, require_note
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.reportcalls.choices import (
    SECTION_KEYS,
    SECTIONS,
    CallTargets,
    ReportAction,
    ReportKind,
    ReportStatus,
)
from xiaoan.reportcalls.models import Report, ReportCall

ADD = "reportcalls.add_reportcall"
ACCEPT = "reportcalls.accept_report"
MAX_TARGETS = 2000
MAX_SECTION = 20_000
MAX_PERIOD = dt.timedelta(days=4 * 366)
# A call to more units than this has its drafts' figures made by a job after it is issued
# (a dozen aggregate queries per unit: hundreds of schools would hold the request).
INLINE_DRAFTS = 30


def _workflow():
    from xiaoan.reportcalls.workflow import REPORT

    return REPORT


def _text(value: Any, limit: int, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise field_error(_("须为文字。"), field)
    value = value.replace("\x00", "").strip()
    if len(value) > limit:
        raise field_error(_("不超过 %(n)d 个字。") % {"n": limit}, field)
    return value


# ---------------------------------------------------------------- issuing a call


def issuing_units(actor: Any):
    """The authorities the person may issue calls from."""
    return Unit.objects.with_permission(actor, ADD).filter(kind=UnitKind.AUTHORITY, is_active=True)


def target_units(unit: Unit, targets: str):
    """The units a call of `unit` goes to."""
    below = Unit.objects.filter(path__startswith=unit.path, is_active=True).exclude(pk=unit.pk)
    if targets == CallTargets.SCHOOLS:
        return below.filter(kind=UnitKind.SCHOOL).order_by("path")
    return below.filter(
        depth=unit.depth + 1, kind__in=(UnitKind.AUTHORITY, UnitKind.SCHOOL)
    ).order_by("path")


def call_number(unit: Unit, year: int) -> str:
    """文号: the bureau's short name, the year and the call's rank in it (〔2026〕3号)."""
    short = unit.alias_list()[0] if unit.alias_list() else unit.name
    count = ReportCall.objects.filter(unit=unit, created_at__year=year).count() + 1
    return _("%(u)s安函〔%(y)d〕%(n)d号") % {"u": short, "y": year, "n": count}


def report_number(unit: Unit, year: int, seq: int) -> str:
    short = unit.alias_list()[0] if unit.alias_list() else unit.name
    return _("%(u)s安报〔%(y)d〕%(n)d号") % {"u": short, "y": year, "n": seq}


@transaction.atomic
def issue(
    actor: Any,
    *,
    unit: Any,
    kind: str,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    due_on: dt.date,
    instructions: str = "",
    topic: str = "",
    targets: str = CallTargets.CHILDREN,
) -> ReportCall:
    if not has_permission_anywhere(actor, ADD):
        raise Forbidden()
    unit_id = getattr(unit, "pk", unit)
    try:
        unit_id = record_id(unit_id)
    except NotFound:
        raise field_error(_("单位不存在或不在您的管理范围内。"), "unit") from None
    found = issuing_units(actor).filter(pk=unit_id).first()
    if found is None:
        if Unit.objects.with_permission(actor, ADD).filter(pk=unit_id).exists():
            raise field_error(_("只有教育行政部门可以下发报告征集。"), "unit")
        raise field_error(_("单位不存在或不在您的管理范围内。"), "unit")
    if kind not in ReportKind.values:
        raise field_error(_("请选择报告类型。"), "kind")
    if targets not in CallTargets.values:
        raise field_error(_("请选择报送范围。"), "targets")
    title = " ".join(_text(title, 200, "title").split())
    if not title:
        raise field_error(_("请填写标题。"), "title")
    topic = " ".join(_text(topic, 100, "topic").split())
    if kind == ReportKind.SPECIAL and not topic:
        raise field_error(_("安全专报须写明主题。"), "topic")
    for name, value in (("period_start", period_start), ("period_end", period_end)):
        if not isinstance(value, dt.date):
            raise field_error(_("请填写报告期。"), name)
    if not isinstance(due_on, dt.date):
        raise field_error(_("请填写报送截止日期。"), "due_on")
    if period_end < period_start:
        raise field_error(_("报告期止不能早于报告期起。"), "period_end")
    if period_end - period_start > MAX_PERIOD:
        raise field_error(_("报告期不超过四年。"), "period_end")
    if due_on < timezone.localdate():
        raise field_error(_("报送截止日期不能早于今天。"), "due_on")
    units = list(target_units(found, targets)[: MAX_TARGETS + 1])
    if not units:
        raise field_error(_("该单位下没有可报送的单位。"), "targets")
    if len(units) > MAX_TARGETS:
        raise field_error(_("报送单位过多。"), "targets")
    call = ReportCall(
        unit=found,
        kind=kind,
        title=title,
        topic=topic,
        period_start=period_start,
        period_end=period_end,
        due_on=due_on,
        instructions=_text(instructions, MAX_SECTION, "instructions"),
        targets=targets,
        issued_by=actor,
        number=call_number(found, timezone.localdate().year),
    )
    stamp(call, actor)
    call.save()
    audit.record("create", actor=actor, obj=call, detail={"targets": len(units)})
    year = timezone.localdate().year
    inline = len(units) <= INLINE_DRAFTS
    for unit_obj in units:
        seq = Report.objects.filter(unit=unit_obj, created_at__year=year).count() + 1
        report = Report(
            call=call,
            unit=unit_obj,
            number=report_number(unit_obj, year, seq),
            figures=draft_figures(actor, call, unit_obj) if inline else {},
            sections={key: "" for key in SECTION_KEYS},
        )
        stamp(report, actor)
        _workflow().advance(report, actor, ReportAction.CREATE, to=None, created=True)
    if not inline:
        transaction.on_commit(lambda: _fill_later(call.pk, actor.pk))
    return call


def _fill_later(call_id: int, actor_id: int) -> None:
    from xiaoan.reportcalls.tasks import fill_drafts

    fill_drafts(call_id, actor_id)


def fill_drafts(call_id: int | None = None, actor_id: int | None = None) -> int:
    """Give the drafts still without figures theirs (a call's, or every call's), each in
    its own transaction, as the caller sees the unit; returns how many were filled. Safe to
    run twice: a filled draft is left alone."""
    from xiaoan.accounts.models import User

    waiting = Report.objects.filter(status=ReportStatus.DRAFTING, figures={})
    if call_id is not None:
        waiting = waiting.filter(call_id=call_id)
    done = 0
    people: dict[int, Any] = {}
    for pk, call_pk, issuer in waiting.values_list("pk", "call_id", "call__issued_by_id")[
        :MAX_TARGETS
    ]:
        who = actor_id if actor_id is not None and call_pk == call_id else issuer
        if who not in people:
            people[who] = User.objects.filter(pk=who, is_active=True).first()
        actor = people[who]
        if actor is None:
            continue
        with transaction.atomic():
            report = (
                Report.objects.select_for_update()
                .select_related("call", "unit")
                .filter(pk=pk, figures={})
                .first()
            )
            if report is None:
                continue
            report.figures = draft_figures(actor, report.call, report.unit)
            report.save(update_fields=["figures", "updated_at"])
            done += 1
    return done


# ---------------------------------------------------------------- the draft's figures


def draft_figures(actor: Any, call: ReportCall, unit: Unit) -> dict[str, Any]:
    """The unit's figures over the call's period (xiaoan.reportcalls.period), as `actor`
    sees the unit: a table and a generated sentence per part."""
    from xiaoan.reportcalls.period import day_text, parts

    today = timezone.localdate()
    found = parts(actor, unit, call.period_start, call.period_end)
    opening = _("%(start)s至%(end)s，%(unit)s按照上级部署开展学校安全工作，主要数据如下。") % {
        "start": day_text(call.period_start),
        "end": day_text(call.period_end),
        "unit": unit.name,
    }
    return {
        "as_of": today.isoformat(),
        "period": [call.period_start.isoformat(), call.period_end.isoformat()],
        "tables": [p.table() for p in found],
        "sentences": [opening, *(p.sentence for p in found)] if found else [],
    }


# ---------------------------------------------------------------- the report's steps


def load(actor: Any, pk: Any) -> Report:
    report = (
        Report.objects.restrict(actor, "view")
        .select_related("unit", "call__unit", "submitted_by")
        .filter(pk=record_id(pk))
        .first()
    )
    if report is None:
        raise NotFound()
    return report


def load_call(actor: Any, pk: Any) -> ReportCall:
    call = (
        ReportCall.objects.restrict(actor, "view")
        .select_related("unit", "issued_by")
        .filter(pk=record_id(pk))
        .first()
    )
    if call is None:
        raise NotFound()
    return call


def clean_sections(value: Any) -> dict[str, str]:
    """Only the known sections, as text (a nested or foreign value is refused)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise field_error(_("正文须为各部分的文字。"), "sections")
    unknown = set(value) - set(SECTION_KEYS)
    if unknown:
        raise field_error(
            _("未知的正文部分：%(k)s。") % {"k": "、".join(sorted(unknown))}, "sections"
        )
    return {key: _text(text, MAX_SECTION, "sections") for key, text in value.items()}


@transaction.atomic
def edit(
    actor: Any,
    pk: Any,
    *,
    version: int | None = None,
    sections: Any = None,
    number: str | None = None,
) -> Report:
    report = begin(actor, Report, pk, ReportAction.EDIT, version)
    changed = clean_sections(sections)
    report.sections = {**{k: "" for k in SECTION_KEYS}, **(report.sections or {}), **changed}
    if number is not None:
        report.number = " ".join(_text(number, 60, "number").split())
    stamp(report, actor)
    _workflow().advance(report, actor, ReportAction.EDIT, to=ReportStatus.DRAFTING)
    return report


@transaction.atomic
def refresh(actor: Any, pk: Any, *, version: int | None = None) -> Report:
    report = begin(actor, Report, pk, ReportAction.REFRESH, version)
    report.figures = draft_figures(actor, report.call, report.unit)
    stamp(report, actor)
    _workflow().advance(report, actor, ReportAction.REFRESH, to=None)
    return report


@transaction.atomic
def submit(actor: Any, pk: Any, *, version: int | None = None) -> Report:
    report = begin(actor, Report, pk, ReportAction.SUBMIT, version)
    missing = [str(title) for key, title in SECTIONS if not (report.sections or {}).get(key)]
    if missing:
        message = _("请先填写：%(s)s。") % {"s": "、".join(missing)}
        raise field_error(message, "sections")
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.return_reason = ""
    stamp(report, actor)
    _workflow().advance(report, actor, ReportAction.SUBMIT)
    return report


def is_caller(actor: Any, report: Report) -> bool:
    """The person decides for the calling authority (not for the reporting unit)."""
    if report.call.unit_id == report.unit_id:
        return False
    return Unit.objects.with_permission(actor, ACCEPT).filter(pk=report.call.unit_id).exists()


def _decide(actor: Any, pk: Any, name: str, version: int | None) -> Report:
    report = begin(actor, Report, pk, name, version)
    if not is_caller(actor, report):
        raise Forbidden(_("只有发文单位可以审核上报材料。"))
    report.decided_at = timezone.now()
    return report


@transaction.atomic
def accept(actor: Any, pk: Any, *, version: int | None = None, note: str = "") -> Report:
    report = _decide(actor, pk, ReportAction.ACCEPT, version)
    stamp(report, actor)
    _workflow().advance(report, actor, ReportAction.ACCEPT, note=(note or "").strip())
    return report


@transaction.atomic
def send_back(actor: Any, pk: Any, *, version: int | None = None, note: str = "") -> Report:
    report = _decide(actor, pk, ReportAction.SEND_BACK, version)
    report.return_reason = require_note(note, _("退回原因"))
    stamp(report, actor)
    _workflow().advance(report, actor, ReportAction.SEND_BACK, note=report.return_reason)
    return report


# ---------------------------------------------------------------- the caller's view


def returns_of(call: ReportCall):
    """The call's reports, side by side (one query)."""
    return call.reports.select_related("unit", "submitted_by").order_by("unit__path")


def tally(call: ReportCall, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    out = {s: 0 for s in ReportStatus.values}
    for status in call.reports.values_list("status", flat=True):
        out[status] += 1
    out["total"] = sum(out[s] for s in ReportStatus.values)
    out["overdue"] = (
        out[ReportStatus.DRAFTING] + out[ReportStatus.RETURNED] if call.due_on < today else 0
    )
    return out
