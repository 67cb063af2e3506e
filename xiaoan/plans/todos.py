"""Plan tasks waiting for a person (xiaoan.core.todos): their own unit's open assignments due
within two weeks or late, and reports of 已完成 awaiting their unit's review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.plans.choices import PlanStatus, Progress
from xiaoan.plans.models import Assignment

SOON = dt.timedelta(days=14)


@provider
def plan_todos(user: Any) -> list[Todo]:
    today = timezone.localdate()
    due = (
        Assignment.objects.restrict(user, "report")
        .filter(own_side(user, "plans.report_plan"), task__plan__status=PlanStatus.ACTIVE)
        .filter(status__in=(Progress.NOT_STARTED, Progress.IN_PROGRESS, Progress.OVERDUE))
        .filter(due_on__lte=today + SOON)
    )
    review = Assignment.objects.filter(
        own_side(user, "plans.change_plan", field="task__plan__unit"),
        task__plan__status=PlanStatus.ACTIVE,
        status=Progress.SUBMITTED,
    )
    # The count and its late part in one query.
    due = due.aggregate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
    return [
        Todo(
            "plans.report",
            _("近期到期的方案任务"),
            due["n"],
            reverse("plans:my_tasks"),
            late=due["late"],
            order=40,
        ),
        Todo(
            "plans.review",
            _("待审核的任务完成情况"),
            review.count(),
            f"{reverse('plans:plan_list')}?progress_status={Progress.SUBMITTED.value}",
            order=18,
        ),
    ]
