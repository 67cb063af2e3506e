"""An expired fire asset or a failed monthly check becomes a hazard in the unit's ledger,
linked to the asset, through the hazard service (confirmed as 一般隐患, domain 消防) — once:
while the asset's hazard is open, a new failed check or expiry links to it rather than
raising another. An expiry raises once per expiry date (`expiry_raised_for`), when the asset
is saved already expired or when the daily pass finds it has passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core import item_checks
from xiaoan.core.choices import SafetyDomain


def raise_hazard(actor: Any, asset: Any, *, description: str, note: str = ""):
    """The asset's open hazard, or a new one recorded through the hazard service."""
    return item_checks.raise_once(
        actor,
        asset,
        description=description,
        domain=SafetyDomain.FIRE,
        category=_("消防器材"),
        note=note,
    )


def where(asset: Any) -> str:
    parts = [asset.place.full_name if asset.place_id else "", asset.position]
    return " ".join(p for p in parts if p) or str(asset.unit)


def raise_expired(actor: Any, asset: Any, today: dt.date | None = None) -> Any:
    """The expiry rule for one asset (after a save and in the daily pass)."""
    today = today or timezone.localdate()
    if asset.is_retired or not asset.expires_on or asset.expires_on >= today:
        return None
    if asset.expiry_raised_for == asset.expires_on:
        return None
    hazard = raise_hazard(
        actor,
        asset,
        description=_("%(name)s（%(where)s）已超过有效期（%(date)s），须更换或维修")
        % {"name": asset.name, "where": where(asset), "date": f"{asset.expires_on:%Y-%m-%d}"},
        note=_("消防器材台账登记的有效期已过。"),
    )
    type(asset)._default_manager.filter(pk=asset.pk).update(expiry_raised_for=asset.expires_on)
    asset.expiry_raised_for = asset.expires_on
    return hazard


def after_save(actor: Any, asset: Any, before: Any) -> None:
    raise_expired(actor, asset)


def expired_pass(today: dt.date | None = None) -> int:
    """The daily pass: assets in use that have expired since, each raised once. The hazard's
    finder is the last person who kept the asset's record (no system account exists)."""
    from django.db.models import F, Q

    from xiaoan.fireassets.models import FireAsset

    today = today or timezone.localdate()
    raised = 0
    rows = (
        FireAsset.objects.active()
        .filter(expires_on__lt=today)
        .filter(Q(expiry_raised_for__isnull=True) | ~Q(expiry_raised_for=F("expires_on")))
        .select_related("unit", "place")
    )
    for asset in rows:
        last = asset.history.filter(history_user__is_active=True).first()
        if last is None or last.history_user is None:
            continue
        raise_expired(last.history_user, asset, today)
        raised += 1
    return raised
