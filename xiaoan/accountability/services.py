"""The rules of accountability (约谈问责), shared by the pages, the API, the demo and the to-dos.

- An authority (a bureau where the person holds `accountability.add_decision`) drafts a
  decision: 通报表扬, 约谈 or 问责, a title, the date, the basis.
- Evidence: the units below the authority with their dashboard figures and score
  (xiaoan.reports.services.dashboard), the worst first to call in, the best first to praise.
- While a draft, its kind, title, date and basis may be edited, and units below the
  authority are listed with a reason; each entry keeps the unit's figures as they stood
  that day (a JSON snapshot, never recomputed).
- Issued (draft → issued): the named units see the decision and their own entry. For 约谈
  and 问责 the meeting is recorded (time, place, attendees, minutes); commitments made are
  registered per entry with a due date. Closed (issued → closed) once every commitment is
  accepted; a draft may be cancelled with a reason.
- A commitment is reported done by the unit's own people (with a note) and accepted or
  returned (with a reason) by the authority's.
Every step is an event of its record (xiaoan.accountability.workflow) and an audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accountability.choices import (
    CALLED_IN,
    OPEN_COMMITMENTS,
    DecisionKind,
)
from xiaoan.accountability.models import Commitment, Decision, DecisionEntry
from xiaoan.core.errors import Conflict, Invalid, NotFound, field_error
from xiaoan.core.history import stamp
from xiaoan.core.ids import parse_id, record_id
from xiaoan.core.workflow import begin, require_note
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

ADD = "accountability.add_decision"
CHANGE = "accountability.change_decision"
RANKS = ("children", "schools")
MAX_TEXT = 5000


def _decisions():
    from xiaoan.accountability.workflow import DECISION

    return DECISION


def _commitments():
    from xiaoan.accountability.workflow import COMMITMENT

    return COMMITMENT


def _text(value: Any, field: str, message: str, *, required: bool = True, limit=MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise field_error(message, field)
    if len(text) > limit:
        raise field_error(_("内容不超过 %(n)d 个字。") % {"n": limit}, field)
    return text


# ---------------------------------------------------------------- the authority and evidence


def authority_units(actor: Any):
    """The bureaus where the person may decide."""
    return Unit.objects.with_permission(actor, ADD).filter(is_active=True, kind=UnitKind.AUTHORITY)


def load_authority(actor: Any, unit_id: Any) -> Unit:
    """The authority a person picks from: 404 outside the bureaus where they may decide."""
    unit = authority_units(actor).filter(pk=record_id(unit_id)).first()
    if unit is None:
        raise NotFound()
    return unit


def _board(actor: Any, unit_id: int, rank: str):
    from xiaoan.reports.services import dashboard

    return dashboard(actor, unit_id, rank=rank)


def _plain(value: Any) -> Any:
    """A figure as JSON keeps it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _row(board, row) -> dict[str, Any]:
    values = row["values"]
    figures = []
    for section_key, column in board.columns:
        key = f"{section_key}.{column.key}"
        figures.append({"key": key, "label": str(column.label), "value": _plain(values.get(key))})
    unit = row["unit"]
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "score": _plain(row["score"]),
        "figures": figures,
    }


def evidence(
    actor: Any, unit_id: Any, *, kind: str = DecisionKind.INTERVIEW, rank: str = "children"
):
    """The units below the authority with their figures: the worst first to call in, the
    best first to praise."""
    authority = load_authority(actor, unit_id)
    if rank not in RANKS:
        raise field_error(_("排名范围只能是下一级单位或全部学校。"), "rank")
    if kind not in DecisionKind.values:
        raise field_error(_("请选择类型。"), "kind")
    board = _board(actor, authority.pk, rank)
    rows = [_row(board, row) for row in board.ranking]
    rows.sort(key=lambda r: r["score"] or 0, reverse=kind != DecisionKind.PRAISE)
    columns = [str(column.label) for _key, column in board.columns]
    return {
        "unit": authority,
        "kind": kind,
        "rank": rank,
        "on": timezone.localdate(),
        "columns": columns,
        "rows": rows,
    }


def snapshot(actor: Any, authority: Unit, target: Unit) -> dict[str, Any]:
    """The target's figures today, from the authority's ranking (one level down, else among
    all its schools). Stored on the entry and never recomputed."""
    for rank in RANKS:
        board = _board(actor, authority.pk, rank)
        for row in board.ranking:
            if row["unit"].pk == target.pk:
                return {"on": timezone.localdate().isoformat(), "rank": rank, **_row(board, row)}
    raise field_error(_("该单位不在本单位的排名中（只能列入下级单位或学校）。"), "target")


# ---------------------------------------------------------------- the decision


def create(
    actor: Any, *, unit: Any, kind: str, title: str, decided_on: Any, basis: str = ""
) -> Decision:
    unit_pk = unit.pk if isinstance(unit, Unit) else parse_id(unit, "unit")
    authority = authority_units(actor).filter(pk=unit_pk).first()
    if authority is None:
        raise field_error(_("只能以您有权决定的教育行政部门名义起草。"), "unit")
    fields = _checked(kind=kind, title=title, decided_on=decided_on, basis=basis)
    with transaction.atomic():
        decision = stamp(Decision(unit=authority, created_by=actor, **fields), actor)
        decision.save()
        _decisions().advance(decision, actor, "create", to=None, created=True)
    return decision


def _checked(**given: Any) -> dict[str, Any]:
    """The decision's own fields, checked; only those given (an edit may change a few)."""
    out: dict[str, Any] = {}
    if "kind" in given:
        if given["kind"] not in DecisionKind.values:
            raise field_error(_("请选择类型。"), "kind")
        out["kind"] = given["kind"]
    if "title" in given:
        out["title"] = _text(given["title"], "title", _("请填写标题。"), limit=200)
    if "decided_on" in given:
        decided_on = given["decided_on"]
        if not isinstance(decided_on, dt.date) or isinstance(decided_on, dt.datetime):
            raise field_error(_("请填写决定日期。"), "decided_on")
        out["decided_on"] = decided_on
    if "basis" in given:
        out["basis"] = _text(given["basis"], "basis", "", required=False)
    return out


@transaction.atomic
def edit(
    actor: Any,
    pk: Any,
    *,
    version: int | None = None,
    kind: Any = None,
    title: Any = None,
    decided_on: Any = None,
    basis: Any = None,
) -> Decision:
    """Change a draft's kind, title, date or basis (None: left as it is). The entries keep
    the figures frozen when they were listed. Nothing changed: no event, no new version."""
    decision = begin(actor, Decision, pk, "edit", version)
    given = {"kind": kind, "title": title, "decided_on": decided_on, "basis": basis}
    fields = _checked(**{k: v for k, v in given.items() if v is not None})
    changed = {
        name: [str(getattr(decision, name)), str(value)]
        for name, value in fields.items()
        if getattr(decision, name) != value
    }
    if not changed:
        return decision
    for name, value in fields.items():
        setattr(decision, name, value)
    _decisions().advance(stamp(decision, actor), actor, "edit", data={"changed": changed})
    return decision


def _target(decision: Decision, value: Any) -> Unit:
    pk = value.pk if isinstance(value, Unit) else parse_id(value, "target")
    target = (
        Unit.objects.filter(pk=pk, path__startswith=decision.unit.path, is_active=True)
        .exclude(pk=decision.unit_id)
        .first()
    )
    if target is None:
        raise field_error(_("只能列入本单位的下级单位。"), "target")
    return target


@transaction.atomic
def add_entry(
    actor: Any, pk: Any, *, target: Any, reason: str, version: int | None = None
) -> DecisionEntry:
    decision = begin(actor, Decision, pk, "add_entry", version)
    unit = _target(decision, target)
    reason = _text(reason, "reason", _("请填写事由。"))
    if decision.entries.filter(target=unit).exists():
        raise field_error(_("该单位已在名单中。"), "target")
    entry = DecisionEntry.objects.create(
        decision=decision,
        target=unit,
        reason=reason,
        evidence=snapshot(actor, decision.unit, unit),
    )
    _decisions().advance(
        stamp(decision, actor), actor, "add_entry", data={"entry": entry.pk, "target": unit.pk}
    )
    return entry


def _entry(decision: Decision, value: Any) -> DecisionEntry:
    pk = parse_id(value, "entry")
    entry = decision.entries.select_related("target").filter(pk=pk).first()
    if entry is None:
        raise field_error(_("名单中没有这个单位。"), "entry")
    return entry


@transaction.atomic
def remove_entry(actor: Any, pk: Any, *, entry: Any, version: int | None = None) -> None:
    decision = begin(actor, Decision, pk, "remove_entry", version)
    found = _entry(decision, entry)
    data = {"entry": found.pk, "target": found.target_id}
    found.delete()
    _decisions().advance(stamp(decision, actor), actor, "remove_entry", data=data)


@transaction.atomic
def issue(actor: Any, pk: Any, *, version: int | None = None) -> Decision:
    decision = begin(actor, Decision, pk, "issue", version)
    if not decision.entries.exists():
        raise Invalid(_("名单为空，不能印发。"))
    decision.issued_at = timezone.now()
    _decisions().advance(stamp(decision, actor), actor, "issue")
    return decision


@transaction.atomic
def record_meeting(
    actor: Any,
    pk: Any,
    *,
    meeting_at: Any,
    place: str,
    attendees: str = "",
    minutes: str,
    version: int | None = None,
) -> Decision:
    decision = begin(actor, Decision, pk, "record_meeting", version)
    if decision.kind not in CALLED_IN:
        raise Conflict(_("通报表扬不召开约谈会。"))
    if not isinstance(meeting_at, dt.datetime):
        raise field_error(_("请填写约谈时间。"), "meeting_at")
    decision.meeting_at = meeting_at
    decision.place = _text(place, "place", _("请填写约谈地点。"), limit=200)
    decision.attendees = _text(attendees, "attendees", "", required=False)
    decision.minutes = _text(minutes, "minutes", _("请填写约谈纪要。"))
    _decisions().advance(stamp(decision, actor), actor, "record_meeting")
    return decision


@transaction.atomic
def commit(
    actor: Any, pk: Any, *, entry: Any, text: str, due_on: Any, version: int | None = None
) -> Commitment:
    decision = begin(actor, Decision, pk, "commit", version)
    found = _entry(decision, entry)
    text = _text(text, "text", _("请填写整改承诺。"))
    if not isinstance(due_on, dt.date):
        raise field_error(_("请填写完成期限。"), "due_on")
    if due_on < decision.decided_on:
        raise field_error(_("完成期限不能早于决定日期。"), "due_on")
    commitment = stamp(
        Commitment(
            entry=found,
            unit_id=found.target_id,
            authority_id=decision.unit_id,
            text=text,
            due_on=due_on,
            created_by=actor,
        ),
        actor,
    )
    commitment.save()
    _commitments().advance(commitment, actor, "create", to=None, created=True)
    _decisions().advance(
        stamp(decision, actor), actor, "commit", data={"commitment": commitment.pk}
    )
    return commitment


@transaction.atomic
def close(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Decision:
    decision = begin(actor, Decision, pk, "close", version)
    if Commitment.objects.filter(entry__decision=decision, status__in=OPEN_COMMITMENTS).exists():
        raise Conflict(_("尚有未验收的整改承诺，不能办结。"))
    _decisions().advance(stamp(decision, actor), actor, "close", note=str(note or "").strip())
    return decision


@transaction.atomic
def cancel(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Decision:
    decision = begin(actor, Decision, pk, "cancel", version)
    note = require_note(note, _("撤销原因"))
    _decisions().advance(stamp(decision, actor), actor, "cancel", note=note)
    return decision


# ---------------------------------------------------------------- commitments


@transaction.atomic
def report(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Commitment:
    commitment = begin(actor, Commitment, pk, "report", version)
    commitment.report_note = require_note(note, _("完成情况"))
    commitment.reported_at = timezone.now()
    _commitments().advance(stamp(commitment, actor), actor, "report", note=commitment.report_note)
    return commitment


@transaction.atomic
def accept(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Commitment:
    commitment = begin(actor, Commitment, pk, "accept", version)
    commitment.accepted_at = timezone.now()
    _commitments().advance(stamp(commitment, actor), actor, "accept", note=str(note or "").strip())
    return commitment


@transaction.atomic
def send_back(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Commitment:
    commitment = begin(actor, Commitment, pk, "send_back", version)
    note = require_note(note, _("退回原因"))
    commitment.reported_at = None
    _commitments().advance(stamp(commitment, actor), actor, "send_back", note=note)
    return commitment


# ---------------------------------------------------------------- reading


def load(actor: Any, pk: Any) -> Decision:
    decision = (
        Decision.objects.restrict(actor, "view")
        .select_related("unit", "created_by")
        .filter(pk=record_id(pk))
        .first()
    )
    if decision is None:
        raise NotFound()
    return decision


def entries_of(actor: Any, decision: Decision) -> list[DecisionEntry]:
    """The entries the person may see: all for the authority's people, its own for a unit."""
    return list(
        DecisionEntry.objects.restrict(actor, "view")
        .filter(decision=decision)
        .select_related("target")
        .order_by("id")
    )


def commitments_of(actor: Any, decision: Decision) -> list[Commitment]:
    return list(
        Commitment.objects.restrict(actor, "view")
        .filter(entry__decision=decision)
        .select_related("unit")
        .order_by("due_on", "id")
    )


def load_commitment(actor: Any, pk: Any) -> Commitment:
    commitment = (
        Commitment.objects.restrict(actor, "view")
        .select_related("unit", "authority", "entry__decision")
        .filter(pk=record_id(pk))
        .first()
    )
    if commitment is None:
        raise NotFound()
    return commitment


def events_of(actor: Any, decision: Decision) -> list:
    """The decision's steps, for the authority's people (a named unit sees the decision, not
    the authority's working steps)."""
    from xiaoan.accountability.workflow import DECISION

    if not DECISION.allows(actor, decision, "change"):
        return []
    return list(decision.events.select_related("actor").order_by("created_at", "id"))
