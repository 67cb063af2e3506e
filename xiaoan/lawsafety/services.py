"""A legal vice-principal's activities (法治讲座、到校巡查、个案约谈…): added and removed one
at a time by those who may change the register item, from its record page or the API. The
item itself is written by the register layer's services (xiaoan.core.registers).

Each add or removal keeps the item's `last_activity_on`, writes one entry of the item's
change log ("登记活动 …") and so touches the dashboard's counters (the semester's count is
read from the activities by xiaoan.lawsafety.tallies)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core import registers
from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.lawsafety import rules
from xiaoan.lawsafety.choices import ActivityKind
from xiaoan.lawsafety.models import LegalActivity, LegalVicePrincipal

TOPIC_MAX = 100
NOTE_MAX = 200


def _principal_for_change(actor: Any, pk: Any) -> LegalVicePrincipal:
    """The item locked: 404 out of scope, 403 without the right, 409 retired."""
    from xiaoan.lawsafety.registers import LEGAL_VICE_PRINCIPALS

    if not has_permission_anywhere(actor, LEGAL_VICE_PRINCIPALS.perm("change")):
        raise Forbidden()
    return registers._locked(LEGAL_VICE_PRINCIPALS, actor, pk, "change")


def _clean(principal: LegalVicePrincipal, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    held_on = data.get("held_on")
    if not isinstance(held_on, dt.date):
        errors["held_on"] = [_("请填写活动日期。")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("活动日期不能晚于今天。")]
    elif held_on < principal.appointed_on:
        errors["held_on"] = [
            _("活动日期不能早于聘任日期（%(d)s）。") % {"d": f"{principal.appointed_on:%Y-%m-%d}"}
        ]
    kind = data.get("kind")
    if kind not in ActivityKind.values:
        errors["kind"] = [_("请选择活动类型。")]
    topic = (data.get("topic") or "").strip()
    if not topic:
        errors["topic"] = [_("请填写活动主题。")]
    elif len(topic) > TOPIC_MAX:
        errors["topic"] = [_("主题不能超过 %(m)d 个字。") % {"m": TOPIC_MAX}]
    audience = data.get("audience")
    if audience in ("",):
        audience = None
    if audience is not None and (not isinstance(audience, int) or not 0 <= audience <= 100000):
        errors["audience"] = [_("参加人数应为 0 到 100000 之间的整数。")]
    note = (data.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("备注不能超过 %(m)d 个字。") % {"m": NOTE_MAX}]
    if errors:
        raise Invalid(fields=errors)
    return {"held_on": held_on, "kind": kind, "topic": topic, "audience": audience, "note": note}


def _refresh(actor: Any, principal: LegalVicePrincipal, reason: str) -> None:
    principal.last_activity_on = principal.activities.aggregate(last=Max("held_on"))["last"]
    stamp(principal, actor)
    principal._change_reason = reason[:100]
    principal.save(update_fields=["last_activity_on", "updated_at"])


@transaction.atomic
def add_activity(actor: Any, pk: Any, data: dict[str, Any]) -> LegalActivity:
    """Record one activity of a legal vice-principal the person may change."""
    principal = _principal_for_change(actor, pk)
    values = _clean(principal, data)
    activity = LegalActivity.objects.create(principal=principal, created_by=actor, **values)
    _refresh(actor, principal, _("登记活动：%(a)s") % {"a": activity})
    return activity


@transaction.atomic
def remove_activity(actor: Any, pk: Any, activity_pk: Any) -> LegalVicePrincipal:
    """Take back an activity recorded in error."""
    principal = _principal_for_change(actor, pk)
    found = principal.activities.filter(pk=record_id(activity_pk)).first()
    if found is None:
        raise NotFound()
    text = str(found)
    found.delete()
    _refresh(actor, principal, _("删除活动：%(a)s") % {"a": text})
    return principal


def activities_of(principal: LegalVicePrincipal) -> list[LegalActivity]:
    return list(principal.activities.all())


def semester_counts(principal_ids: list[int], today: dt.date) -> dict[int, int]:
    """Activities of the semester `today` falls in, per legal vice-principal."""
    start, end = rules.semester(today)
    rows = (
        LegalActivity.objects.filter(principal_id__in=principal_ids, held_on__range=(start, end))
        .values("principal_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["principal_id"]: row["n"] for row in rows}
