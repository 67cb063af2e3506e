"""Drills on the home page: those planned for today or earlier and not yet recorded, and
those recorded and not yet evaluated, of one's own units (xiaoan.core.todos.own_side)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.drills.choices import DrillStatus
from xiaoan.drills.models import Drill


def to_record(user: Any):
    return Drill.objects.filter(own_side(user, "drills.record_drill")).filter(
        status=DrillStatus.PLANNED, planned_on__lte=timezone.localdate()
    )


def to_evaluate(user: Any):
    return Drill.objects.filter(own_side(user, "drills.evaluate_drill")).filter(
        status=DrillStatus.RECORDED
    )


@provider
def drill_todos(user: Any) -> list[Todo]:
    out: list[Todo] = []
    url = reverse("drills:drill_list")
    if has_permission_anywhere(user, "drills.record_drill"):
        count = to_record(user).count()
        if count:
            late = to_record(user).filter(planned_on__lt=timezone.localdate()).count()
            out.append(
                Todo("drills.record", _("待记录的演练"), count, f"{url}?status=planned", late=late)
            )
    if has_permission_anywhere(user, "drills.evaluate_drill"):
        count = to_evaluate(user).count()
        if count:
            out.append(Todo("drills.evaluate", _("待评估的演练"), count, f"{url}?status=recorded"))
    return out
