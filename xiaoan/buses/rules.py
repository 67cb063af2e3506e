"""A failed pre-trip check becomes a hazard in the unit's ledger, linked to the bus, through
the hazard service (confirmed as 一般隐患, domain 校车/交通) — once: while the bus's hazard
is open, a new failed check links to it rather than raising another."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xiaoan.core.choices import SafetyDomain


def open_hazard_of(bus: Any):
    from xiaoan.hazards.models import Hazard

    if not bus.open_hazard_id:
        return None
    return Hazard.objects.open().filter(pk=bus.open_hazard_id).first()


def raise_hazard(actor: Any, bus: Any, *, description: str, note: str = ""):
    """The bus's open hazard, or a new one recorded through the hazard service."""
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.choices import HazardLevel

    current = open_hazard_of(bus)
    if current is not None:
        return current
    hazard = hazard_services.record_register_finding(
        actor,
        bus.unit,
        description=description,
        subject=bus,
        domain=SafetyDomain.SCHOOL_BUS,
        category=_("校车"),
        place=bus.place,
        note=note,
        level=HazardLevel.GENERAL,
    )
    type(bus)._default_manager.filter(pk=bus.pk).update(open_hazard=hazard)
    bus.open_hazard = hazard
    return hazard
