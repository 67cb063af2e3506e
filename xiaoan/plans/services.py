"""Plan rules shared by the pages, the API, the commands and the daily job: creating and
editing plans and tasks, cascading tasks to units, progress reports and their roll-up, the
deadline pass and the responsibility list rows. Importing a document is in importing.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.services import people_with
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.core.workflow import begin, workflow_of
from xiaoan.notifications.models import Notification
from xiaoan.notifications.services import grouped, notify, was_notified
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.plans import deadlines as milestones
from xiaoan.plans.choices import (
    FINISHED,
    OPEN,
    REPORT_STATUSES,
    AssignmentAction,
    DeadlineKind,
    PlanAction,
    PlanStatus,
    Progress,
    ReportReview,
    current_progress,
)
from xiaoan.plans.models import (
    Assignment,
    Evidence,
    Plan,
    PlanPhase,
    ProgressReport,
    Task,
    plan_perm,
)
from xiaoan.reports import rollups

DUE_SOON_DAYS = 7
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = (
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".txt",
    ".zip",
)
Kind = Notification.Kind


def _today() -> dt.date:
    return timezone.localdate()


def require(actor: Any, action: str) -> None:
    """403 when the plan permission is held nowhere."""
    if not has_permission_anywhere(actor, plan_perm(action)):
        raise Forbidden()


def _advance(obj: Plan | Assignment, actor: Any, event: str, **kw: Any):
    """Move a plan or assignment along its workflow (xiaoan.plans.workflow): state, version,
    the event row and the audit entry, in the caller's transaction."""
    return workflow_of(type(obj)).advance(obj, actor, event, **kw)


def issuing_units(actor: Any):
    """Units where the actor may issue plans."""
    return Unit.objects.with_permission(actor, plan_perm("add")).filter(is_active=True)


def _issuer(actor: Any, unit: Unit | int) -> Unit:
    pk = unit.pk if isinstance(unit, Unit) else unit
    found = issuing_units(actor).filter(pk=pk).first()
    if found is None:
        message = _("您不能以该单位名义下发方案。")
        raise Invalid(message, fields={"unit": [message]})
    return found


# ---------------------------------------------------------------- plans


PLAN_FIELDS = ("title", "document_number", "start_date", "end_date")


def _phases(plan: Plan, phases: Sequence[dict]) -> None:
    plan.phases.all().delete()
    for seq, phase in enumerate(phases, start=1):
        name = (phase.get("name") or "").strip()
        if not name:
            raise Invalid(fields={"phases": [_("请填写阶段名称。")]})
        start, end = phase.get("start_date"), phase.get("end_date")
        if start and end and end < start:
            raise Invalid(
                fields={"phases": [_("阶段“%(n)s”的结束日期早于开始日期。") % {"n": name}]}
            )
        PlanPhase.objects.create(
            plan=plan, seq=seq, name=name[:100], start_date=start, end_date=end
        )


def _check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise Invalid(fields={"end_date": [_("结束日期不能早于开始日期。")]})


@transaction.atomic
def create_plan(
    actor: Any,
    *,
    unit: Unit | int,
    title: str,
    document_number: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    phases: Sequence[dict] = (),
    status: str = PlanStatus.DRAFT,
    source_name: str = "",
) -> Plan:
    require(actor, "add")
    issuer = _issuer(actor, unit)
    if not (title or "").strip():
        raise Invalid(fields={"title": [_("请填写方案名称。")]})
    _check_period(start_date, end_date)
    plan = Plan(
        title=title.strip()[:200],
        unit=issuer,
        document_number=(document_number or "").strip()[:60],
        start_date=start_date,
        end_date=end_date,
        status=PlanStatus.DRAFT,
        source_name=source_name[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(plan, actor).save()
    _phases(plan, phases)
    _advance(plan, actor, PlanAction.CREATE, to=None, created=True)
    ensure_in_scope(actor, plan, "add")
    if status == PlanStatus.ACTIVE:
        activate_plan(actor, plan.pk)
        plan.refresh_from_db()
    return plan


@transaction.atomic
def update_plan(actor: Any, pk: int, **fields: Any) -> Plan:
    plan = get_scoped(actor, Plan, pk, "change")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(plan, name, fields[name])
    if not (plan.title or "").strip():
        raise Invalid(fields={"title": [_("请填写方案名称。")]})
    _check_period(plan.start_date, plan.end_date)
    stamp(plan, actor).save()
    if fields.get("phases") is not None:
        _phases(plan, fields["phases"])
    ensure_in_scope(actor, plan, "change")
    return plan


@transaction.atomic
def activate_plan(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Plan:
    """Publish a draft: every task goes out to its units."""
    plan = begin(actor, Plan, pk, "activate", version)
    _advance(stamp(plan, actor), actor, PlanAction.ACTIVATE, note=note)
    cascade(list(plan.tasks.filter(parent__isnull=True)), actor)
    ensure_in_scope(actor, plan, "change")
    return plan


def plan_moved(plan: Plan, old: str | None, new: str) -> None:
    """The plan workflow's `on_move`: whether a plan is active decides which assignments the
    dashboard counts (xiaoan.plans.tallies), so its units are recounted."""
    if old != new:
        units = Assignment.objects.filter(task__plan=plan).values_list("unit_id", flat=True)
        rollups.touch("plans", set(units))


@transaction.atomic
def close_plan(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Plan:
    plan = begin(actor, Plan, pk, "close", version)
    _advance(stamp(plan, actor), actor, PlanAction.CLOSE, note=(note or "").strip())
    ensure_in_scope(actor, plan, "change")
    return plan


# ---------------------------------------------------------------- tasks


@dataclass
class DeadlineSpec:
    date: dt.date | None
    label: str = ""
    kind: str = DeadlineKind.DATE


def parse_deadlines(items: Iterable[Any]) -> list[DeadlineSpec]:
    """Deadlines from the importer's JSON shape or from DeadlineSpec objects."""
    out = []
    for item in items:
        if isinstance(item, DeadlineSpec):
            out.append(item)
            continue
        kind = item.get("kind") or DeadlineKind.DATE
        if kind not in DeadlineKind.values:
            raise Invalid(fields={"deadlines": [_("时限类型有误：%(k)s") % {"k": kind}]})
        raw = item.get("date")
        try:
            date = dt.date.fromisoformat(raw) if isinstance(raw, str) and raw else raw
        except ValueError:
            raise Invalid(fields={"deadlines": [_("日期格式有误：%(d)s") % {"d": raw}]}) from None
        if kind == DeadlineKind.DATE and date is None:
            raise Invalid(fields={"deadlines": [_("日期类型的时限须填写日期。")]})
        out.append(DeadlineSpec(date, (item.get("label") or "")[:60], kind))
    return out


def final_due(deadlines: Sequence[DeadlineSpec]) -> dt.date | None:
    dates = [d.date for d in deadlines if d.date]
    return max(dates) if dates else None


def _units_below(issuer: Unit, ids: Iterable[int], field: str) -> list[Unit]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    found = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=ids, path__startswith=issuer.path, is_active=True)
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise Invalid(fields={field: [_("所选单位不在发文单位范围内。")]})
    return [found[i] for i in ids]


@transaction.atomic
def save_task(
    actor: Any,
    plan: Plan | int,
    *,
    task: Task | int | None = None,
    seq: int | None = None,
    title: str,
    content: str = "",
    domain: str = "",
    deadlines: Iterable[Any] = (),
    lead_units: Iterable[int] = (),
    responsible_units: Iterable[int] = (),
    cooperating_units: Iterable[int] = (),
    all_below: bool = False,
    all_sections: bool = False,
    collective_text: str = "",
    _checked: bool = False,
) -> Task:
    """Create or edit a top-level task. On an active plan it goes out (again) at once."""
    if not _checked:
        plan = get_scoped(actor, Plan, plan.pk if isinstance(plan, Plan) else plan, "change")
    assert isinstance(plan, Plan)
    if plan.status == PlanStatus.CLOSED:
        raise Conflict(_("方案已结束，不能再修改任务。"))
    if not (title or "").strip():
        raise Invalid(fields={"title": [_("请填写工作任务。")]})
    specs = parse_deadlines(deadlines)
    issuer = plan.unit
    lead = _units_below(issuer, lead_units, "lead_units")
    responsible = _units_below(issuer, responsible_units, "responsible_units")
    cooperating = _units_below(issuer, cooperating_units, "cooperating_units")
    if task is None:
        if seq is None:
            last = plan.tasks.filter(parent__isnull=True).order_by("-seq").first()
            seq = (last.seq if last else 0) + 1
        obj = Task(plan=plan, unit=issuer)
    else:
        pk = task.pk if isinstance(task, Task) else task
        obj = Task.objects.select_for_update().filter(plan=plan, parent__isnull=True, pk=pk).first()
        if obj is None:
            raise NotFound()
    if seq is not None:
        obj.seq = seq
    obj.title = title.strip()[:300]
    obj.content = content or ""
    obj.domain = (domain or "")[:200]
    obj.all_below = bool(all_below)
    obj.all_sections = bool(all_sections) and issuer.kind == UnitKind.AUTHORITY
    obj.collective_text = (collective_text or "")[:300]
    # No deadline at all: the plan's end. Only 立即 / 长期坚持: no date to be late against.
    obj.due_on = final_due(specs) if specs else plan.end_date
    stamp(obj, actor).save()
    obj.lead_units.set(lead)
    obj.responsible_units.set(responsible)
    obj.cooperating_units.set(cooperating)
    milestones.sync_deadlines(obj, specs)
    if plan.status == PlanStatus.ACTIVE:
        cascade([obj], actor)
    ensure_in_scope(actor, obj, "change")
    return obj


# ---------------------------------------------------------------- cascade


def level_kind(issuer: Unit) -> tuple[str, ...]:
    """The units a task of this issuer goes to when it names them as a whole."""
    if issuer.kind == UnitKind.AUTHORITY:
        return (UnitKind.SCHOOL,)
    return (UnitKind.DEPARTMENT,)


def cascade_targets(task: Task) -> list[Unit]:
    """Each unit below the issuer the task names; the authority's sections when it says
    局各股室; every school (for an authority) or department (for a school) when it names them
    as a whole ("各学校", "学校各处室") or names no unit below the issuer at all."""
    issuer = task.unit
    named: dict[int, Unit] = {}
    for related in (task.lead_units, task.responsible_units, task.cooperating_units):
        for unit in related.all():
            if unit.pk != issuer.pk and unit.path.startswith(issuer.path) and unit.is_active:
                named.setdefault(unit.pk, unit)
    targets = dict(named)
    if task.all_sections:
        for unit in Unit.objects.filter(
            path__startswith=issuer.path,
            depth=issuer.depth + 1,
            kind=UnitKind.SECTION,
            is_active=True,
        ):
            targets.setdefault(unit.pk, unit)
    if task.all_below or not (named or task.all_sections):
        for unit in Unit.objects.filter(
            path__startswith=issuer.path, kind__in=level_kind(issuer), is_active=True
        ).exclude(pk=issuer.pk):
            targets.setdefault(unit.pk, unit)
    return sorted(targets.values(), key=lambda u: u.path)


def cascade(tasks: Sequence[Task], actor: Any = None) -> list[Assignment]:
    """Create the missing assignments of each task, drop the ones no longer meant (if never
    reported on), and tell each newly assigned unit once."""
    with rollups.deferred():  # one touch of the dashboard's rollup for them all
        return _cascade(tasks, actor)


def _cascade(tasks: Sequence[Task], actor: Any) -> list[Assignment]:
    created: list[Assignment] = []
    for task in tasks:
        targets = {u.pk: u for u in cascade_targets(task)}
        existing = {a.unit_id: a for a in task.assignments.all()}
        for unit_id, assignment in existing.items():
            if unit_id not in targets and assignment.last_report_id is None:
                if not assignment.reports.exists() and not task.children.filter(unit_id=unit_id):
                    assignment.delete()
                    rollups.touch("plans", [unit_id])
        new = [
            Assignment(task=task, unit=unit, due_on=task.due_on)
            for pk, unit in targets.items()
            if pk not in existing
        ]
        for assignment in new:
            stamp(assignment, actor).save()
            _advance(assignment, actor, AssignmentAction.ASSIGN, to=None, created=True)
        milestones.refresh_due([task.pk])  # each one's next unmet milestone
        created += new
        recompute(task)
    by_unit: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in created:
        by_unit[assignment.unit_id].append(assignment)
    # One notice per person however many units they answer for; none to the actor.
    with grouped(actor):
        for assignments in by_unit.values():
            unit = assignments[0].unit
            first = assignments[0].task
            notify(
                people_with(plan_perm("report"), unit),
                Kind.ASSIGNED,
                _("新的工作任务：%(p)s") % {"p": first.plan.title[:80]},
                _("%(u)s 承办 %(n)d 项任务，首项：%(t)s")
                % {"u": unit.name, "n": len(assignments), "t": first.title[:80]},
                reverse("plans:my_tasks"),
                actor=actor,
            )
    return created


def manages_assignee(actor: Any, assignment: Assignment) -> bool:
    """Whether the actor may change plans of the assignment's own unit (a school's head
    passing its task on)."""
    return (
        Unit.objects.with_permission(actor, plan_perm("change"))
        .filter(pk=assignment.unit_id)
        .exists()
    )


def may_decompose(actor: Any, assignment: Assignment) -> bool:
    """The guard of "decompose": a school's assignment of an active plan, by its managers."""
    return (
        assignment.unit.kind == UnitKind.SCHOOL
        and assignment.task.plan.status == PlanStatus.ACTIVE
        and manages_assignee(actor, assignment)
    )


def may_report(actor: Any, assignment: Assignment) -> bool:
    """The guard of "report": only while the plan is active."""
    return assignment.task.plan.status == PlanStatus.ACTIVE


@transaction.atomic
def decompose(
    actor: Any, assignment_pk: Any, units: Iterable[int] = (), *, version: int | None = None
) -> Task:
    """A school passes its assignment on to its departments (all of them when none are
    chosen): a child task issued by the school, whose progress becomes the school's."""
    assignment = begin(actor, Assignment, assignment_pk, "decompose", version)
    if not manages_assignee(actor, assignment):
        raise Forbidden()
    parent = assignment.task
    if parent.plan.status != PlanStatus.ACTIVE:
        raise Conflict(_("方案不在执行中。"))
    unit = assignment.unit
    if unit.kind != UnitKind.SCHOOL:
        raise Invalid(_("只有学校可以把任务分解到各处室。"))
    units = _units_below(unit, units, "units")
    child = Task.objects.filter(parent=parent, unit=unit).first()
    if child is None:
        child = Task(
            plan=parent.plan,
            unit=unit,
            parent=parent,
            seq=parent.seq,
            domain=parent.domain,
            title=parent.title,
            content=parent.content,
            due_on=parent.due_on,
        )
    child.all_below = not units
    stamp(child, actor).save()
    child.responsible_units.set(units)
    milestones.sync_deadlines(child, list(parent.deadlines.all()))
    names = [u.name for u in units] or [_("本校全部处室")]
    _advance(
        stamp(assignment, actor),
        actor,
        AssignmentAction.DECOMPOSE,
        note="、".join(names),
        data={"task": child.pk},
    )
    # The school's assignment follows its departments from now on (cascade rolls it up).
    cascade([child], actor)
    ensure_in_scope(actor, child, "change")
    return child


# ---------------------------------------------------------------- roll-up


def rollup(
    items: Sequence[tuple[str, int]], due_on: dt.date | None, today: dt.date
) -> tuple[str, int]:
    """The status and progress of a whole from its parts: done when all are done; overdue
    when past the deadline and not done; ongoing when every part is done or ongoing (长期坚持);
    in progress once anything moved."""
    if not items:
        return Progress.NOT_STARTED, 0
    statuses = [s for s, _p in items]
    progress = round(sum(100 if s == Progress.DONE else p for s, p in items) / len(items))
    if all(s == Progress.DONE for s in statuses):
        return Progress.DONE, 100
    if any(s == Progress.OVERDUE for s in statuses) or (
        current_progress(Progress.IN_PROGRESS, due_on, today) == Progress.OVERDUE
        and not all(s in FINISHED for s in statuses)
    ):
        return Progress.OVERDUE, progress
    if all(s in FINISHED for s in statuses):
        return Progress.ONGOING, progress
    if progress > 0 or any(s != Progress.NOT_STARTED for s in statuses):
        return Progress.IN_PROGRESS, progress
    return Progress.NOT_STARTED, 0


def recompute(task: Task, today: dt.date | None = None) -> None:
    """Roll a task up from its assignments, then into the assignment it decomposes (a
    cascaded task), its parent task, and the plan."""
    today = today or _today()
    items = [
        (current_progress(s, due, today), p)
        for s, p, due in task.assignments.values_list("status", "progress", "due_on")
    ]
    status, progress = rollup(items, task.due_on, today)
    if (task.status, task.progress) != (status, progress):
        Task.objects.filter(pk=task.pk).update(status=status, progress=progress)
        task.status, task.progress = status, progress
    if task.parent_id:
        _follow_departments(task.parent_id, task.unit_id, status, progress, task.pk)
        recompute(Task.objects.get(pk=task.parent_id), today)
    else:
        recompute_plan(task.plan_id, today)


def _follow_departments(
    task_id: int, unit_id: int, status: str, progress: int, child_task_id: int
) -> None:
    """A decomposed assignment takes its departments' roll-up: a system step in its history."""
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update().filter(task_id=task_id, unit_id=unit_id).first()
        )
        if assignment is None:
            return
        # Every department done (accepted by the school) is the school's report of 已完成:
        # it awaits the task's issuer like any other — once. A report the issuer returned
        # waits for a department to report again, not for the next recount.
        submitting = status == Progress.DONE and assignment.status != Progress.DONE
        if submitting:
            if _returned_since_departments(assignment, child_task_id):
                return
            status, progress = Progress.SUBMITTED, assignment.progress
        if (assignment.status, assignment.progress) == (status, progress):
            return
        assignment.progress = progress
        _advance(assignment, None, AssignmentAction.ROLLUP, to=status, data={"progress": progress})
        if submitting:
            _tell_reviewers(None, assignment)


def _returned_since_departments(assignment: Assignment, child_task_id: int) -> bool:
    returned = assignment.events.filter(action=AssignmentAction.RETURN).aggregate(
        at=Max("created_at")
    )["at"]
    if returned is None:
        return False
    reported = ProgressReport.objects.filter(assignment__task_id=child_task_id).aggregate(
        at=Max("created_at")
    )["at"]
    return reported is None or reported <= returned


def recompute_plan(plan_id: int, today: dt.date | None = None) -> None:
    today = today or _today()
    items = [
        (current_progress(s, due, today), p)
        for s, p, due in Task.objects.filter(plan_id=plan_id, parent__isnull=True).values_list(
            "status", "progress", "due_on"
        )
    ]
    status, progress = rollup(items, None, today)
    Plan.objects.filter(pk=plan_id).update(progress_status=status, progress=progress)


# ---------------------------------------------------------------- progress reports


def _check_file(upload: Any) -> None:
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(EVIDENCE_EXTENSIONS):
        raise Invalid(fields={"files": [_("不支持的文件类型：%(n)s") % {"n": name}]})
    if (getattr(upload, "size", 0) or 0) > EVIDENCE_MAX_BYTES:
        raise Invalid(fields={"files": [_("文件过大（上限 20 MB）：%(n)s") % {"n": name}]})


@transaction.atomic
def report_progress(
    actor: Any,
    assignment_pk: int,
    *,
    text: str,
    status: str,
    progress: int | None = None,
    files: Sequence[Any] = (),
    milestone: Any = None,
    today: dt.date | None = None,
    version: int | None = None,
) -> ProgressReport:
    """The assignee's people report: the assignment takes the reported status (overdue
    stays overdue until done, or until the missed milestone the report names is met), and
    the task and plan roll up."""
    today = today or _today()
    assignment = begin(actor, Assignment, assignment_pk, "report", version)
    if assignment.task.plan.status != PlanStatus.ACTIVE:
        raise Conflict(_("方案不在执行中，不能报送进展。"))
    if not (text or "").strip():
        raise Invalid(fields={"text": [_("请填写进展情况。")]})
    if status not in REPORT_STATUSES:
        raise Invalid(fields={"status": [_("请选择进展状态。")]})
    if progress is None:
        progress = assignment.progress
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise Invalid(fields={"progress": [_("进度应为 0 到 100 的整数。")]}) from None
    if not 0 <= progress <= 100:
        raise Invalid(fields={"progress": [_("进度应为 0 到 100 的整数。")]})
    for upload in files:
        _check_file(upload)
    fulfils = milestones.check_milestone(assignment, milestone)
    # 已完成 awaits the issuer's review: the assignment keeps the progress it had, so only
    # an accepted report counts in the figures (the report itself says 100).
    reported_progress = progress
    if status == Progress.DONE:
        reported_progress, progress = 100, assignment.progress
    report = ProgressReport.objects.create(
        assignment=assignment,
        text=text.strip(),
        status=status,
        progress=reported_progress,
        milestone=fulfils,
        author=actor,
        review=ReportReview.SUBMITTED if status == Progress.DONE else ReportReview.NOTED,
    )
    # An earlier report of 已完成 still awaiting review is superseded by this one.
    assignment.reports.filter(review=ReportReview.SUBMITTED).exclude(pk=report.pk).update(
        review=ReportReview.NOTED, review_note=_("已被后续报送取代")
    )
    if fulfils is not None:  # saved with the step below
        assignment.due_on = milestones.due_of(assignment)
    for upload in files:
        Evidence.objects.create(
            report=report,
            file=upload,
            name=(upload.name or "")[:200],
            size=getattr(upload, "size", 0) or 0,
        )
    # A report of 已完成 waits for the issuer's review; anything else follows the overdue rule.
    if status == Progress.DONE:
        new_status = Progress.SUBMITTED
    else:
        new_status = current_progress(status, assignment.due_on, today)
    assignment.progress = progress
    assignment.last_report = report
    assignment.last_reported_at = report.created_at
    _advance(
        stamp(assignment, actor),
        actor,
        AssignmentAction.REPORT,
        to=new_status,
        note=report.text,
        data={
            "report": report.pk,
            "progress": reported_progress,
            "files": len(files),
            "milestone": fulfils.pk if fulfils else None,
        },
    )
    ensure_in_scope(actor, assignment, "report")
    recompute(assignment.task, today)
    if new_status == Progress.SUBMITTED:
        _tell_reviewers(actor, assignment)
    return report


# ---------------------------------------------------------------- review by the issuer


def reviewers(assignment: Assignment) -> list[Any]:
    """Who reviews an assignment's reports: the people who manage the task's issuing unit."""
    return people_with(plan_perm("change"), assignment.task.unit)


def _tell_reviewers(actor: Any, assignment: Assignment) -> None:
    people = [p for p in reviewers(assignment) if p.pk != getattr(actor, "pk", None)]
    notify(
        people,
        Kind.SUBMITTED,
        _("工作任务报送完成，待审核：%(t)s") % {"t": assignment.task.title[:80]},
        assignment.unit.name,
        reverse("plans:assignment_report", args=[assignment.pk]),
    )


# ---------------------------------------------------------------- deadlines (daily job)


def _task_url(task_id: int) -> str:
    return reverse("plans:task_detail", args=[task_id])


def mark_overdue(today: dt.date | None = None) -> dict[str, int]:
    """Assignments past their next deadline (a missed milestone or the last) and not done
    become overdue (their units and the issuer are told); those due within a week get one
    reminder. Safe to run twice a day; one locked query for the whole pass."""
    today = today or _today()
    overdue = 0
    touched: set[int] = set()
    people: dict[tuple[str, int], list[Any]] = {}

    def who(perm: str, unit: Unit) -> list[Any]:
        if (perm, unit.pk) not in people:
            people[perm, unit.pk] = people_with(plan_perm(perm), unit)
        return people[perm, unit.pk]

    with transaction.atomic(), rollups.deferred():  # one touch of the rollup for the pass
        pending = list(
            Assignment.objects.select_for_update(of=("self",))
            .filter(due_on__lt=today, task__plan__status=PlanStatus.ACTIVE, status__in=OPEN)
            .select_related("unit", "task__unit", "task__plan")
            .order_by("pk")
        )
        labels = {
            (m.task_id, m.date): m.label
            for ms in milestones.milestones_by_task(a.task_id for a in pending).values()
            for m in ms
        }
        for assignment in pending:
            # Past due under the one rule.
            if current_progress(assignment.status, assignment.due_on, today) != Progress.OVERDUE:
                continue
            label = labels.get((assignment.task_id, assignment.due_on), "")
            _advance(assignment, None, AssignmentAction.OVERDUE, to=Progress.OVERDUE, note=label)
            task = assignment.task
            when = " ".join(p for p in (label, str(assignment.due_on)) if p)
            notify(
                who("report", assignment.unit) + who("change", task.unit),
                Kind.OVERDUE,
                _("工作任务逾期：%(t)s") % {"t": task.title[:80]},
                _("%(u)s，完成期限 %(d)s") % {"u": assignment.unit.name, "d": when},
                _task_url(task.pk),
            )
            overdue += 1
            touched.add(task.pk)
    for task in Task.objects.filter(pk__in=touched):
        recompute(task, today)
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    due_soon = 0
    for assignment in (
        Assignment.objects.filter(
            due_on__gte=today,
            due_on__lte=soon,
            task__plan__status=PlanStatus.ACTIVE,
            status__in=[Progress.NOT_STARTED, Progress.IN_PROGRESS],
        )
        .select_related("unit", "task")
        .iterator()
    ):
        url = _task_url(assignment.task_id)
        people = [
            p
            for p in people_with(plan_perm("report"), assignment.unit)
            if not was_notified(p, Kind.DUE_SOON, url)
        ]
        if people:
            notify(
                people,
                Kind.DUE_SOON,
                _("工作任务即将到期：%(t)s") % {"t": assignment.task.title[:80]},
                _("%(u)s，完成期限 %(d)s") % {"u": assignment.unit.name, "d": assignment.due_on},
                url,
            )
            due_soon += 1
    return {"overdue": overdue, "due_soon": due_soon}


def daily(today: dt.date | None = None) -> dict[str, int]:
    with grouped():  # one notice per person for the whole pass
        return mark_overdue(today)
