"""The ranking's weights, set by an authority for the units below it (issue: the composite
score "whose weights the authority sets"). The nearest authority at or above the dashboard's
unit that set any weights decides them all; otherwise each figure keeps its built-in weight."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.audit.models import AuditAction
from xiaoan.audit.services import record
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.services import get_scoped
from xiaoan.indicators.models import RankingWeight
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit, ancestor_paths

SET = "indicators.change_indicator"
MAX_WEIGHT = Decimal(100)


def effective(unit: Unit) -> tuple[Unit | None, dict[str, float]]:
    """The unit whose weights apply at `unit` (None: the built-in ones) and those weights."""
    rows = list(
        RankingWeight.objects.filter(unit__path__in=ancestor_paths(unit.path))
        .select_related("unit")
        .order_by("-unit__depth")
    )
    if not rows:
        return None, {}
    owner = rows[0].unit
    return owner, {r.key: float(r.weight) for r in rows if r.unit_id == owner.pk}


def may_set(user: Any, unit: Unit) -> bool:
    return (
        unit.kind == UnitKind.AUTHORITY
        and Unit.objects.with_permission(user, SET).filter(pk=unit.pk).exists()
    )


@transaction.atomic
def set_weights(user: Any, unit_pk: Any, weights: dict[str, Any], allowed: set[str]) -> int:
    """Replace the authority's weights; `allowed` are the ranking's figure keys."""
    unit = get_scoped(user, Unit, unit_pk)
    if not may_set(user, unit):
        raise Forbidden(_("只有教育行政部门的管理人员可以设定排名权重。"))
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Decimal] = {}
    for key, raw in weights.items():
        if key not in allowed:
            errors[key] = [_("未知的排名指标。")]
            continue
        try:
            number = Decimal(str(raw).strip() or "0")
        except InvalidOperation:
            errors[key] = [_("请填写数字。")]
            continue
        if not number.is_finite() or not Decimal(0) <= number <= MAX_WEIGHT:
            errors[key] = [_("权重须在 0 到 100 之间。")]
            continue
        parsed[key] = number.quantize(Decimal("0.01"))
    if errors:
        raise Invalid(fields=errors)
    RankingWeight.objects.filter(unit=unit).delete()
    RankingWeight.objects.bulk_create(
        [RankingWeight(unit=unit, key=k, weight=w, set_by=user) for k, w in parsed.items()]
    )
    # Recorded, which also has the rankings below the unit built again (core.freshness).
    record(
        AuditAction.CHANGE,
        actor=user,
        unit=unit,
        detail={"ranking_weights": {k: str(w) for k, w in parsed.items()}},
        object_repr=_("排名权重"),
    )
    return len(parsed)


@transaction.atomic
def reset_weights(user: Any, unit_pk: Any) -> None:
    unit = get_scoped(user, Unit, unit_pk)
    if not may_set(user, unit):
        raise Forbidden(_("只有教育行政部门的管理人员可以设定排名权重。"))
    RankingWeight.objects.filter(unit=unit).delete()
    record(
        AuditAction.CHANGE,
        actor=user,
        unit=unit,
        detail={"ranking_weights": "default"},
        object_repr=_("排名权重"),
    )
