"""The nightly pass over deadlines: overdue marks, reminders, automatic supervision, late
answers to 挂牌督办."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.accounts.services import people_with
from xiaoan.hazards import tally
from xiaoan.hazards.choices import (
    HazardAction,
)
from xiaoan.hazards.models import (
    Hazard,
)
from xiaoan.hazards.services.base import (
    Kind,
    _record,
    _superior_unit,
    _today,
    _url,
)
from xiaoan.hazards.services.supervision import _supervise_automatically, notify_late_answers
from xiaoan.notifications.services import grouped, notify, was_notified


def mark_overdue(today: dt.date | None = None) -> dict[str, int]:
    """Mark hazards past their deadline, tell owners and superiors, warn of due dates, and
    put long-overdue ones under supervision. Safe to run more than once a day."""
    today = today or _today()
    newly = 0
    for pk in Hazard.objects.overdue(today).filter(is_overdue=False).values_list("pk", flat=True):
        with transaction.atomic():
            hazard = Hazard.objects.select_for_update().select_related("unit").get(pk=pk)
            if hazard.is_overdue or not hazard.is_open or hazard.deadline >= today:
                continue
            hazard.is_overdue = True
            days = (today - hazard.deadline).days
            _record(
                hazard, None, HazardAction.OVERDUE, None, _("已超过整改期限 %(d)d 天") % {"d": days}
            )
            superior = _superior_unit(hazard)
            people = [hazard.owner, *people_with("hazards.assign_hazard", hazard.unit)]
            if superior is not None:
                people += people_with("hazards.supervise_hazard", superior)
            notify(
                people,
                Kind.OVERDUE,
                _("隐患整改逾期：%(n)s") % {"n": hazard.number},
                _("整改期限 %(t)s，%(d)s") % {"t": hazard.deadline, "d": hazard.description[:80]},
                _url(hazard),
            )
            newly += 1
    limit = today - dt.timedelta(days=settings.XIAOAN_HAZARD_OVERDUE_SUPERVISE_DAYS)
    supervised = 0
    for pk in (
        Hazard.objects.overdue(today)
        .filter(deadline__lt=limit, is_supervised=False)
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            hazard = Hazard.objects.select_for_update().select_related("unit").get(pk=pk)
            if _supervise_automatically(
                hazard,
                _("逾期超过 %(d)d 天，自动挂牌督办")
                % {"d": settings.XIAOAN_HAZARD_OVERDUE_SUPERVISE_DAYS},
            ):
                supervised += 1
    soon = today + dt.timedelta(days=settings.XIAOAN_HAZARD_DUE_SOON_DAYS)
    due_soon = 0
    for hazard in (
        Hazard.objects.open()
        .filter(deadline__gte=today, deadline__lte=soon, owner__isnull=False)
        .select_related("owner")
        .exclude(events__action=HazardAction.OVERDUE)
        .iterator()
    ):
        already = was_notified(hazard.owner, Kind.DUE_SOON, _url(hazard))
        if not already:
            notify(
                [hazard.owner],
                Kind.DUE_SOON,
                _("整改即将到期：%(n)s") % {"n": hazard.number},
                _("整改期限 %(t)s") % {"t": hazard.deadline},
                _url(hazard),
            )
            due_soon += 1
    late_answers = notify_late_answers(today)
    return {
        "overdue": newly,
        "supervised": supervised,
        "due_soon": due_soon,
        "late_answers": late_answers,
    }


def daily(today: dt.date | None = None) -> dict[str, int]:
    """The nightly pass: deadlines, then a recount of the ledger's tally (the dashboard's
    rollup is recounted with every other kind at 01:40, xiaoan.reports.tasks)."""
    with grouped():  # one notice per person for the whole pass
        result = mark_overdue(today)
    result["tally_fixed"] = tally.reconcile()
    return result
