"""Alerts on the home page: those of one's own units (xiaoan.core.todos.own_side) waiting to
be acknowledged or handled, and for a bureau those escalated to it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.alerts.choices import AlertStatus
from xiaoan.alerts.models import Alert
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, own_units, provider

HANDLE = "alerts.handle_alert"


@provider
def alert_todos(user: Any) -> list[Todo]:
    if not has_permission_anywhere(user, HANDLE):
        return []
    now = timezone.now()
    url = reverse("alerts:alert_list")
    counts = Alert.objects.filter(
        own_side(user, HANDLE), status__in=(AlertStatus.RAISED, AlertStatus.ACKNOWLEDGED)
    ).aggregate(
        raised=Count("pk", filter=Q(status=AlertStatus.RAISED)),
        raised_late=Count("pk", filter=Q(status=AlertStatus.RAISED, ack_due__lt=now)),
        acked=Count("pk", filter=Q(status=AlertStatus.ACKNOWLEDGED)),
        acked_late=Count("pk", filter=Q(status=AlertStatus.ACKNOWLEDGED, handle_due__lt=now)),
    )
    out = [
        Todo(
            "alerts.acknowledge",
            _("待确认的预警"),
            counts["raised"],
            f"{url}?status=raised&mine=true",
            late=counts["raised_late"],
            order=20,
        ),
        Todo(
            "alerts.handle",
            _("待处置的预警"),
            counts["acked"],
            f"{url}?status=acknowledged&mine=true",
            late=counts["acked_late"],
            order=25,
        ),
    ]
    units = own_units(user, HANDLE)
    if units:
        escalated = Alert.objects.filter(escalated_to__in=units, status=AlertStatus.RAISED).count()
        out.append(
            Todo(
                "alerts.escalated",
                _("超时升级的预警"),
                escalated,
                f"{url}?status=raised&escalated=true",
                late=escalated,
                order=21,
            )
        )
    return out
