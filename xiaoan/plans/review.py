"""The issuing unit's review of a report of 已完成 (split from services.py).

The Assignment actions accept / return_report stay the entry points (xiaoan.plans.workflow);
each also settles the report under review, which has its own state (choices.ReportReview):
accepted — the report that counts as done — or returned with the reason, kept visible.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.history import stamp
from xiaoan.core.services import ensure_in_scope
from xiaoan.core.workflow import begin, require_note
from xiaoan.notifications.services import notify
from xiaoan.plans import deadlines as milestones
from xiaoan.plans.choices import AssignmentAction, Progress, ReportReview
from xiaoan.plans.models import Assignment, ProgressReport
from xiaoan.plans.services import Kind, _advance, _today, recompute


def under_review(assignment: Assignment) -> ProgressReport | None:
    """The latest report of the assignment awaiting review (none when the submission came
    from the departments' roll-up)."""
    return (
        assignment.reports.select_for_update()
        .filter(review=ReportReview.SUBMITTED)
        .order_by("-created_at", "-pk")
        .first()
    )


def _settle(report: ProgressReport | None, actor: Any, state: str, note: str) -> None:
    if report is None:
        return
    report.review, report.review_note = state, note
    report.reviewed_by = actor if getattr(actor, "pk", None) else None
    report.reviewed_at = timezone.now()
    report.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])


@transaction.atomic
def accept_report(
    actor: Any,
    assignment_pk: Any,
    *,
    note: str = "",
    version: int | None = None,
    today: dt.date | None = None,
) -> Assignment:
    """The issuing unit accepts a report of 已完成: only now the assignment is done, and
    that report is the accepted one."""
    assignment = begin(actor, Assignment, assignment_pk, "accept", version)
    report = under_review(assignment)
    note = (note or "").strip()
    _settle(report, actor, ReportReview.ACCEPTED, note)
    assignment.progress = 100
    _advance(
        stamp(assignment, actor),
        actor,
        AssignmentAction.ACCEPT,
        note=note,
        data={"report": report.pk if report else None},
    )
    ensure_in_scope(actor, assignment, "change")
    recompute(assignment.task, today)
    return assignment


@transaction.atomic
def return_report(
    actor: Any,
    assignment_pk: Any,
    *,
    note: str = "",
    version: int | None = None,
    today: dt.date | None = None,
) -> Assignment:
    """The issuing unit returns a report of 已完成 with its reason: the report stays, marked
    returned with the reason (a milestone it named is no longer met); the assignment is in
    progress again (overdue when past its next deadline) and the reporter is told why."""
    today = today or _today()
    assignment = begin(actor, Assignment, assignment_pk, "return_report", version)
    reason = require_note(note, _("退回理由"))
    report = under_review(assignment)
    _settle(report, actor, ReportReview.RETURNED, reason)
    if report is not None and report.milestone_id:
        assignment.due_on = milestones.due_of(assignment)
    late = bool(assignment.due_on and assignment.due_on < today)
    _advance(
        stamp(assignment, actor),
        actor,
        AssignmentAction.RETURN,
        to=Progress.OVERDUE if late else Progress.IN_PROGRESS,
        note=reason,
        data={"report": report.pk if report else None},
    )
    ensure_in_scope(actor, assignment, "change")
    recompute(assignment.task, today)
    author = report.author if report is not None else None
    notify(
        [author] if author is not None and author.pk != getattr(actor, "pk", None) else [],
        Kind.REJECTED,
        _("工作任务报送被退回：%(t)s") % {"t": assignment.task.title[:80]},
        reason,
        reverse("plans:assignment_report", args=[assignment.pk]),
    )
    return assignment
