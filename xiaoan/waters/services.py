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

from xiaoan.core import item_checks
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
        patrol.hazard = item_checks.raise_once(
            actor,
            water,
            description=_("重点水域“%(name)s”（%(where)s）巡查发现问题：%(f)s")
            % {"name": water.name, "where": water.location, "f": findings},
            domain=SafetyDomain.DROWNING,
            category=_("重点水域"),
            note=_("防溺水巡查发现问题。"),
        )
    patrol.save()
    rollups.touch(PROBLEMS_KIND, [patrol.unit_id])
    if water.last_patrolled_on is None or patrolled_on > water.last_patrolled_on:
        from xiaoan.waters.registers import WATERS

        # Its own tally (14 天未巡查) is recounted.
        item_checks.mark_checked(WATERS, [water], last_patrolled_on=patrolled_on)
    return patrol
