"""Inspections waiting for a person (xiaoan.core.todos): those they are invited to, their own
unit's self-checks, and the other kinds their unit organises, due within a week or already
begun."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Todo, live_provider, own_side
from xiaoan.inspections.choices import InspectionKind, InspectionStatus
from xiaoan.inspections.models import Inspection, InspectionInvite

SOON = dt.timedelta(days=7)


@live_provider
def inspection_todos(user: Any) -> list[Todo]:
    today = timezone.localdate()
    conduct = "inspections.conduct_inspection"
    # Invitations as ids, not a join: no duplicate rows, so no DISTINCT over every column of
    # a province's inspections, and (with `own_side`'s ids) each arm of the condition below
    # can use its own index; each list's count and its late part in one query.
    invited = list(
        InspectionInvite.objects.filter(user=user).values_list("inspection_id", flat=True)
    )
    # A self-check waits for the school that runs it, not for the bureau whose schedule
    # made it (a province organises hundreds of thousands): the organiser is told of the
    # other kinds, which its own team carries out.
    self_check = Q(kind=InspectionKind.SELF_CHECK)
    mine = (
        Q(pk__in=invited)
        | (self_check & own_side(user, conduct))
        | (~self_check & own_side(user, conduct, field="organiser"))
    )
    rows = Inspection.objects.restrict(user, "conduct").filter(mine)
    late = Count("pk", filter=Q(due_on__lt=today))
    planned = rows.filter(
        status=InspectionStatus.PLANNED, scheduled_on__lte=today + SOON
    ).aggregate(n=Count("pk"), late=late)
    drafts = rows.filter(status=InspectionStatus.IN_PROGRESS).aggregate(n=Count("pk"), late=late)
    url = reverse("inspections:inspection_list")
    return [
        Todo(
            "inspections.planned",
            _("待开展的检查"),
            planned["n"],
            f"{url}?status={InspectionStatus.PLANNED.value}",
            late=planned["late"],
            order=30,
        ),
        Todo(
            "inspections.draft",
            _("未提交的检查（草稿）"),
            drafts["n"],
            f"{url}?status={InspectionStatus.IN_PROGRESS.value}",
            late=drafts["late"],
            order=31,
        ),
    ]
