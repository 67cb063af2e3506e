"""大型活动 on the home page: events within 7 days not yet signed off, for the people of the
school who keep the register (those starting today are late)."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.events.filtersets import signoff_condition
from xiaoan.events.models import Event
from xiaoan.events.registers import EVENTS


@provider
def signoff_todos(user: Any) -> list[Todo]:
    perm = EVENTS.perm("change")
    if not has_permission_anywhere(user, perm):
        return []
    today = timezone.localdate()
    counts = (
        Event.objects.filter(own_side(user, perm), retired_at__isnull=True)
        .filter(signoff_condition("soon", today))
        .aggregate(total=Count("pk"), late=Count("pk", filter=Q(starts_on__lte=today)))
    )
    if not counts["total"]:
        return []
    return [
        Todo(
            key="events.signoff",
            label=_("7天内举办的大型活动尚未签批"),
            count=counts["total"],
            late=counts["late"],
            url=reverse(EVENTS.url_name("list")) + "?signoff=soon",
            order=55,
        )
    ]
