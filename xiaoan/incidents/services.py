"""The incident rules (事件), shared by the pages, the API, the demo and the to-dos.

- Report (首报): a unit where the person holds `incidents.add_incident`, the kind, severity,
  time and place, people injured and dead, the summary and initial measures. The first
  report's time is now unless given (a phone call made earlier); it may be neither before
  the incident nor in the future. A serious incident (较大及以上) reported more than two hours
  after it happened is stored as `late`.
- Edit (更正首报): while it waits for the classification, the reporting unit corrects what
  was first reported (not the first report's time); each change is an event with the
  values before, and `late` follows a corrected time or severity.
- Follow-up (续报): appended to the timeline until the incident is closed; never changed.
- Classify (reported → classified, 定性): only a person of a unit above the incident's school
  (`incidents.classify_incident` there); the severity may be revised (and `late` with it).
- Review (classified → reviewed, 复盘): the conclusion and the problems found; each problem
  may become a hazard of the unit's ledger (`to_hazard`, once per problem), or a task given
  to a person of the unit with a due date (`assign_finding`; they may then read the
  incident); the owner (or a reviewer) records it done (`finish_finding`). Open tasks are the
  owner's to-do.
- Close (reviewed → closed, 结案): by the superior, as for the classification.
Every step is an event of the incident's history (xiaoan.incidents.workflow) and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core import freshness
from xiaoan.core.errors import Forbidden, NotFound, field_error
from xiaoan.core.history import stamp
from xiaoan.core.ids import record_id
from xiaoan.core.registers import home_unit
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import clean_text, ensure_in_scope
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

VIEW, ADD, CHANGE, CLASSIFY, REVIEW = (
    "incidents.view_incident",
    "incidents.add_incident",
    "incidents.change_incident",
    "incidents.classify_incident",
    "incidents.review_incident",
)
MAX_PEOPLE = 100_000
MAX_FINDINGS = 30
TEXT_LIMIT = 5000  # an account of the event, a review's conclusion
CLOCK_MARGIN = dt.timedelta(minutes=10)  # a phone's clock a little ahead is not the future


def _workflow():
    from xiaoan.incidents.workflow import INCIDENT

    return INCIDENT


def reporting_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD).filter(is_active=True)


def _people(value: Any, field: str) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise field_error(_("人数须为整数。"), field) from None
    if not 0 <= number <= MAX_PEOPLE:
        raise field_error(_("人数须在 0 到 100000 之间。"), field)
    return number


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
        raise field_error(_("单位不存在或不在您的管理范围内。"), "unit")
    if kind not in IncidentKind.values:
        raise field_error(_("请选择事件类型。"), "kind")
    if severity not in Severity.values:
        raise field_error(_("请选择事件等级。"), "severity")
    now = timezone.now()
    if not isinstance(occurred_at, dt.datetime):
        raise field_error(_("请填写发生时间。"), "occurred_at")
    if occurred_at > now + CLOCK_MARGIN:
        raise field_error(_("发生时间不能晚于现在。"), "occurred_at")
    reported_at = first_reported_at or now
    if reported_at > now + CLOCK_MARGIN:
        raise field_error(_("首报时间不能晚于现在。"), "first_reported_at")
    if reported_at < occurred_at:
        raise field_error(_("首报时间不能早于发生时间。"), "first_reported_at")
    incident = Incident(
        unit=target,
        kind=kind,
        severity=severity,
        occurred_at=occurred_at,
        place=clean_text(place, "place", _("发生地点"), 200),
        injured=_people(injured, "injured"),
        dead=_people(dead, "dead"),
        summary=clean_text(summary, "summary", _("事件经过"), TEXT_LIMIT),
        measures=clean_text(measures, "measures", _("初步措施"), TEXT_LIMIT, required=False),
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


EDITABLE = ("kind", "severity", "occurred_at", "place", "injured", "dead", "summary", "measures")


@transaction.atomic
def edit(actor: Any, pk: Any, *, version: int | None = None, **values: Any) -> Incident:
    """更正首报: the fields given are checked as the first report checks them."""
    incident = begin(actor, Incident, pk, "edit", version)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        field = sorted(unknown)[0]
        raise field_error(_("该项不能更正。"), field)
    clean: dict[str, Any] = {}
    if "kind" in values:
        if values["kind"] not in IncidentKind.values:
            raise field_error(_("请选择事件类型。"), "kind")
        clean["kind"] = values["kind"]
    if "severity" in values:
        if values["severity"] not in Severity.values:
            raise field_error(_("请选择事件等级。"), "severity")
        clean["severity"] = values["severity"]
    if "occurred_at" in values:
        occurred_at = values["occurred_at"]
        if not isinstance(occurred_at, dt.datetime):
            raise field_error(_("请填写发生时间。"), "occurred_at")
        if occurred_at > incident.first_reported_at:
            raise field_error(_("发生时间不能晚于首报时间。"), "occurred_at")
        clean["occurred_at"] = occurred_at
    if "place" in values:
        clean["place"] = clean_text(values["place"], "place", _("发生地点"), 200)
    for name in ("injured", "dead"):
        if name in values:
            clean[name] = _people(values[name], name)
    if "summary" in values:
        clean["summary"] = clean_text(values["summary"], "summary", _("事件经过"), TEXT_LIMIT)
    if "measures" in values:
        clean["measures"] = clean_text(
            values["measures"], "measures", _("初步措施"), TEXT_LIMIT, required=False
        )
    before = {
        name: _plain(getattr(incident, name))
        for name, value in clean.items()
        if getattr(incident, name) != value
    }
    if not before:
        raise field_error(_("没有需要更正的内容。"), "summary")
    for name, value in clean.items():
        setattr(incident, name, value)
    incident.late = is_late(incident.severity, incident.occurred_at, incident.first_reported_at)
    stamp(incident, actor)
    _workflow().advance(
        incident,
        actor,
        IncidentAction.EDIT,
        to=None,
        note=_("更正：%(f)s") % {"f": "、".join(str(FIELD_LABELS[n]) for n in before)},
        data={"before": before, "late": incident.late},
    )
    return incident


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


FIELD_LABELS = {name: Incident._meta.get_field(name).verbose_name for name in EDITABLE}


@transaction.atomic
def follow_up(
    actor: Any, pk: Any, *, text: str, at: dt.datetime | None = None, version: int | None = None
) -> FollowUp:
    """续报: appended; the version moves so a page showing the older timeline is told."""
    incident = begin(actor, Incident, pk, "follow_up", version)
    text = clean_text(text, "text", _("续报内容"), TEXT_LIMIT)
    now = timezone.now()
    at = at or now
    if at > now + CLOCK_MARGIN:
        raise field_error(_("续报时间不能晚于现在。"), "at")
    if at < incident.occurred_at:
        raise field_error(_("续报时间不能早于事件发生时间。"), "at")
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
        raise field_error(_("请选择事件定性。"), "classification")
    severity = severity or incident.severity
    if severity not in Severity.values:
        raise field_error(_("请选择事件等级。"), "severity")
    before = incident.severity
    incident.classification = classification
    incident.severity = severity
    incident.late = is_late(severity, incident.occurred_at, incident.first_reported_at)
    incident.classification_note = clean_text(
        note, "note", _("定性意见"), TEXT_LIMIT, required=False
    )
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
            raise field_error(_("问题须为“问题 + 措施”的行。"), "findings")
        text = clean_text(row.get("text"), "findings", _("存在的问题"), 2000, required=False)
        if not text:
            continue
        measure = clean_text(row.get("measure"), "findings", _("整改措施"), 2000, required=False)
        out.append({"text": text, "measure": measure, "hazard": bool(row.get("hazard"))})
    if len(out) > MAX_FINDINGS:
        raise field_error(_("问题最多 %(n)d 条。") % {"n": MAX_FINDINGS}, "findings")
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
    summary = clean_text(summary, "summary", _("复盘结论"), TEXT_LIMIT)
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
        source=HazardSource.INCIDENT,
        category=_("事件复盘"),
        idempotency_key=f"incident-{incident.pk}-{finding.seq}",
        found_at=timezone.now(),
    )
    finding.save(update_fields=["hazard"])


@transaction.atomic
def to_hazard(actor: Any, pk: Any, *, finding: Any, version: int | None = None) -> Finding:
    """One review problem entered in the hazard ledger afterwards (once)."""
    incident = begin(actor, Incident, pk, "to_hazard", version)
    row = _finding(incident, finding)
    if row.hazard_id is not None:
        raise field_error(_("该问题已登记为隐患。"), "finding")
    if row.owner_id is not None:
        raise field_error(_("该问题已交办整改，不再登记为隐患。"), "finding")
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


# ---------------------------------------------------------------- review tasks


def task_owners(incident: Incident):
    """Who may be given a review problem: the active people of the incident's unit (and its
    departments); being given one lets them read the incident."""
    from xiaoan.accounts.models import User

    return User.objects.filter(is_active=True, unit__path__startswith=incident.unit.path).order_by(
        "name", "pk"
    )


def _finding(incident: Incident, value: Any) -> Finding:
    """The incident's problem `value`, locked; a form error for anything else."""
    try:
        return incident.findings.select_for_update().get(pk=record_id(value))
    except (NotFound, Finding.DoesNotExist):
        raise field_error(_("找不到该问题。"), "finding") from None


def may_review(actor: Any, incident: Incident) -> bool:
    """Whether `actor` holds the review right at the incident's own unit."""
    return Unit.objects.with_permission(actor, REVIEW).filter(pk=incident.unit_id).exists()


@transaction.atomic
def assign_finding(
    actor: Any,
    pk: Any,
    *,
    finding: Any,
    owner: Any,
    due: dt.date,
    version: int | None = None,
) -> Finding:
    """交办: a review problem not in the hazard ledger becomes a named person's task. Given
    again (not yet done), it moves to another person or date."""
    incident = begin(actor, Incident, pk, "assign_finding", version)
    row = _finding(incident, finding)
    if row.hazard_id is not None:
        raise field_error(_("该问题已登记为隐患，按隐患闭环整改。"), "finding")
    if row.done_at is not None:
        raise field_error(_("该问题的整改措施已落实。"), "finding")
    try:
        person = task_owners(incident).filter(pk=record_id(getattr(owner, "pk", owner))).first()
    except NotFound:
        person = None
    if person is None:
        raise field_error(_("整改责任人须为本单位的人员。"), "owner")
    if not isinstance(due, dt.date):
        raise field_error(_("请填写整改期限。"), "due")
    if due < timezone.localdate():
        raise field_error(_("整改期限不能早于今天。"), "due")
    if due > timezone.localdate() + dt.timedelta(days=366):
        raise field_error(_("整改期限不超过一年。"), "due")
    # The to-dos of the new owner (and of one it moves from) are kept by their own units.
    freshness.changed([person.unit_id, row.owner.unit_id if row.owner_id else None])
    row.owner, row.due = person, due
    row.save(update_fields=["owner", "due"])
    stamp(incident, actor)
    _workflow().advance(
        incident,
        actor,
        IncidentAction.ASSIGN_FINDING,
        to=None,
        note=_("%(text)s → %(who)s，%(due)s 前")
        % {"text": row.text[:200], "who": person.display_name, "due": due},
        data={"finding": row.pk, "owner": person.pk, "due": due.isoformat()},
    )
    return row


def has_open_finding(actor: Any, incident: Incident) -> bool:
    """A problem neither in the ledger nor done: one to give (or give again)."""
    return incident.findings.filter(hazard__isnull=True, done_at__isnull=True).exists()


def may_finish(actor: Any, incident: Incident) -> bool:
    """The owner of an open task of the incident, or who may review it."""
    if may_review(actor, incident):
        return incident.findings.filter(owner__isnull=False, done_at__isnull=True).exists()
    return incident.findings.filter(owner=actor, done_at__isnull=True).exists()


@transaction.atomic
def finish_finding(
    actor: Any, pk: Any, *, finding: Any, note: str = "", version: int | None = None
) -> Finding:
    """落实: the owner (or a reviewer) says what was done."""
    incident = begin(actor, Incident, pk, "finish_finding", version)
    row = _finding(incident, finding)
    if row.owner_id is None:
        raise field_error(_("该问题尚未交办。"), "finding")
    if row.done_at is not None:
        raise field_error(_("该问题的整改措施已落实。"), "finding")
    if row.owner_id != actor.pk and not may_review(actor, incident):
        raise Forbidden(_("只有整改责任人或复盘人员可以确认落实。"))
    row.done_note = clean_text(note, "note", _("落实情况"), 2000)
    late = row.is_overdue(timezone.localdate())
    row.done_at, row.done_by = timezone.now(), actor
    row.save(update_fields=["done_note", "done_at", "done_by"])
    freshness.changed([row.owner.unit_id])
    stamp(incident, actor)
    _workflow().advance(
        incident,
        actor,
        IncidentAction.FINISH_FINDING,
        to=None,
        note=row.done_note[:500],
        data={"finding": row.pk, "late": late},
    )
    return row


def hazard_origin(user: Any, hazard: Any) -> tuple[str, str] | None:
    """The incident whose review found the hazard, when the person may read it."""
    from django.urls import reverse

    found = Finding.objects.filter(hazard_id=hazard.pk).values_list("incident_id", flat=True)
    incident = Incident.objects.restrict(user, "view").filter(pk__in=found).first()
    if incident is None:
        return None
    return (
        _("事件复盘：%(n)s %(k)s") % {"n": incident.number, "k": incident.get_kind_display()},
        reverse("incidents:incident_detail", args=[incident.pk]),
    )


def open_tasks(user: Any):
    """The review problems given to `user` and not yet done."""
    return Finding.objects.filter(owner=user, done_at__isnull=True)


def reads_as_owner(user: Any, action: str) -> bool:
    """Whether a person without the incident rights reaches the incident pages and API as
    the owner of a review problem: reading, and recording their problem done."""
    return (
        action in ("view", "finish_finding")
        and getattr(user, "is_authenticated", False)
        and Finding.objects.filter(owner_id=user.pk).exists()
    )


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
        note=clean_text(note, "note", _("结案意见"), TEXT_LIMIT, required=False),
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
    return list(incident.findings.select_related("hazard", "owner", "done_by").order_by("seq"))


def events_of(incident: Incident) -> list[IncidentEvent]:
    return list(incident.events.select_related("actor"))
