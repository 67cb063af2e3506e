"""Patrols of a water (巡查记录): recorded by the people who patrol the unit's waters
(waters.add_waterpatrol), from a page or the API. The water's last patrol moves on; a patrol
that finds a problem may raise a hazard in the unit's ledger linked to the water, through the
hazard service (一般隐患, domain 防溺水) — once while it is open: a later one links to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.errors import Conflict, Forbidden, Invalid
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import get_scoped
from xiaoan.reports import rollups
from xiaoan.waters.models import Water, WaterPatrol
from xiaoan.waters.tallies import KIND as PROBLEMS_KIND

PATROL_PERM = "waters.add_waterpatrol"


def patrollable(actor: Any):
    """Waters in use the person may log patrols of."""
    return Water.objects.with_permission(actor, PATROL_PERM).filter(retired_at__isnull=True)


def _hazard(actor: Any, water: Water, findings: str):
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.choices import HazardLevel
    from xiaoan.hazards.models import Hazard

    if water.open_hazard_id:
        current = Hazard.objects.open().filter(pk=water.open_hazard_id).first()
        if current is not None:
            return current
    hazard = hazard_services.record_register_finding(
        actor,
        water.unit,
        description=_("重点水域“%(name)s”（%(where)s）巡查发现问题：%(f)s")
        % {"name": water.name, "where": water.location, "f": findings},
        subject=water,
        domain=SafetyDomain.DROWNING,
        category=_("重点水域"),
        place=water.place,
        note=_("防溺水巡查发现问题。"),
        level=HazardLevel.GENERAL,
    )
    Water.objects.filter(pk=water.pk).update(open_hazard=hazard)
    return hazard


@transaction.atomic
def record_patrol(
    actor: Any,
    pk: Any,
    *,
    patrolled_on: dt.date | None,
    patroller: str,
    findings: str = "",
    signs_ok: bool = True,
    problem: bool = False,
    raise_hazard: bool = False,
) -> WaterPatrol:
    if not has_permission_anywhere(actor, PATROL_PERM):
        raise Forbidden()
    water = get_scoped(actor, Water, pk)  # 404 out of scope
    if water.is_retired:
        raise Conflict(_("该水域已注销，不能再登记巡查。"))
    if not patrollable(actor).filter(pk=water.pk).exists():
        raise Forbidden()
    water = (
        Water.objects.select_for_update(of=("self",))
        .select_related("unit", "place")
        .get(pk=water.pk)
    )
    findings = (findings or "").strip()
    patroller = (patroller or "").strip()
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if patrolled_on is None:
        errors["patrolled_on"] = [_("请填写巡查日期。")]
    elif patrolled_on > today:
        errors["patrolled_on"] = [_("巡查日期不能晚于今天。")]
    elif patrolled_on < today - dt.timedelta(days=366):
        errors["patrolled_on"] = [_("巡查日期不能早于一年前。")]
    if not patroller:
        errors["patroller"] = [_("请填写巡查人。")]
    problem = bool(problem) or not signs_ok
    if problem and len(findings) < 2:
        errors["findings"] = [_("发现问题时须写明巡查情况。")]
    if raise_hazard and not problem:
        errors["raise_hazard"] = [_("未发现问题，不能登记隐患。")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    patrol = WaterPatrol(
        water=water,
        unit_id=water.unit_id,
        patrolled_on=patrolled_on,
        patroller=patroller[:100],
        findings=findings[:500],
        signs_ok=bool(signs_ok),
        problem=problem,
        recorded_by=actor,
    )
    if raise_hazard:
        patrol.hazard = _hazard(actor, water, findings)
    patrol.save()
    rollups.touch(PROBLEMS_KIND, [patrol.unit_id])
    if water.last_patrolled_on is None or patrolled_on > water.last_patrolled_on:
        Water.objects.filter(pk=water.pk).update(last_patrolled_on=patrolled_on)
        # The update bypasses the item's save: its own tally (14 天未巡查) is recounted.
        from xiaoan.waters.registers import WATERS

        rollups.touch(WATERS.tally_kind, [water.unit_id])
    return patrol
