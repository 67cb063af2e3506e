"""The semester drill duty is met by a drill of the unit (or a unit below it) held in the
obligation's period and evaluated — not by an uploaded file (xiaoan.duties.proofs). A duty
names a kind of drill (`proof_code`) or none (any kind proves it). Hazards found by a drill
show the drill they came from (xiaoan.hazards.origins)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.drills.choices import DrillKind, DrillStatus
from xiaoan.drills.models import Drill, DrillCheck


def proving_drills() -> Any:
    """Inside a query over obligations: the evaluated drills that prove OuterRef's."""
    return Drill.objects.filter(
        unit__path__startswith=OuterRef("unit__path"),
        status=DrillStatus.EVALUATED,
        held_on__gte=OuterRef("period_start"),
        held_on__lte=OuterRef("period_end"),
    ).filter(
        Q(Exact(OuterRef("duty__proof_code"), Value(""))) | Q(kind=OuterRef("duty__proof_code"))
    )


def count() -> Subquery:
    counted = proving_drills().order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def met_by(ob: Any, n: int) -> str:
    kind = ob.duty.proof_code
    label = DrillKind(kind).label if kind in DrillKind.values else _("演练")
    return _("%(k)s %(n)d 次（已评估）") % {"k": label, "n": n}


def listing(actor: Any, ob: Any) -> list[tuple[str, str]]:
    drills = Drill.objects.restrict(actor).filter(
        unit__path__startswith=ob.unit.path,
        status=DrillStatus.EVALUATED,
        held_on__gte=ob.period_start,
        held_on__lte=ob.period_end,
    )
    if ob.duty.proof_code:
        drills = drills.filter(kind=ob.duty.proof_code)
    return [
        (f"{d.title} {d.held_on:%Y-%m-%d}", reverse("drills:drill_detail", args=[d.pk]))
        for d in drills.order_by("held_on", "pk")[:50]
    ]


def origin(user: Any, hazard: Any) -> tuple[str, str] | None:
    check = DrillCheck.objects.filter(hazard_id=hazard.pk).values_list("drill_id", flat=True)
    drill = Drill.objects.restrict(user).filter(pk__in=check).first()
    if drill is None:
        return None
    return (
        _("演练：%(t)s") % {"t": drill.title},
        reverse("drills:drill_detail", args=[drill.pk]),
    )


def register() -> None:
    from xiaoan.duties import proofs
    from xiaoan.duties.choices import ProofKind
    from xiaoan.hazards import origins
    from xiaoan.hazards.choices import HazardSource

    proofs.register(
        proofs.ProofSource(
            kind=ProofKind.DRILL,
            count=count,
            codes=lambda: DrillKind.choices,
            any_code=True,
            met_by=met_by,
            listing=listing,
        )
    )
    origins.register(HazardSource.DRILL, origin)
