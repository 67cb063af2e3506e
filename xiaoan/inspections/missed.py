"""自查未发现: an item an outside inspection (督查, 暗访, 联合抽查, 交叉检查, 专家, 第三方) found
failing that the unit's own self-check of the same period passed. Whichever of the two is
submitted second flags the outside inspection's results and their hazards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count

from xiaoan.hazards import rollup
from xiaoan.hazards.models import Hazard
from xiaoan.inspections.choices import DONE_STATUSES, OUTSIDE_KINDS, InspectionKind, ResultValue
from xiaoan.inspections.models import Inspection, ItemResult
from xiaoan.orgs.models import Unit


def missed_by_self_check(inspection: Inspection, failed: Sequence[ItemResult]) -> list[ItemResult]:
    """Failed items of an outside inspection that the unit's own self-check of the same
    period, already submitted, passed."""
    if inspection.kind not in OUTSIDE_KINDS or not failed:
        return []
    codes = {r.item.code for r in failed}
    passed = set(
        ItemResult.objects.filter(
            inspection__unit_id=inspection.unit_id,
            inspection__kind=InspectionKind.SELF_CHECK,
            inspection__period=inspection.period,
            inspection__status__in=DONE_STATUSES,
            result=ResultValue.PASS,
            item__code__in=codes,
        ).values_list("item__code", flat=True)
    )
    return [r for r in failed if r.item.code in passed]


def missed_before_self_check(inspection: Inspection, passed_codes: Iterable[str]):
    """For a self-check submitted after outside inspections of its period: their failed
    results of the items it passed, not yet flagged."""
    codes = set(passed_codes)
    if inspection.kind != InspectionKind.SELF_CHECK or not codes:
        return ItemResult.objects.none()
    return ItemResult.objects.filter(
        inspection__unit_id=inspection.unit_id,
        inspection__kind__in=OUTSIDE_KINDS,
        inspection__period=inspection.period,
        inspection__status__in=DONE_STATUSES,
        result=ResultValue.FAIL,
        item__code__in=codes,
        missed_by_self_check=False,
    )


def flag_missed(result_pks: Iterable[int]) -> list[Hazard]:
    """Mark these item results and their hazards 自查未发现, in two updates. Answers the
    hazards newly flagged (for automatic supervision)."""
    pks = list(result_pks)
    if not pks:
        return []
    ItemResult.objects.filter(pk__in=pks).update(missed_by_self_check=True)
    hazards = list(
        Hazard.objects.filter(
            inspection_result__pk__in=pks, missed_by_self_check=False
        ).select_related("unit")
    )
    Hazard.objects.filter(pk__in=[h.pk for h in hazards]).update(missed_by_self_check=True)
    for hazard in hazards:
        hazard.missed_by_self_check = True
    rollup.touch(h.unit_id for h in hazards)
    return hazards


def note_missed(inspection: Inspection, rows: Sequence[ItemResult]) -> list[Hazard]:
    """On submission: flag what this inspection's results show the self-check missed, in
    either order (an outside inspection after the self-check, or a self-check after the
    outside inspections of its period)."""
    if inspection.kind == InspectionKind.SELF_CHECK:
        passed = {r.item.code for r in rows if r.result == ResultValue.PASS}
        pks = missed_before_self_check(inspection, passed).values_list("pk", flat=True)
    else:
        failed = [r for r in rows if r.result == ResultValue.FAIL]
        pks = [r.pk for r in missed_by_self_check(inspection, failed)]
    return flag_missed(pks)


def missed_counts(actor: Any, *, period: str | None = None, unit: Unit | None = None) -> list:
    """自查未发现 per unit: failed items of outside inspections that the unit's own
    self-check of the same month had passed, over the inspections the person sees."""
    inspections = Inspection.objects.restrict(actor, "view")
    if period:
        inspections = inspections.filter(period=period)
    if unit is not None:
        inspections = inspections.filter(
            unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk")
        )
    rows = (
        ItemResult.objects.filter(
            missed_by_self_check=True, inspection__in=inspections.values("pk")
        )
        .values("inspection__unit_id", "inspection__unit__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "inspection__unit__name")
    )
    return [
        {
            "unit": r["inspection__unit_id"],
            "unit_name": r["inspection__unit__name"],
            "count": r["count"],
        }
        for r in rows
    ]
