"""A failed pre-trip check becomes a hazard in the unit's ledger, linked to the bus, through
the hazard service (confirmed as 一般隐患, domain 校车/交通) — once: while the bus's hazard
is open, a new failed check links to it rather than raising another (xiaoan.core.item_checks)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xiaoan.core import item_checks
from xiaoan.core.choices import SafetyDomain


def raise_hazard(actor: Any, bus: Any, *, description: str, note: str = ""):
    """The bus's open hazard, or a new one recorded through the hazard service."""
    return item_checks.raise_once(
        actor,
        bus,
        description=description,
        domain=SafetyDomain.SCHOOL_BUS,
        category=_("校车"),
        note=note,
    )
