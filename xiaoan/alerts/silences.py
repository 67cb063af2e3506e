"""Silences and maintenance windows: a unit (and, by default, its subtree), optionally a place,
a kind or label matchers, for a time with a reason. A matching alert is still recorded; nobody
is told (`services.matching_silence` decides at raise time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.alerts.models import Silence
from xiaoan.alerts.services import ADD_SILENCE, MAX_MATCHERS, clean_labels, refuse
from xiaoan.core.errors import Forbidden, NotFound
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.orgs.models import Unit

MAX_SILENCE = dt.timedelta(days=90)


def silence_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD_SILENCE).filter(is_active=True)


@transaction.atomic
def create_silence(
    actor: Any,
    *,
    unit: Any,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime,
    reason: str,
    include_subtree: bool = True,
    place: str = "",
    kind: str = "",
    matchers: Any = None,
) -> Silence:
    if not has_permission_anywhere(actor, ADD_SILENCE):
        raise Forbidden()
    unit_id = getattr(unit, "pk", unit)
    found = None
    if str(unit_id or "").isdigit() and int(unit_id) < 2**63:
        found = silence_units(actor).filter(pk=int(unit_id)).first()
    if found is None:
        raise refuse(_("单位不存在或不在您的管理范围内。"), "unit")
    now = timezone.now()
    starts_at = starts_at or now
    if not isinstance(ends_at, dt.datetime) or ends_at <= starts_at:
        raise refuse(_("结束时间须晚于开始时间。"), "ends_at")
    if ends_at <= now:
        raise refuse(_("结束时间须晚于现在。"), "ends_at")
    if ends_at - starts_at > MAX_SILENCE:
        raise refuse(_("一次静默不超过 90 天。"), "ends_at")
    reason = " ".join(str(reason or "").split())[:200]
    if not reason:
        raise refuse(_("请填写静默原因。"), "reason")
    return Silence.objects.create(
        unit=found,
        include_subtree=bool(include_subtree),
        place=str(place or "").strip()[:200],
        kind=str(kind or "").strip()[:40],
        matchers=clean_labels(matchers, "matchers", MAX_MATCHERS),
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=actor,
    )


@transaction.atomic
def end_silence(actor: Any, pk: Any) -> Silence:
    """End a silence now (a maintenance window finished early)."""
    pk = record_id(pk)
    if not Silence.objects.restrict(actor, "view").filter(pk=pk).exists():
        raise NotFound()
    silence = Silence.objects.select_for_update().get(pk=pk)
    if not Silence.objects.restrict(actor, "change").filter(pk=pk).exists():
        raise Forbidden()
    now = timezone.now()
    if silence.ends_at > now:
        silence.ends_at = max(now, silence.starts_at)
        silence.ended_by = actor
        silence.save(update_fields=["ends_at", "ended_by"])
    return silence
