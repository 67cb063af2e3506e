"""The incident rules (事件), shared by the pages, the API, the demo and the to-dos.

- Report (首报): a unit where the person holds `incidents.add_incident`, the kind, severity,
  time and place, people injured and dead, the summary and initial measures. The first
  report's time is now unless given (a phone call made earlier); it may be neither before
  the incident nor in the future. A serious incident (较大及以上) reported more than two hours
  after it happened is stored as `late`.
- Follow-up (续报): appended to the timeline until the incident is closed; never changed.
- Classify (reported → classified, 定性): only a person of a unit above the incident's school
  (`incidents.classify_incident` there); the severity may be revised (and `late` with it).
- Review (classified → reviewed, 复盘): the conclusion and the problems found; each problem
  may become a hazard of the unit's ledger (`to_hazard`, once per problem).
- Close (reviewed → closed, 结案): by the superior, as for the classification.
Every step is an event of the incident's history (xiaoan.incidents.workflow) and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.ids import record_id
from xiaoan.core.registers import home_unit
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import ensure_in_scope
from xiaoan.core.workflow import begin
from xiaoan.incidents.choices import (
    Classification,
    IncidentAction,
    IncidentKind,
    Severity,
)
from xiaoan.incidents.models import (
    DutyShift,
    Finding,
    FollowUp,
    Incident,
    IncidentEvent,
    is_late,
)
from xiaoan.orgs.models import Unit, ancestor_paths

ADD, CHANGE, CLASSIFY, REVIEW = (
    "incidents.add_incident",
    "incidents.change_incident",
    "incidents.classify_incident",
    "incidents.review_incident",
)
MAX_PEOPLE = 100_000
MAX_FINDINGS = 30
CLOCK_MARGIN = dt.timedelta(minutes=10)  # a phone's clock a little ahead is not the future


def _workflow():
    from xiaoan.incidents.workflow import INCIDENT

    return INCIDENT


def _refuse(message: str, field: str) -> Invalid:
    return Invalid(message, fields={field: [message]})


def reporting_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD).filter(is_active=True)


def _people(value: Any, field: str) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise _refuse(_("人数须为整数。"), field) from None
    if not 0 <= number <= MAX_PEOPLE:
        raise _refuse(_("人数须在 0 到 100000 之间。"), field)
    return number


def _text(value: Any, field: str, label: str, limit: int = 5000, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise _refuse(_("请填写%(what)s。") % {"what": label}, field)
    if len(text) > limit:
        raise _refuse(_("%(what)s不超过 %(n)d 个字。") % {"what": label, "n": limit}, field)
    return text


@transaction.atomic
def report(
    actor: Any,
    *,
    unit: Any,
    kind: str,
    occurred_at: dt.datetime,
    place: str,
    summary: str,
    severity: str = Severity.GENERAL,
    injured: int = 0,
    dead: int = 0,
    measures: str = "",
    first_reported_at: dt.datetime | None = None,
) -> Incident:
    """首报: the incident as first reported."""
    if not has_permission_anywhere(actor, ADD):
        raise Forbidden()
    unit_pk = getattr(unit, "pk", unit)
    target = (
        reporting_units(actor).filter(pk=unit_pk).first()
        if str(unit_pk or "").isdigit() and int(str(unit_pk)) <= 2**31 - 1
        else None
    )
    if target is None:
        raise _refuse(_("单位不存在或不在您的管理范围内。"), "unit")
    if kind not in IncidentKind.values:
        raise _refuse(_("请选择事件类型。"), "kind")
    if severity not in Severity.values:
        raise _refuse(_("请选择事件等级。"), "severity")
    now = timezone.now()
    if not isinstance(occurred_at, dt.datetime):
        raise _refuse(_("请填写发生时间。"), "occurred_at")
    if occurred_at > now + CLOCK_MARGIN:
        raise _refuse(_("发生时间不能晚于现在。"), "occurred_at")
    reported_at = first_reported_at or now
    if reported_at > now + CLOCK_MARGIN:
        raise _refuse(_("首报时间不能晚于现在。"), "first_reported_at")
    if reported_at < occurred_at:
        raise _refuse(_("首报时间不能早于发生时间。"), "first_reported_at")
    incident = Incident(
        unit=target,
        kind=kind,
        severity=severity,
        occurred_at=occurred_at,
        place=_text(place, "place", _("发生地点"), 200),
        injured=_people(injured, "injured"),
        dead=_people(dead, "dead"),
        summary=_text(summary, "summary", _("事件经过")),
        measures=_text(measures, "measures", _("初步措施"), required=False),
        reported_by=actor,
        first_reported_at=reported_at,
        late=is_late(severity, occurred_at, reported_at),
    )
    stamp(incident, actor)
    _workflow().advance(
        incident,
        actor,
        IncidentAction.REPORT,
        to=None,
        created=True,
        data={"late": incident.late, "severity": severity},
    )
    ensure_in_scope(actor, incident, "add")
    return incident


@transaction.atomic
def follow_up(
    actor: Any, pk: Any, *, text: str, at: dt.datetime | None = None, version: int | None = None
) -> FollowUp:
    """续报: appended; the version moves so a page showing the older timeline is told."""
    incident = begin(actor, Incident, pk, "follow_up", version)
    text = _text(text, "text", _("续报内容"))
    now = timezone.now()
    at = at or now
    if at > now + CLOCK_MARGIN:
        raise _refuse(_("续报时间不能晚于现在。"), "at")
    if at < incident.occurred_at:
        raise _refuse(_("续报时间不能早于事件发生时间。"), "at")
    row = FollowUp.objects.create(incident=incident, text=text, at=at, by=actor)
    stamp(incident, actor)
    _workflow().advance(
        incident, actor, IncidentAction.FOLLOW_UP, note=text[:500], data={"follow_up": row.pk}
    )
    return row


def is_superior(actor: Any, incident: Incident) -> bool:
    """Whether `actor` holds the classification right at a unit above the incident's school
    (a school does not classify its own incidents)."""
    above = ancestor_paths(home_unit(incident.unit).path, include_self=False)
    if not above:
        return False
    return Unit.objects.with_permission(actor, CLASSIFY).filter(path=above[-1]).exists()


def _superior_only(actor: Any, incident: Incident) -> None:
    if not is_superior(actor, incident):
        raise Forbidden(_("事件的定性和结案由上级单位作出。"))


@transaction.atomic
def classify(
    actor: Any,
    pk: Any,
    *,
    classification: str,
    severity: str = "",
    note: str = "",
    version: int | None = None,
) -> Incident:
    incident = begin(actor, Incident, pk, "classify", version)
    _superior_only(actor, incident)
    if classification not in Classification.values:
        raise _refuse(_("请选择事件定性。"), "classification")
    severity = severity or incident.severity
    if severity not in Severity.values:
        raise _refuse(_("请选择事件等级。"), "severity")
    before = incident.severity
    incident.classification = classification
    incident.severity = severity
    incident.late = is_late(severity, incident.occurred_at, incident.first_reported_at)
    incident.classification_note = _text(note, "note", _("定性意见"), required=False)
    incident.classified_by, incident.classified_at = actor, timezone.now()
    stamp(incident, actor)
    _workflow().advance(
        incident,
        actor,
        IncidentAction.CLASSIFY,
        note=incident.classification_note,
        data={"classification": classification, "severity": [before, severity]},
    )
    return incident


def _findings(rows: Iterable[Any]) -> list[dict[str, Any]]:
    out = []
    for row in rows or ():
        if not isinstance(row, Mapping):
            raise _refuse(_("问题须为“问题 + 措施”的行。"), "findings")
        text = _text(row.get("text"), "findings", _("存在的问题"), 2000, required=False)
        if not text:
            continue
        measure = _text(row.get("measure"), "findings", _("整改措施"), 2000, required=False)
        out.append({"text": text, "measure": measure, "hazard": bool(row.get("hazard"))})
    if len(out) > MAX_FINDINGS:
        raise _refuse(_("问题最多 %(n)d 条。") % {"n": MAX_FINDINGS}, "findings")
    return out


@transaction.atomic
def review(
    actor: Any,
    pk: Any,
    *,
    summary: str,
    findings: Iterable[Any] = (),
    all_hazards: bool = False,
    version: int | None = None,
) -> Incident:
    """复盘: the conclusion and the problems; those marked `hazard` (all of them with
    `all_hazards`, the page's tick) enter the ledger now."""
    incident = begin(actor, Incident, pk, "review", version)
    summary = _text(summary, "summary", _("复盘结论"))
    rows = _findings(findings)
    incident.review_summary = summary
    incident.reviewed_by, incident.reviewed_at = actor, timezone.now()
    made = []
    for seq, row in enumerate(rows, start=1):
        finding = Finding.objects.create(
            incident=incident, seq=seq, text=row["text"], measure=row["measure"]
        )
        if row["hazard"] or all_hazards:
            _raise_hazard(actor, incident, finding)
            made.append(finding.hazard_id)
    stamp(incident, actor)
    _workflow().advance(
        incident,
        actor,
        IncidentAction.REVIEW,
        note=summary[:500],
        data={"findings": len(rows), "hazards": made},
    )
    return incident


def _raise_hazard(actor: Any, incident: Incident, finding: Finding) -> None:
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.choices import HazardSource

    # The review is the authority: whoever may review it records its problems in the
    # unit's ledger, once per problem (the key).
    finding.hazard = hazard_services.record_finding(
        actor,
        incident.unit,
        description=_("%(text)s（%(n)s %(k)s复盘发现）")
        % {"text": finding.text, "n": incident.number, "k": incident.get_kind_display()},
        source=HazardSource.SELF_CHECK,
        category=_("事件复盘"),
        idempotency_key=f"incident-{incident.pk}-{finding.seq}",
        found_at=timezone.now(),
    )
    finding.save(update_fields=["hazard"])


@transaction.atomic
def to_hazard(actor: Any, pk: Any, *, finding: Any, version: int | None = None) -> Finding:
    """One review problem entered in the hazard ledger afterwards (once)."""
    incident = begin(actor, Incident, pk, "to_hazard", version)
    try:
        row = incident.findings.select_for_update().get(pk=record_id(finding))
    except Exception:
        raise _refuse(_("找不到该问题。"), "finding") from None
    if row.hazard_id is not None:
        raise _refuse(_("该问题已登记为隐患。"), "finding")
    _raise_hazard(actor, incident, row)
    _workflow().advance(
        incident,
        actor,
        IncidentAction.TO_HAZARD,
        to=None,
        note=row.text[:500],
        data={"finding": row.pk, "hazard": row.hazard_id},
    )
    return row


@transaction.atomic
def close(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Incident:
    incident = begin(actor, Incident, pk, "close", version)
    _superior_only(actor, incident)
    incident.closed_at = timezone.now()
    stamp(incident, actor)
    _workflow().advance(
        incident,
        actor,
        IncidentAction.CLOSE,
        note=_text(note, "note", _("结案意见"), required=False),
    )
    return incident


# ---------------------------------------------------------------- duty


def on_duty(unit: Unit, moment: dt.datetime) -> list[DutyShift]:
    """The shifts of the unit's roster (its school's, for a department or campus) covering
    `moment`, leaders included."""
    school = home_unit(unit)
    local = timezone.localtime(moment).replace(tzinfo=None)
    day = local.date()
    shifts = (
        DutyShift.objects.filter(
            unit__in=[unit.pk, school.pk],
            retired_at__isnull=True,
            duty_date__in=[day, day - dt.timedelta(days=1)],
        )
        .select_related("unit", "user")
        .order_by("duty_date", "starts_at", "pk")
    )
    return [s for s in shifts if s.covers(local)]


def roster_today(actor: Any, today: dt.date | None = None) -> list[DutyShift]:
    """Today's shifts of the units the person may see (the roster page's head)."""
    today = today or timezone.localdate()
    return list(
        DutyShift.objects.restrict(actor)
        .filter(retired_at__isnull=True, duty_date=today)
        .select_related("unit")
        .order_by("unit__path", "starts_at", "pk")[:100]
    )


# ---------------------------------------------------------------- reading


def load(actor: Any, pk: Any) -> Incident:
    incident = (
        Incident.objects.restrict(actor, "view")
        .select_related("unit", "reported_by", "classified_by", "reviewed_by")
        .filter(pk=pk)
        .first()
        if str(pk).isdigit() and int(str(pk)) <= 2**31 - 1
        else None
    )
    if incident is None:
        raise NotFound()
    return incident


def follow_ups_of(incident: Incident) -> list[FollowUp]:
    return list(incident.follow_ups.select_related("by"))


def findings_of(incident: Incident) -> list[Finding]:
    return list(incident.findings.select_related("hazard").order_by("seq"))


def events_of(incident: Incident) -> list[IncidentEvent]:
    return list(incident.events.select_related("actor"))
