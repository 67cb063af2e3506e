"""Re-assessment (需重新评估): a risk point is flagged when a hazard linked to it through its
control checks is 重大 or recurring, at once when a check raises a major one
(`services.record_check`) and by the daily pass for hazards that became so later. A new
assessment clears the flag (`services.assess`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from xiaoan.core import freshness
from xiaoan.risks.choices import RiskAction, RiskStatus
from xiaoan.risks.models import ControlCheck, RiskPoint


def _workflow():
    from xiaoan.risks.workflow import RISK_POINT

    return RISK_POINT


def is_major(hazard: Any) -> bool:
    from xiaoan.hazards.choices import HazardLevel

    return HazardLevel.MAJOR in (hazard.level, hazard.suggested_level)


def flag(point: RiskPoint, reason: str) -> None:
    """需重新评估 (kept on the point until a new assessment)."""
    point.reassessment_due = True
    point.reassessment_reason = reason[:300]
    point.save(update_fields=["reassessment_due", "reassessment_reason"])
    freshness.changed([point.unit_id, point.owner.unit_id if point.owner_id else None])


def linked_hazards(point: RiskPoint):
    from xiaoan.hazards.models import Hazard

    return Hazard.objects.filter(
        pk__in=ControlCheck.objects.filter(risk_point=point, hazard__isnull=False).values(
            "hazard_id"
        )
    )


@transaction.atomic
def flag_reassessments() -> int:
    """The daily pass: active points not yet flagged whose linked hazards are 重大 or
    recurring and were found after the point's last assessment."""
    from xiaoan.hazards.choices import HazardLevel

    found = (
        ControlCheck.objects.filter(
            Q(hazard__level=HazardLevel.MAJOR) | Q(hazard__is_recurring=True),
            risk_point__status=RiskStatus.ACTIVE,
            risk_point__reassessment_due=False,
        )
        .filter(
            Q(risk_point__assessed_at__isnull=True)
            | Q(hazard__found_at__gt=F("risk_point__assessed_at"))
        )
        .select_related("hazard")
        .order_by("risk_point_id", "pk")
    )
    flagged: dict[int, Any] = {}
    for check in found[:5000]:
        flagged.setdefault(check.risk_point_id, check.hazard)
    for point in RiskPoint.objects.select_for_update().filter(pk__in=list(flagged)):
        hazard = flagged[point.pk]
        reason = (
            _("关联隐患 %(n)s 为重大隐患")
            if hazard.level == HazardLevel.MAJOR
            else _("关联隐患 %(n)s 屡查屡犯")
        ) % {"n": hazard.number}
        flag(point, reason)
        _workflow().record_event(
            point, RiskAction.FLAG, None, reason, point.status, point.status, {"hazard": hazard.pk}
        )
    return len(flagged)


def daily() -> dict[str, int]:
    return {"flagged": flag_reassessments()}
