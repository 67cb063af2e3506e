"""校车 on the home page (the licence's due date is the register layer's own to-do): the
school's buses in use not yet checked before today's trips (出车前安全检查), and buses
without a valid driver or escort, for the school's own people."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.buses.crew import DRIVERS, ESCORTS, has_valid
from xiaoan.buses.models import Bus
from xiaoan.buses.registers import BUSES
from xiaoan.buses.services import CHECK_PERM
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider


@provider
def unchecked_today(user: Any) -> list[Todo]:
    """One count: the person's own school's buses in use without a check today."""
    if not has_permission_anywhere(user, CHECK_PERM):
        return []
    today = timezone.localdate()
    count = (
        Bus.objects.active()
        .filter(own_side(user, CHECK_PERM))
        .filter(Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=today))
        .count()
    )
    if not count:
        return []
    return [
        Todo(
            key="buses.unchecked",
            label=_("今日未做出车前检查的校车"),
            count=count,
            url=reverse("buses:check"),
            order=55,
        )
    ]


@provider
def crew_todos(user: Any) -> list[Todo]:
    perm = BUSES.perm("change")
    if not has_permission_anywhere(user, perm):
        return []
    rows = Bus.objects.active().filter(own_side(user, perm))
    count = rows.filter(~has_valid(DRIVERS) | ~has_valid(ESCORTS)).count()
    if not count:
        return []
    return [
        Todo(
            key="buses.crew",
            label=_("校车无有效驾驶人或随车照管员"),
            count=count,
            late=count,
            url=reverse(BUSES.url_name("list")) + "?no_valid_crew=true",
            order=56,
        )
    ]
