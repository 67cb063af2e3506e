"""Recurring duties: the rules the pages, the API, the command and the daily job share.

- `generate` turns every active duty into this period's obligation for each unit it binds,
  in bulk; an obligation is unique per duty, unit and period, so running it again adds
  nothing.
- `evaluate` decides pending obligations in one query whatever their number: each row is
  annotated with the count of its proofs (completed inspections of the duty's kind of that
  unit, scheduled in the period and submitted by the due date; or its submitted records that
  need no review or were accepted). Enough proofs: met. Due date (or, after a return, the
  date to record again by) passed without them: missed, which is final (an accountability
  fact; a late record is kept but does not turn it into met).
- `daily` = generate + evaluate + notices of due-soon and newly missed obligations.
- Records of a duty with `requires_review` wait for the issuing unit (xiaoan.duties.review):
  the obligation is `review` (the evaluation leaves it alone) until accepted or returned.
- A duty's own lifecycle (active ⇄ stopped) is a workflow (xiaoan.duties.workflow): `stop`
  (with the reason) and `resume`, each one event; issuing it writes the first.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import ensure_in_scope
from xiaoan.core.workflow import begin, require_note, workflow_of
from xiaoan.duties import proofs as proof_sources
from xiaoan.duties.choices import (
    COUNTED_REVIEWS,
    DueRule,
    DutyAction,
    DutyRecurrence,
    DutyStatus,
    DutyTarget,
    ObligationAction,
    ObligationStatus,
    ProofKind,
    RecordKind,
    RecordReview,
)
from xiaoan.duties.models import Duty, DutyRecord, Obligation, ObligationEvent
from xiaoan.inspections.choices import DONE_STATUSES, InspectionKind
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.schedules import Period, period_of
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.reports import rollups

BATCH = 2000
DUE_SOON_DAYS = 7
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt",
    ".jpg", ".jpeg", ".png", ".zip", ".ofd", ".wps",
)  # fmt: skip
DATE_RE = re.compile(r"^(\d{1,2})-(\d{1,2})$")

VIEW_OBLIGATION = "duties.view_obligation"
REPORT_OBLIGATION = "duties.report_obligation"
ADD_DUTY = "duties.add_duty"


def _flow():
    """The obligation workflow (declared in xiaoan.duties.workflow, registered at start-up)."""
    return workflow_of(Obligation)


def _duty_flow():
    """The duty workflow (active ⇄ stopped), declared in xiaoan.duties.workflow."""
    return workflow_of(Duty)


# ---------------------------------------------------------------- periods and dates


def period_for(duty: Duty, on: dt.date) -> Period | None:
    """The period of the duty holding `on` (the inspections' period arithmetic); None when
    the date is outside the duty's window or in no period (August for semesters)."""
    if duty.starts_on and on < duty.starts_on:
        return None
    if duty.recurrence == DutyRecurrence.ONCE:
        if duty.ends_on is None or on > duty.ends_on:
            return None
        start = duty.starts_on or min(duty.created_at.date(), duty.ends_on)
        return Period("once", start, duty.ends_on, _("一次性（截至 %(d)s）") % {"d": duty.ends_on})
    if duty.due_rule == DueRule.WINDOW:
        source = proof_sources.source_of(duty.proof)
        window = source.window if source is not None else None
        period = window(duty.proof_code, on) if window is not None else None
    else:
        period = period_of(duty.recurrence, on)
    if period is None or (duty.ends_on and period.start > duty.ends_on):
        return None
    return period


def fixed_dates(text: str) -> list[tuple[int, int]]:
    """ "06-30,12-31" → [(6, 30), (12, 31)]; raises ValueError on a bad date."""
    out = []
    for part in re.split(r"[,，、\s]+", (text or "").strip()):
        if not part:
            continue
        match = DATE_RE.match(part)
        if not match:
            raise ValueError(part)
        month, day = int(match[1]), int(match[2])
        dt.date(2024, month, day)  # a leap year accepts 02-29
        out.append((month, day))
    return sorted(out)


def due_date(duty: Duty, period: Period) -> dt.date:
    if duty.recurrence == DutyRecurrence.ONCE or duty.due_rule in (
        DueRule.PERIOD_END,
        DueRule.WINDOW,
    ):
        return period.end
    if duty.due_rule == DueRule.AFTER_START:
        return period.start + dt.timedelta(days=max(duty.due_days, 1) - 1)
    if duty.due_rule == DueRule.AFTER_END:
        return period.end + dt.timedelta(days=duty.due_days)
    # Fixed dates: the earliest that falls inside the period, else the period's end.
    for year in range(period.start.year, period.end.year + 1):
        for month, day in fixed_dates(duty.due_dates):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:  # 02-29 in a common year
                candidate = dt.date(year, month, 28)
            if period.start <= candidate <= period.end:
                return candidate
    return period.end


# ---------------------------------------------------------------- generation


def target_units(duty: Duty) -> QuerySet[Unit]:
    units = Unit.objects.filter(path__startswith=duty.issuer.path, is_active=True)
    if duty.target == DutyTarget.KIND and duty.target_kind:
        return units.filter(kind=duty.target_kind)
    return units.filter(kind=UnitKind.SCHOOL)


@dataclass
class Generated:
    duty: Duty
    period: Period | None
    targets: int = 0
    created: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "duty": self.duty.pk,
            "name": self.duty.name,
            "period": self.period.key if self.period else None,
            "targets": self.targets,
            "created": self.created,
        }


@transaction.atomic
def generate_duty(duty: Duty, on_date: dt.date | None = None) -> Generated:
    """This period's obligation of the duty for every bound unit lacking one: three queries
    (plus one per 2,000 rows) whatever the number of units."""
    on_date = on_date or timezone.localdate()
    period = period_for(duty, on_date) if duty.status == DutyStatus.ACTIVE else None
    if period is None:
        return Generated(duty, None)
    units = list(target_units(duty).values_list("pk", flat=True))
    have = set(
        Obligation.objects.filter(duty=duty, period_key=period.key).values_list(
            "unit_id", flat=True
        )
    )
    due = due_date(duty, period)
    now = timezone.now()
    rows = [
        Obligation(
            duty_id=duty.pk,
            unit_id=pk,
            period_key=period.key,
            period_label=period.label[:40],
            period_start=period.start,
            period_end=period.end,
            due_on=due,
            required_count=max(duty.required_count, 1),
            created_at=now,
            version=1,  # its first event, written below
        )
        for pk in units
        if pk not in have
    ]
    Obligation.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    if rows:
        # The rows this call inserted carry its `now` (a concurrent run's lost to the
        # unique constraint): each gets its first event.
        made = Obligation.objects.filter(duty=duty, period_key=period.key, created_at=now)
        pks = made.values_list("pk", flat=True)
        _events(((pk, ObligationAction.GENERATE, "", ObligationStatus.PENDING) for pk in pks), now)
    return Generated(duty, period, targets=len(units), created=len(rows))


def generate(
    on_date: dt.date | None = None, duties: Iterable[Duty] | None = None
) -> list[Generated]:
    """The current period of every active duty (the daily job and the command)."""
    if duties is None:
        duties = (
            Duty.objects.filter(status=DutyStatus.ACTIVE).select_related("issuer").order_by("pk")
        )
    return [generate_duty(d, on_date) for d in duties]


# ---------------------------------------------------------------- evaluation


def _done_inspections() -> Subquery:
    """Completed inspections proving the outer obligation, counted in SQL (a head-led duty
    only by an inspection its unit's head led)."""
    from xiaoan.duties.builtin import proving_inspections  # builtin imports this module

    found = (
        Inspection.objects.filter(
            unit_id=OuterRef("unit_id"),
            kind=OuterRef("duty__inspection_kind"),
            status__in=DONE_STATUSES,
            scheduled_on__gte=OuterRef("period_start"),
            scheduled_on__lte=OuterRef("period_end"),
            submitted_at__date__lte=OuterRef("due_on"),
        )
        .filter(proving_inspections(OuterRef("duty__builtin_code")))
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(found, output_field=IntegerField())


def _records() -> Subquery:
    found = (
        DutyRecord.objects.filter(obligation_id=OuterRef("pk"), review__in=COUNTED_REVIEWS)
        .order_by()
        .values("obligation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(found, output_field=IntegerField())


def with_proofs(obligations: QuerySet[Obligation]) -> QuerySet[Obligation]:
    """Each obligation annotated with `proofs`: the count of what proves it (one query)."""
    return obligations.annotate(
        done_inspections=Coalesce(_done_inspections(), Value(0)),
        record_count=Coalesce(_records(), Value(0)),
        other_proofs=proof_sources.other_proofs(),
    ).select_related("duty")


def proofs_of(obligation: Obligation) -> int:
    if obligation.duty.proof == ProofKind.INSPECTION:
        return obligation.done_inspections  # type: ignore[attr-defined]
    if obligation.duty.proof == ProofKind.RECORD:
        return obligation.record_count  # type: ignore[attr-defined]
    return obligation.other_proofs  # type: ignore[attr-defined]


@dataclass
class Evaluated:
    met: list[Obligation] = field(default_factory=list)
    missed: list[Obligation] = field(default_factory=list)


def decide(ob: Obligation, proofs: int, today: dt.date, now: dt.datetime) -> str | None:
    """Where a pending obligation goes with `proofs` (None: it stays pending); a met one
    gets its date and what met it."""
    if ob.period_start > today:
        return None
    if proofs >= ob.required_count:
        ob.met_at = now
        if ob.duty.proof == ProofKind.INSPECTION:
            ob.met_by = _("%(k)s %(n)d 次") % {
                "k": ob.duty.get_inspection_kind_display(),
                "n": proofs,
            }
        elif ob.duty.proof == ProofKind.RECORD:
            ob.met_by = _("%(k)s %(n)d 份") % {"k": ob.duty.get_record_kind_display(), "n": proofs}
        else:
            source = proof_sources.source_of(ob.duty.proof)
            ob.met_by = source.met_by(ob, proofs) if source else str(proofs)
        return ObligationStatus.MET
    if ob.deadline < today:
        return ObligationStatus.MISSED
    return None


def _events(steps: Iterable[tuple[int, str, str, str]], when: dt.datetime) -> None:
    """The system's events (no actor), (obligation, action, from, to) each, in one insert
    per batch; the rows already carry their new status and version (the workflow's
    `advance`, in bulk)."""
    ObligationEvent.objects.bulk_create(
        [
            ObligationEvent(
                obligation_id=pk, action=action, from_status=old, to_status=new, created_at=when
            )
            for pk, action, old, new in steps
        ],
        batch_size=BATCH,
    )


@transaction.atomic
def evaluate(
    obligations: QuerySet[Obligation] | None = None, today: dt.date | None = None
) -> Evaluated:
    """Decide the pending obligations among `obligations` (all by default): a constant
    number of queries (the locked, annotated read, the bulk update and the events) however
    many there are. Rows another transaction holds are left to it (or the next run)."""
    with rollups.deferred():  # the bulk update's batches: one touch of the rollup
        return _evaluate(obligations, today or timezone.localdate())


def _evaluate(obligations: QuerySet[Obligation] | None, today: dt.date) -> Evaluated:
    base = obligations if obligations is not None else Obligation.objects.all()
    pending = with_proofs(
        base.filter(status=ObligationStatus.PENDING, period_start__lte=today).order_by()
    ).select_for_update(of=("self",), skip_locked=True)
    now = timezone.now()
    flow = _flow()
    result = Evaluated()
    for ob in pending:
        to = decide(ob, proofs_of(ob), today, now)
        if to is not None:
            # The system's step of the workflow, for many rows at once.
            setattr(ob, flow.state_field, to)
            ob.version += 1
            (result.met if to == ObligationStatus.MET else result.missed).append(ob)
    changed = result.met + result.missed
    if changed:
        Obligation.objects.bulk_update(
            changed, ["status", "met_at", "met_by", "version"], batch_size=BATCH
        )
        # The evaluation's events are named after the state they reach (met, missed).
        _events(((o.pk, o.status, ObligationStatus.PENDING, o.status) for o in changed), now)
    return result


def decide_shown(obligations: list[Obligation]) -> list[Obligation]:
    """Decide the pending ones among the obligations about to be shown (a page), so a page
    reflects an inspection submitted since the daily job ran: two queries at most."""
    pending = [o.pk for o in obligations if o.status == ObligationStatus.PENDING]
    if pending:
        decided = evaluate(Obligation.objects.filter(pk__in=pending))
        changed = {o.pk: o for o in decided.met + decided.missed}
        for ob in obligations:
            if ob.pk in changed:
                ob.status = changed[ob.pk].status
                ob.met_at, ob.met_by = changed[ob.pk].met_at, changed[ob.pk].met_by
                ob.version = changed[ob.pk].version
    return obligations


# ---------------------------------------------------------------- notices


def reporters_of(unit_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The people of each unit who report its obligations (one query)."""
    from xiaoan.accounts.models import RoleAssignment

    people: dict[int, list[Any]] = defaultdict(list)
    rows = RoleAssignment.objects.filter(
        unit_id__in=sorted(set(unit_ids)), role__is_active=True, user__is_active=True
    ).select_related("user", "role")
    for row in rows:
        if REPORT_OBLIGATION in (row.role.permissions or ()):
            people[row.unit_id].append(row.user)
    return people


def _notify_units(obligations: Sequence[Obligation], kind: str, title: str) -> int:
    from xiaoan.notifications.services import notify

    by_unit: dict[int, list[Obligation]] = defaultdict(list)
    for ob in obligations:
        by_unit[ob.unit_id].append(ob)
    people = reporters_of(by_unit)
    url = reverse("duties:obligation_list")
    sent = 0
    for unit_id, items in by_unit.items():
        if not people.get(unit_id):
            continue
        lines = [f"{ob.duty.name}（{ob.period_label}，{ob.due_on:%Y-%m-%d}）" for ob in items]
        sent += notify(people[unit_id], kind, title % {"n": len(items)}, "\n".join(lines), url=url)
    return sent


def notify_due_soon(today: dt.date | None = None, days: int = DUE_SOON_DAYS) -> tuple[int, int]:
    """Warn once per obligation when its due date is within `days`. (obligations, messages)"""
    today = today or timezone.localdate()
    due = list(
        Obligation.objects.filter(
            status=ObligationStatus.PENDING,
            due_soon_notified_at__isnull=True,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=days),
        ).select_related("duty")
    )
    if not due:
        return 0, 0
    sent = _notify_units(due, "due_soon", _("%(n)d 项常态化任务即将到期"))
    Obligation.objects.filter(pk__in=[o.pk for o in due]).update(
        due_soon_notified_at=timezone.now()
    )
    return len(due), sent


def daily(today: dt.date | None = None) -> dict[str, Any]:
    """Generate, evaluate, warn: what the daily job and `xiaoan duties-daily` run."""
    from xiaoan.notifications.services import grouped

    today = today or timezone.localdate()
    generated = generate(today)
    result = evaluate(today=today)
    with grouped():  # due-soon and missed: one notice per person
        soon, soon_sent = notify_due_soon(today)
        missed_sent = _notify_units(result.missed, "overdue", _("%(n)d 项常态化任务未按期完成"))
    return {
        "date": today.isoformat(),
        "generated": sum(g.created for g in generated),
        "duties": [g.as_dict() for g in generated],
        "met": len(result.met),
        "missed": len(result.missed),
        "due_soon": soon,
        "notifications": soon_sent + missed_sent,
    }


# ---------------------------------------------------------------- duties


def duties_for(actor: Any, action: str = "view") -> QuerySet[Duty]:
    return Duty.objects.restrict(actor, action)


def _issuer(actor: Any, pk: Any) -> Unit:
    unit_pk = pk.pk if isinstance(pk, Unit) else pk
    try:
        unit = Unit.objects.with_permission(actor, ADD_DUTY).filter(pk=int(unit_pk)).first()
    except (TypeError, ValueError):
        unit = None
    if unit is None:
        if unit_pk and Unit.objects.restrict(actor).filter(pk=unit_pk).exists():
            raise Forbidden(_("您不能以该单位的名义发布常态化任务。"))
        raise Invalid(fields={"issuer": [_("单位不存在或不在您的范围内。")]})
    return unit


def _check(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = [_("必填。")]
    if data.get("recurrence") not in DutyRecurrence.values:
        errors["recurrence"] = [_("周期无效。")]
    if data.get("target") not in DutyTarget.values:
        errors["target"] = [_("适用单位无效。")]
    if data.get("target") == DutyTarget.KIND and data.get("target_kind") not in UnitKind.values:
        errors["target_kind"] = [_("请选择单位类型。")]
    if data.get("due_rule") not in DueRule.values:
        errors["due_rule"] = [_("完成时限规则无效。")]
    if data.get("due_rule") == DueRule.FIXED_DATES:
        try:
            if not fixed_dates(data.get("due_dates") or ""):
                raise ValueError
        except ValueError:
            errors["due_dates"] = [_("请按 月-日 填写，如 06-30,12-31。")]
    if data.get("due_rule") == DueRule.WINDOW:
        source = proof_sources.source_of(data.get("proof") or "")
        if source is None or source.window is None or not data.get("proof_code"):
            errors["due_rule"] = [_("按活动时段的任务须以教育日历中的某项活动为完成依据。")]
    if not 0 <= int(data.get("due_days") or 0) <= 366:
        errors["due_days"] = [_("须在 0 到 366 之间。")]
    if not 1 <= int(data.get("required_count") or 0) <= 100:
        errors["required_count"] = [_("须在 1 到 100 之间。")]
    proof = data.get("proof")
    if proof == ProofKind.INSPECTION:
        if data.get("inspection_kind") not in InspectionKind.values:
            errors["inspection_kind"] = [_("请选择检查类型。")]
    elif proof == ProofKind.RECORD:
        if data.get("record_kind") not in RecordKind.values:
            errors["record_kind"] = [_("请选择记录类型。")]
    elif (source := proof_sources.source_of(proof)) is not None:
        code = data.get("proof_code") or ""
        if (code or not source.any_code) and code not in dict(source.codes()):
            errors["proof_code"] = [_("请选择要求的类型。")]
    else:
        errors["proof"] = [_("完成依据无效。")]
    if data.get("recurrence") == DutyRecurrence.ONCE and not data.get("ends_on"):
        errors["ends_on"] = [_("一次性任务须填写截止日期。")]
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = [_("截止日期不能早于起始日期。")]
    return errors


# `is_active` is the input's name for the initial state (False: issued stopped).
DUTY_FIELDS = (
    "name", "description", "target", "target_kind", "recurrence", "due_rule", "due_days",
    "due_dates", "required_count", "proof", "inspection_kind", "record_kind", "proof_code",
    "source_ref", "task", "starts_on", "ends_on", "is_active", "requires_review",
)  # fmt: skip


def default_requires_review(issuer: Unit, data: dict[str, Any]) -> bool:
    """Records need the issuer's review when a higher unit issues a record duty to units
    below it (a bureau to its schools, a school to its departments); a unit's duties for
    units of its own kind (itself included) and duties proved by inspections need none."""
    if data.get("proof") != ProofKind.RECORD:
        return False
    bound_kind = data.get("target_kind") if data.get("target") == DutyTarget.KIND else None
    return issuer.kind != (bound_kind or UnitKind.SCHOOL)


def needs_review(ob: Obligation) -> bool:
    """Whether the obligation's records wait for the issuing unit: never for the issuer's
    own obligation (nobody reviews their own unit)."""
    return bool(ob.duty.requires_review) and ob.unit_id != ob.duty.issuer_id


@transaction.atomic
def create_duty(actor: Any, *, issuer: Unit | int, builtin_code: str = "", **data: Any) -> Duty:
    data = {
        "target": DutyTarget.SCHOOLS,
        "due_rule": DueRule.PERIOD_END,
        "due_days": 0,
        "due_dates": "",
        "required_count": 1,
        "inspection_kind": "",
        "record_kind": "",
        "proof_code": "",
        "description": "",
        "source_ref": "",
        "task": None,
        "target_kind": "",
        "starts_on": None,
        "ends_on": None,
        "is_active": True,
        "requires_review": None,
        **{k: v for k, v in data.items() if v is not None or k in ("starts_on", "ends_on")},
    }
    unknown = set(data) - set(DUTY_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    errors = _check(data)
    if errors:
        raise Invalid(fields=errors)
    unit = _issuer(actor, issuer)
    data["task"] = _source_task(actor, data["task"])
    if data["task"] is not None and not data["source_ref"]:
        task = data["task"]
        data["source_ref"] = _("%(plan)s 第%(seq)s项：%(title)s") % {
            "plan": task.plan.document_number or task.plan.title,
            "seq": task.seq,
            "title": task.title,
        }
        data["source_ref"] = data["source_ref"][:200]
    active = data.pop("is_active")
    if data["requires_review"] is None:
        data["requires_review"] = default_requires_review(unit, data)
    data["requires_review"] = bool(data["requires_review"]) and data["proof"] == ProofKind.RECORD
    duty = Duty(
        issuer=unit,
        builtin_code=builtin_code,
        created_by=_person(actor),
        status=DutyStatus.ACTIVE if active else DutyStatus.STOPPED,
        **data,
    )
    duty.name = duty.name.strip()[:100]
    if duty.proof != ProofKind.RECORD:
        duty.record_kind = ""
    if duty.proof != ProofKind.INSPECTION:
        duty.inspection_kind = ""
    if duty.proof in (ProofKind.INSPECTION, ProofKind.RECORD):
        duty.proof_code = ""
    if duty.target != DutyTarget.KIND:
        duty.target_kind = ""
    stamp(duty, actor)
    duty.save()
    # Its first event (the state it was issued in).
    _duty_flow().advance(duty, actor, DutyAction.CREATE, to=None, created=True)
    ensure_in_scope(actor, duty, "add")
    return duty


def _source_task(actor: Any, task: Any):
    """The plan task a duty comes from, if given: one the actor can see (else a field error)."""
    if task in (None, ""):
        return None
    from xiaoan.plans.models import Task

    pk = task.pk if isinstance(task, Task) else task
    found = Task.objects.restrict(actor).select_related("plan").filter(pk=pk).first()
    if found is None:
        raise Invalid(fields={"task": [_("方案任务不存在或不在您的范围内。")]})
    return found


def visible_source_task(actor: Any, duty: Duty):
    if not duty.task_id:
        return None
    from xiaoan.plans.models import Task

    return Task.objects.restrict(actor).filter(pk=duty.task_id).first()


def source_tasks(actor: Any):
    """Plan tasks a duty may be linked to: the actor's visible top-level tasks, newest first."""
    from xiaoan.plans.models import Task

    return (
        Task.objects.restrict(actor)
        .filter(parent__isnull=True)
        .select_related("plan")
        .order_by("-plan__created_at", "plan_id", "seq")[:300]
    )


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def stop(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Duty:
    """Stop a duty, saying why: it generates nothing new; what it generated stays."""
    duty = begin(actor, Duty, pk, "stop", version)
    note = require_note(note, _("停用理由"))
    stamp(duty, actor)
    _duty_flow().advance(duty, actor, DutyAction.STOP, note=note)
    ensure_in_scope(actor, duty, "change")
    return duty


@transaction.atomic
def resume(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Duty:
    """Resume a stopped duty: the next generation makes its current period's obligations."""
    duty = begin(actor, Duty, pk, "resume", version)
    stamp(duty, actor)
    _duty_flow().advance(duty, actor, DutyAction.RESUME, note=(note or "").strip())
    ensure_in_scope(actor, duty, "change")
    return duty


# ---------------------------------------------------------------- obligations


def obligations_for(actor: Any, action: str = "view") -> QuerySet[Obligation]:
    return Obligation.objects.restrict(actor, action)


def check_evidence(upload: Any) -> None:
    if upload is None:
        raise Invalid(fields={"evidence": [_("请上传佐证材料。")]})
    ext = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if ext not in EVIDENCE_EXTENSIONS:
        allowed = "、".join(EVIDENCE_EXTENSIONS)
        raise Invalid(fields={"evidence": [_("文件类型不支持，可上传：%(e)s。") % {"e": allowed}]})
    if (getattr(upload, "size", 0) or 0) > MAX_EVIDENCE_BYTES:
        raise Invalid(fields={"evidence": [_("文件不能超过 20 MB。")]})
    if not getattr(upload, "size", 0):
        raise Invalid(fields={"evidence": [_("文件是空的。")]})


@transaction.atomic
def submit_record(
    actor: Any,
    pk: Any,
    *,
    evidence: Any,
    note: str = "",
    kind: str = "",
    version: int | None = None,
) -> DutyRecord:
    """Report a record (drill record, summary, stage report …) with its evidence file, in
    any state (a late record is kept; missed stays missed). A pending obligation is decided
    at once, so a sufficient record makes it met: one event either way. When the duty needs
    review, the record of an open obligation puts it into `review` for the issuing unit
    instead (decided when accepted)."""
    ob = begin(actor, Obligation, pk, "record", version)
    if ob.duty.proof != ProofKind.RECORD:
        raise Invalid(_("该事项以完成相应类型的检查为准，无需上传记录。"))
    if needs_review(ob) and manages_duty(actor, ob):
        raise Forbidden(_("须审核的记录由责任单位报送，发布单位的审核人员不能代为报送。"))
    kind = kind or ob.duty.record_kind
    if kind not in RecordKind.values:
        raise Invalid(fields={"kind": [_("记录类型无效。")]})
    check_evidence(evidence)
    today = timezone.localdate()
    # An open obligation's record waits for review (the evaluation leaves it alone).
    waits = needs_review(ob) and ob.is_open
    record = DutyRecord(
        obligation=ob,
        review=RecordReview.PENDING if waits else RecordReview.NONE,
        kind=kind,
        note=(note or "").strip(),
        evidence=evidence,
        evidence_name=os.path.basename(getattr(evidence, "name", "") or "")[:200],
        submitted_by=actor,
    )
    stamp(record, actor)
    record.save()
    to = None
    if waits:
        to = ObligationStatus.REVIEW
    elif ob.status == ObligationStatus.PENDING:
        to = decide(ob, ob.records.count(), today, timezone.now())
    _flow().advance(
        ob,
        actor,
        ObligationAction.RECORD,
        to=to,
        note=record.note,
        data={"record": record.pk, "kind": kind, "file": record.evidence_name},
    )
    ensure_in_scope(actor, ob, "report")
    if to == ObligationStatus.REVIEW:
        from xiaoan.duties.review import notify_reviewers

        notify_reviewers(actor, ob)
    return record


def may_record(actor: Any, ob: Obligation) -> bool:
    """The record action's guard: only obligations proved by records take them, and a
    reviewed one not from its reviewers (the unit reports, the issuer reviews)."""
    return ob.duty.proof == ProofKind.RECORD and not (needs_review(ob) and manages_duty(actor, ob))


def manages_duty(actor: Any, ob: Obligation) -> bool:
    """Whether the actor manages the obligation's duty at its issuing unit (its reviewers)."""
    return Duty.objects.restrict(actor, "change").filter(pk=ob.duty_id).exists()


def load_record(actor: Any, pk: Any) -> DutyRecord:
    try:
        record = (
            DutyRecord.objects.filter(obligation__in=obligations_for(actor), pk=int(pk))
            .select_related("obligation")
            .first()
        )
    except (TypeError, ValueError):
        record = None
    if record is None:
        raise NotFound()
    return record


def obligation_units(actor: Any) -> QuerySet[Unit]:
    return Unit.objects.with_permission(actor, VIEW_OBLIGATION)


def can_report(actor: Any) -> bool:
    return has_permission_anywhere(actor, REPORT_OBLIGATION)
