"""What the registers' checks of an item share (a bus's pre-trip check, a fire asset's monthly
check, a water's patrol): a finding becomes a hazard in the unit's ledger linked to the item,
through the hazard service, once while it is open (the item keeps it in `open_hazard`); the
item keeps its last check, and its register's tally is recounted since that update bypasses
the item's save."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xiaoan.core.registers import Register


def open_hazard_of(item: Any):
    """The item's hazard while it is still in its loop, else None."""
    from xiaoan.hazards.models import Hazard

    if not item.open_hazard_id:
        return None
    return Hazard.objects.open().filter(pk=item.open_hazard_id).first()


def raise_once(
    actor: Any,
    item: Any,
    *,
    description: str,
    domain: str,
    category: str,
    note: str = "",
) -> Any:
    """The item's open hazard, or a new one (一般隐患, confirmed) recorded through the hazard
    service and kept on the item."""
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.choices import HazardLevel

    current = open_hazard_of(item)
    if current is not None:
        return current
    hazard = hazard_services.record_register_finding(
        actor,
        item.unit,
        description=description,
        subject=item,
        domain=domain,
        category=category,
        place=item.place,
        note=note,
        level=HazardLevel.GENERAL,
    )
    type(item)._default_manager.filter(pk=item.pk).update(open_hazard=hazard)
    item.open_hazard = hazard
    return hazard


def mark_checked(register: Register, items: Iterable[Any], **values: Any) -> None:
    """Store the last check on `items` (an update, not a save: no history row for what a
    check record already tells) and recount their units in the register's tally."""
    from xiaoan.reports import rollups

    items = list(items)
    if not items:
        return
    register.model._default_manager.filter(pk__in=[i.pk for i in items]).update(**values)
    rollups.touch(register.tally_kind, {i.unit_id for i in items})
