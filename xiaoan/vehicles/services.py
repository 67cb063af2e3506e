"""校园车辆管理's own steps beyond the register layer's: a violation recorded at the gate
(which may blacklist the vehicle: the rule is in xiaoan.vehicles.models), lifting a
blacklisting with a reason, and a school's own blacklist rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core import registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.reports import rollups
from xiaoan.vehicles.choices import ViolationKind
from xiaoan.vehicles.models import (
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    Blacklisting,
    BlacklistRule,
    CampusVehicle,
    Violation,
    normalize_plate,
)
from xiaoan.vehicles.tallies import KIND as VIOLATIONS_KIND

RECORD_PERM = "vehicles.add_violation"
VIEW_VIOLATIONS_PERM = "vehicles.view_violation"
LIFT_PERM = "vehicles.lift_campusvehicle"
CHANGE_PERM = "vehicles.change_campusvehicle"


def recordable(actor: Any):
    """Vehicles in use whose violations the person may record."""
    return CampusVehicle.objects.with_permission(actor, RECORD_PERM).active()


def find_by_plate(actor: Any, text: str, limit: int = 20) -> list[CampusVehicle]:
    """The gate's search: the exact plate first, then plates containing what was typed."""
    plate = normalize_plate(text)[:20]
    if len(plate) < 2:
        return []
    rows = list(
        recordable(actor)
        .filter(name__contains=plate)
        .select_related("unit")
        .order_by("name")[:limit]
    )
    rows.sort(key=lambda v: v.name != plate)
    return rows


def rule_for(unit: Any) -> tuple[int, int]:
    """(threshold, window in days) of the vehicle's school, else the default."""
    school = registers.home_unit(unit)
    row = BlacklistRule.objects.filter(unit_id__in={unit.pk, school.pk}).order_by("-unit__depth")
    found = row.first()
    if found is None:
        return DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS
    return found.threshold, found.window_days


def counted_violations(vehicle: CampusVehicle, today: dt.date, window_days: int):
    """The violations the rule counts: within the window and recorded after the last lift."""
    rows = Violation.objects.filter(
        vehicle=vehicle, occurred_on__gt=today - dt.timedelta(days=window_days)
    )
    last_lift = (
        Blacklisting.objects.filter(vehicle=vehicle, lifted_at__isnull=False)
        .order_by("-lifted_at")
        .values_list("lifted_at", flat=True)
        .first()
    )
    if last_lift is not None:
        rows = rows.filter(created_at__gt=last_lift)
    return rows


def _locked(actor: Any, pk: Any, perm: str) -> CampusVehicle:
    """The vehicle for a step needing `perm`: 404 unseen, 403 seen but not allowed, 409
    retired."""
    from xiaoan.core.services import get_scoped

    item = get_scoped(actor, CampusVehicle, pk, "view")
    if not CampusVehicle.objects.with_permission(actor, perm).filter(pk=item.pk).exists():
        raise Forbidden()
    item = (
        CampusVehicle.objects.select_for_update(of=("self",)).select_related("unit").get(pk=item.pk)
    )
    if item.is_retired:
        raise Conflict(_("该车辆已注销，不能再登记。"))
    return item


def _notify_blacklisted(actor: Any, vehicle: CampusVehicle, count: int, window: int) -> None:
    from xiaoan.core.register_due import responsible_people
    from xiaoan.notifications.services import notify

    people = responsible_people(CHANGE_PERM, [vehicle.unit_id]).get(vehicle.unit_id, [])
    notify(
        people,
        "other",
        _("车辆 %(plate)s 已列入黑名单") % {"plate": vehicle.name},
        _("%(name)s 的车辆 %(plate)s 在 %(d)d 天内违规 %(n)d 次，已自动列入黑名单，停止通行。")
        % {"name": vehicle.owner, "plate": vehicle.name, "d": window, "n": count},
        reverse("campus_vehicles:campusvehicle_detail", args=[vehicle.pk]),
        actor=actor,
    )


@transaction.atomic
def record_violation(
    actor: Any,
    pk: Any,
    *,
    kind: str,
    occurred_on: dt.date | None = None,
    note: str = "",
) -> Violation:
    """A violation of a vehicle in use; at the rule's count the vehicle is blacklisted
    (access revoked) and the school's people who keep the register are told."""
    if not has_permission_anywhere(actor, RECORD_PERM):
        raise Forbidden()
    vehicle = _locked(actor, pk, RECORD_PERM)
    today = timezone.localdate()
    occurred_on = occurred_on or today
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in ViolationKind.values:
        errors["kind"] = [_("请选择违规类型。")]
    elif kind == ViolationKind.OTHER and not note:
        errors["note"] = [_("违规类型为“其他”时请填写说明。")]
    if occurred_on > today:
        errors["occurred_on"] = [_("违规日期不能晚于今天。")]
    if len(note) > 200:
        errors["note"] = [_("说明不能超过200字。")]
    if errors:
        raise Invalid(fields=errors)
    violation = Violation.objects.create(
        vehicle=vehicle,
        unit_id=vehicle.unit_id,
        occurred_on=occurred_on,
        kind=kind,
        note=note,
        recorded_by=actor,
    )
    rollups.touch(VIOLATIONS_KIND, [violation.unit_id])
    if not vehicle.blacklisted:
        threshold, window = rule_for(vehicle.unit)
        count = counted_violations(vehicle, today, window).count()
        if count >= threshold:
            Blacklisting.objects.create(
                vehicle=vehicle,
                unit_id=vehicle.unit_id,
                violations=count,
                threshold=threshold,
                window_days=window,
            )
            vehicle.blacklisted = True
            vehicle.blacklisted_on = today
            stamp(vehicle, actor)
            vehicle._change_reason = _("违规 %(n)d 次，自动列入黑名单") % {"n": count}
            vehicle.save()
            _notify_blacklisted(actor, vehicle, count, window)
    violation.blacklisted = vehicle.blacklisted
    return violation


@transaction.atomic
def lift_blacklist(actor: Any, pk: Any, *, reason: str) -> CampusVehicle:
    """Take the vehicle off the blacklist with a reason; the stay is kept in its history."""
    if not has_permission_anywhere(actor, LIFT_PERM):
        raise Forbidden()
    vehicle = _locked(actor, pk, LIFT_PERM)
    if not vehicle.blacklisted:
        raise Conflict(_("该车辆不在黑名单中。"))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise Invalid(_("请填写解除原因。"), fields={"reason": [_("必填。")]})
    now = timezone.now()
    Blacklisting.objects.filter(vehicle=vehicle, lifted_at__isnull=True).update(
        lifted_at=now, lifted_by=actor, lift_reason=reason[:200]
    )
    vehicle.blacklisted = False
    vehicle.blacklisted_on = None
    stamp(vehicle, actor)
    vehicle._change_reason = (_("解除黑名单：%(r)s") % {"r": reason})[:100]
    vehicle.save()
    return vehicle


def rule_units(actor: Any):
    """Schools (and units) whose blacklist rule the person may set."""
    from xiaoan.orgs.models import Unit

    return Unit.objects.with_permission(actor, LIFT_PERM).filter(is_active=True)


@transaction.atomic
def set_rule(actor: Any, unit_pk: Any, *, threshold: Any, window_days: Any) -> BlacklistRule:
    """A school's blacklist rule (who may lift a blacklisting may set it)."""
    if not has_permission_anywhere(actor, LIFT_PERM):
        raise Forbidden()
    unit = rule_units(actor).filter(pk=unit_pk).first() if str(unit_pk).isdigit() else None
    if unit is None:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    try:
        threshold = int(threshold)
        if not 1 <= threshold <= 50:
            raise ValueError
    except (TypeError, ValueError):
        errors["threshold"] = [_("违规次数应为1–50之间的整数。")]
    try:
        window_days = int(window_days)
        if not 1 <= window_days <= 730:
            raise ValueError
    except (TypeError, ValueError):
        errors["window_days"] = [_("统计期间应为1–730天。")]
    if errors:
        raise Invalid(fields=errors)
    row, _created = BlacklistRule.objects.update_or_create(
        unit=unit,
        defaults={"threshold": threshold, "window_days": window_days, "updated_by": actor},
    )
    return row
