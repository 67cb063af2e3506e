"""大型活动's own steps beyond the register layer: the pre-event hazard check (a 专项检查
naming the event as its subject, xiaoan.core.registers "Linking") and the sign-off (签批).

A sign-off is refused unless the safety plan document is attached, a pre-event inspection
has been submitted and none of the major hazards it found is still open, and only up to the
event's start date (an event that has begun can no longer be signed off). Changing what was
signed off (dates, place, size, kind) withdraws the sign-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from xiaoan.core import registers
from xiaoan.core.errors import Conflict, Forbidden
from xiaoan.core.history import stamp
from xiaoan.core.models import RegisterAttachment
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.events.choices import PLAN, PRECHECK_CHECKLIST
from xiaoan.events.models import Event

SIGNED_FIELDS = ("kind", "starts_on", "ends_on", "place_id", "destination", "participants")
DONE = ("submitted", "closed")


def _register():
    from xiaoan.events.registers import EVENTS

    return EVENTS


def prechecks(event: Event) -> QuerySet:
    """The 专项检查 naming the event (its pre-event hazard checks), newest first."""
    from xiaoan.inspections.choices import InspectionKind
    from xiaoan.inspections.models import Inspection

    return Inspection.objects.filter(
        subject_type=_register().content_type(),
        subject_id=event.pk,
        kind=InspectionKind.CAMPAIGN,
    ).order_by("-scheduled_on", "-pk")


def open_major_hazards(event: Event) -> QuerySet:
    """Major hazards the pre-event checks found that are not closed yet."""
    from xiaoan.hazards.choices import OPEN_STATUSES, HazardLevel
    from xiaoan.hazards.models import Hazard

    major = Q(level=HazardLevel.MAJOR) | Q(level="", suggested_level=HazardLevel.MAJOR)
    return Hazard.objects.filter(
        major,
        inspection_result__inspection__in=prechecks(event).values("pk"),
        status__in=list(OPEN_STATUSES),
    )


def has_plan(event: Event) -> bool:
    return RegisterAttachment.objects.filter(
        content_type=_register().content_type(), object_id=event.pk, kind=PLAN
    ).exists()


def blockers(event: Event, today: dt.date | None = None) -> list[str]:
    """Why the event may not be signed off now (empty: it may)."""
    today = today or timezone.localdate()
    reasons = []
    if event.is_retired:
        reasons.append(_("该活动已注销。"))
    if event.is_signed_off:
        reasons.append(_("该活动已签批。"))
    if event.starts_on < today:
        reasons.append(_("活动已开始，不能再签批。"))
    if not has_plan(event):
        reasons.append(_("尚未上传活动安全工作方案。"))
    if not prechecks(event).filter(status__in=DONE).exists():
        reasons.append(_("活动前安全检查（专项检查）尚未完成。"))
    majors = open_major_hazards(event).count()
    if majors:
        reasons.append(_("活动前检查发现的 %(n)d 项重大隐患尚未销号。") % {"n": majors})
    return reasons


@transaction.atomic
def sign_off(actor: Any, pk: Any, *, note: str = "") -> Event:
    """签批: who and when, with a note; 404 out of scope, 403 without the right, 409 when the
    event is retired, already signed off, begun, or not ready (plan, check, major hazards)."""
    register = _register()
    if not has_permission_anywhere(actor, register.perm("signoff")):
        raise Forbidden()
    event = registers.get_scoped(actor, Event, pk, "signoff")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_retired:
        raise Conflict(_("该台账记录已注销，不能再修改。"))
    reasons = blockers(event)
    if reasons:
        raise Conflict(_("不能签批：") + "".join(reasons))
    event.signed_off_at = timezone.now()
    event.signed_off_by = actor
    event.signoff_note = (note or "").strip()[:200]
    stamp(event, actor)
    event._change_reason = _("签批")
    event.save()
    return event


def withdraw_changed_signoff(actor: Any, event: Event, before: Event | None) -> None:
    """`after_save`: a change to what was signed off (dates, place, size) withdraws it."""
    if before is None or before.signed_off_at is None:
        return
    if all(getattr(event, f) == getattr(before, f) for f in SIGNED_FIELDS):
        return
    event.signed_off_at = None
    event.signed_off_by = None
    event.signoff_note = ""
    event._change_reason = _("活动信息变更，签批失效")
    event.save()


def precheck_url(event: Event) -> str:
    """The new-inspection form filled in for the event's pre-event check: its unit, 专项检查,
    the event as subject and the built-in large-event checklist."""
    from xiaoan.inspections.choices import InspectionKind
    from xiaoan.inspections.models import ChecklistTemplate

    query = {
        "unit": event.unit_id,
        "kind": InspectionKind.CAMPAIGN.value,
        "subject": registers.subject_token(event),
        "title": _("%(n)s 活动前安全检查") % {"n": event.name},
    }
    template = (
        ChecklistTemplate.objects.filter(code=PRECHECK_CHECKLIST, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    if template:
        query["checklist"] = template
    return reverse("inspections:inspection_create") + "?" + urlencode(query)


def detail_context(actor: Any, event: Event) -> dict[str, Any]:
    """The record page's sign-off card: the checks, what still blocks the sign-off."""
    from xiaoan.inspections.models import Inspection

    checks = list(
        prechecks(event).filter(pk__in=Inspection.objects.restrict(actor).values("pk"))[:10]
    )
    may_sign = (
        not event.is_retired
        and Event.objects.restrict(actor, "signoff").filter(pk=event.pk).exists()
    )
    return {
        "prechecks": checks,
        "signoff_blockers": blockers(event) if not event.is_signed_off else [],
        "may_sign": may_sign,
        "precheck_url": precheck_url(event),
        "may_precheck": not event.is_retired
        and has_permission_anywhere(actor, "inspections.add_inspection"),
        "signoff_url": reverse("events:event_signoff", args=[event.pk]),
    }
