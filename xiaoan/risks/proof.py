"""A unit duty such as 每月风险管控检查 is met by control checks of the unit's risk points (or
of units below it) recorded in the obligation's period (xiaoan.duties.proofs). A duty names a
domain (`proof_code`: only checks of that domain's points count) or none (any check)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.risks.models import ControlCheck, RiskPoint


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end, dt.time.max, tzinfo=zone),
    )


def proving_checks() -> Any:
    """Inside a query over obligations: the control checks that prove OuterRef's."""
    return ControlCheck.objects.filter(
        risk_point__unit__path__startswith=OuterRef("unit__path"),
        checked_at__date__gte=OuterRef("period_start"),
        checked_at__date__lte=OuterRef("period_end"),
    ).filter(
        Q(Exact(OuterRef("duty__proof_code"), Value("")))
        | Q(risk_point__domain=OuterRef("duty__proof_code"))
    )


def count() -> Subquery:
    counted = proving_checks().order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def met_by(ob: Any, n: int) -> str:
    return _("风险管控检查 %(n)d 次") % {"n": n}


def listing(actor: Any, ob: Any) -> list[tuple[str, str]]:
    visible = RiskPoint.objects.restrict(actor, "view").values("pk")
    start, end = _day_bounds(ob.period_start, ob.period_end)
    checks = ControlCheck.objects.filter(
        risk_point__in=visible,
        risk_point__unit__path__startswith=ob.unit.path,
        checked_at__range=(start, end),
    ).select_related("risk_point")
    if ob.duty.proof_code:
        checks = checks.filter(risk_point__domain=ob.duty.proof_code)
    return [
        (
            f"{c.risk_point.name} {timezone.localtime(c.checked_at):%Y-%m-%d} "
            f"{c.get_result_display()}",
            reverse("risks:riskpoint_detail", args=[c.risk_point_id]),
        )
        for c in checks.order_by("checked_at", "pk")[:50]
    ]


def register() -> None:
    from xiaoan.duties import proofs
    from xiaoan.duties.choices import ProofKind

    proofs.register(
        proofs.ProofSource(
            kind=ProofKind.RISK_CHECK,
            count=count,
            codes=lambda: SafetyDomain.choices,
            any_code=True,
            met_by=met_by,
            listing=listing,
        )
    )
