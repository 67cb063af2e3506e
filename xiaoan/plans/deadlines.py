"""Milestones: every dated deadline of a task (上半年 6月30日 / 下半年 12月31日, 防溺水：… /
防欺凌：…) is tracked per assignment, not only the last.

A progress report may name the milestone it fulfils. An assignment's `due_on` is its next
milestone not yet met (else the task's final deadline), so the one overdue rule
(choices.current_progress), the daily pass and every page enforce each milestone without
knowing about them. Everything here works on many assignments at once (no query per row).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from xiaoan.core.errors import Invalid
from xiaoan.plans.choices import FINISHED, OPEN, DeadlineKind, Progress, ReportReview
from xiaoan.plans.models import Assignment, ProgressReport, Task, TaskDeadline


def sync_deadlines(task: Task, specs: Sequence[Any]) -> None:
    """Write a task's deadlines in place (row i stays row i), so the reports that name a
    milestone keep naming it when the task is edited."""
    existing = list(task.deadlines.order_by("seq", "id"))
    changed = []
    for index, spec in enumerate(specs):
        if index < len(existing):
            row = existing[index]
            row.seq, row.date, row.label, row.kind = index, spec.date, spec.label, spec.kind
            changed.append(row)
        else:
            TaskDeadline.objects.create(
                task=task, seq=index, date=spec.date, label=spec.label, kind=spec.kind
            )
    if changed:
        TaskDeadline.objects.bulk_update(changed, ["seq", "date", "label", "kind"])
    surplus = [row.pk for row in existing[len(specs) :]]
    if surplus:
        TaskDeadline.objects.filter(pk__in=surplus).delete()


def milestones_by_task(task_ids: Iterable[int]) -> dict[int, list[TaskDeadline]]:
    """The dated deadlines of each task, earliest first."""
    out: dict[int, list[TaskDeadline]] = defaultdict(list)
    for row in TaskDeadline.objects.filter(
        task_id__in=set(task_ids), kind=DeadlineKind.DATE, date__isnull=False
    ).order_by("date", "seq", "id"):
        out[row.task_id].append(row)
    return out


def met_by_assignment(assignment_ids: Iterable[int]) -> dict[int, set[int]]:
    """The milestones each assignment has reported done (a returned report counts for none)."""
    out: dict[int, set[int]] = defaultdict(set)
    rows = (
        ProgressReport.objects.filter(
            assignment_id__in=set(assignment_ids), milestone__isnull=False
        )
        .exclude(review=ReportReview.RETURNED)
        .values_list("assignment_id", "milestone_id")
    )
    for assignment_id, milestone_id in rows:
        out[assignment_id].add(milestone_id)
    return out


def next_milestone(milestones: Sequence[TaskDeadline], met: set[int]) -> TaskDeadline | None:
    return next((m for m in milestones if m.pk not in met), None)


def due_for(milestones: Sequence[TaskDeadline], met: set[int], final: dt.date | None):
    """The assignment's next deadline: its first milestone not met, else the task's last."""
    upcoming = next_milestone(milestones, met)
    return upcoming.date if upcoming is not None else final


def refresh_due(task_ids: Iterable[int]) -> int:
    """Set `due_on` of every assignment of these tasks to its next unmet milestone; returns
    how many changed. A fixed number of queries however many assignments."""
    task_ids = set(task_ids)
    if not task_ids:
        return 0
    final = dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "due_on"))
    milestones = milestones_by_task(task_ids)
    assignments = list(
        Assignment.objects.filter(task_id__in=task_ids).only("id", "task_id", "due_on")
    )
    met = met_by_assignment(a.pk for a in assignments)
    changed = []
    for assignment in assignments:
        due = due_for(milestones[assignment.task_id], met[assignment.pk], final[assignment.task_id])
        if due != assignment.due_on:
            assignment.due_on = due
            changed.append(assignment)
    Assignment.objects.bulk_update(changed, ["due_on"], batch_size=500)
    return len(changed)


def due_of(assignment: Assignment) -> dt.date | None:
    """One assignment's next deadline (after a report named a milestone)."""
    milestones = milestones_by_task([assignment.task_id])[assignment.task_id]
    met = met_by_assignment([assignment.pk])[assignment.pk]
    return due_for(milestones, met, assignment.task.due_on)


def check_milestone(assignment: Assignment, milestone: Any) -> TaskDeadline | None:
    """The milestone a report names: one of the task's dated deadlines not already met."""
    if milestone in (None, ""):
        return None
    try:
        pk = int(milestone)
    except (TypeError, ValueError):
        pk = 0
    found = next(
        (m for m in milestones_by_task([assignment.task_id])[assignment.task_id] if m.pk == pk),
        None,
    )
    if found is None:
        raise Invalid(fields={"milestone": [_("所选节点不属于该任务。")]})
    if found.pk in met_by_assignment([assignment.pk])[assignment.pk]:
        raise Invalid(fields={"milestone": [_("该节点已报送完成。")]})
    return found


def open_milestones(assignment: Assignment) -> list[TaskDeadline]:
    """The milestones a report may still name (for the report form)."""
    milestones = milestones_by_task([assignment.task_id])[assignment.task_id]
    met = met_by_assignment([assignment.pk])[assignment.pk]
    return [m for m in milestones if m.pk not in met]


def milestone_text(milestone: TaskDeadline) -> str:
    when = milestone.date.isoformat() if milestone.date else ""
    return "".join(p for p in (milestone.label, f"（{when}）" if milestone.label else when))


def annotate_milestones(assignments: Sequence[Assignment], today: dt.date) -> None:
    """Give each assignment of a task with several milestones `milestone_note`: the next
    one, or the one missed ("" for a task with one deadline: its date says it all)."""
    assignments = list(assignments)
    milestones = milestones_by_task(a.task_id for a in assignments)
    several = [a for a in assignments if len(milestones[a.task_id]) > 1]
    met = met_by_assignment(a.pk for a in several)
    for assignment in assignments:
        assignment.milestone_note = ""
        assignment.milestone_missed = False
    for assignment in several:
        upcoming = next_milestone(milestones[assignment.task_id], met[assignment.pk])
        if upcoming is None or assignment.status not in (*OPEN, Progress.OVERDUE):
            continue
        missed = upcoming.date < today
        assignment.milestone_missed = missed
        text = milestone_text(upcoming)
        assignment.milestone_note = (
            _("未完成节点：%(m)s") % {"m": text} if missed else _("下一节点：%(m)s") % {"m": text}
        )


def milestone_rows(assignment: Assignment, today: dt.date) -> list[dict[str, Any]]:
    """Each milestone of the assignment's task with whether it is met, missed or ahead (the
    assignment page and the API)."""
    milestones = milestones_by_task([assignment.task_id])[assignment.task_id]
    met = met_by_assignment([assignment.pk])[assignment.pk]
    rows = []
    finished = assignment.status in FINISHED
    for m in milestones:
        if finished or m.pk in met:
            state, display = "met", _("已完成")
        elif m.date < today:
            state, display = "missed", _("已逾期")
        else:
            state, display = "open", _("未到期")
        rows.append(
            {"id": m.pk, "label": m.label, "date": m.date, "state": state, "state_display": display}
        )
    return rows
