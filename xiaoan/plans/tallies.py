"""The plans' tally for the dashboard's rollup (xiaoan.reports.rollups): per unit, the
assignments of active plans — "total", "done" (done or 长期坚持), "review" (awaiting the
issuer's review) and "overdue" by the one rule (plans.choices.current_progress) as of the
day the count runs (the rule: xiaoan.reports.rollups). Which plans are active changes which
assignments count: activating or closing a plan touches every unit it assigned."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Q

from xiaoan.plans.choices import FINISHED, OPEN, PlanStatus, Progress
from xiaoan.reports.rollups import tally


@tally(
    "plans",
    ranked=("total", "done", "overdue"),
    fields=("unit", "unit_id", "status", "due_on", "task", "task_id"),
)
def count(unit_ids: list[int] | None, today: dt.date, apps) -> dict[int, Counter]:
    assignment = apps.get_model("plans", "Assignment")
    rows = assignment.objects.order_by().filter(task__plan__status=PlanStatus.ACTIVE)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    late = Q(status=Progress.OVERDUE) | Q(status__in=OPEN, due_on__lt=today)
    grouped = rows.values_list("unit_id").annotate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=FINISHED)),
        review=Count("pk", filter=Q(status=Progress.SUBMITTED)),
        overdue=Count("pk", filter=late),
    )
    own: dict[int, Counter] = defaultdict(Counter)
    for unit_id, total, done, review, overdue in grouped:
        own[unit_id].update(total=total, done=done, review=review, overdue=overdue)
    return own
