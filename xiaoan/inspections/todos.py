"""Inspections waiting for a person (xiaoan.core.todos): those they are invited to, their own
unit's self-checks, and those their unit organises, due within a week or already begun."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.inspections.choices import InspectionKind, InspectionStatus
from xiaoan.inspections.models import Inspection

SOON = dt.timedelta(days=7)


@provider
def inspection_todos(user: Any) -> list[Todo]:
    today = timezone.localdate()
    conduct = "inspections.conduct_inspection"
    mine = (
        Q(invites__user=user)
        | (Q(kind=InspectionKind.SELF_CHECK) & own_side(user, conduct))
        | own_side(user, conduct, field="organiser")
    )
    rows = Inspection.objects.restrict(user, "conduct").filter(mine)
    planned = rows.filter(status=InspectionStatus.PLANNED, scheduled_on__lte=today + SOON)
    drafts = rows.filter(status=InspectionStatus.IN_PROGRESS)
    url = reverse("inspections:inspection_list")
    return [
        Todo(
            "inspections.planned",
            _("待开展的检查"),
            planned.distinct().count(),
            f"{url}?status={InspectionStatus.PLANNED.value}",
            late=planned.filter(due_on__lt=today).distinct().count(),
            order=30,
        ),
        Todo(
            "inspections.draft",
            _("未提交的检查（草稿）"),
            drafts.distinct().count(),
            f"{url}?status={InspectionStatus.IN_PROGRESS.value}",
            late=drafts.filter(due_on__lt=today).distinct().count(),
            order=31,
        ),
    ]
