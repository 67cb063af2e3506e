"""What an alert rule may watch in the plans (xiaoan.alerts.conditions): a task assigned to a
unit (任务分解) of a plan in force, not done and past its deadline — the next milestone not
yet met, else the final one, under the one overdue rule (`plans.choices.current_progress`),
whether or not the daily pass has marked it yet. Raised when it becomes overdue and again
every `repeat_days`; a milestone met moves the deadline on, so the next miss is a new
period. One query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.alerts.conditions import Finding, condition
from xiaoan.core.alert_periods import REPEAT, REPEAT_DAYS, days_late, overdue_period
from xiaoan.plans.choices import OPEN, PlanStatus, Progress
from xiaoan.plans.models import Assignment


@condition(
    "plan_task_overdue",
    gettext_lazy("方案任务逾期未完成"),
    thresholds={"repeat_days": REPEAT},
)
def task_overdue(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    repeat = int(thresholds.get("repeat_days", REPEAT_DAYS))
    rows = (
        Assignment.objects.filter(
            Q(status__in=OPEN, due_on__lt=today) | Q(status=Progress.OVERDUE),
            unit__path__startswith=within,
            task__plan__status=PlanStatus.ACTIVE,
        )
        .order_by("due_on", "pk")
        .values(
            "pk", "unit_id", "unit__name", "due_on", "task_id", "task__title", "task__plan__title"
        )
    )
    for row in rows:
        due = row["due_on"] or today - dt.timedelta(days=1)
        yield Finding(
            unit_id=row["unit_id"],
            key=f"assignment:{row['pk']}",
            period=overdue_period(due, today, repeat),
            title=_("方案任务逾期未完成：%(t)s") % {"t": row["task__title"][:80]},
            detail=_("%(u)s，完成期限 %(date)s，已逾期 %(late)d 天（%(p)s）")
            % {
                "u": row["unit__name"],
                "date": f"{due:%Y-%m-%d}",
                "late": days_late(due, today),
                "p": row["task__plan__title"],
            },
            url=reverse("plans:task_detail", args=[row["task_id"]]),
        )
