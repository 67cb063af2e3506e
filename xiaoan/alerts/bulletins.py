"""A bureau's posted warning (暴雨, 台风, 高温, 寒潮…): one alert per active school below it,
each of which acknowledges and records its measures; `progress_of` shows who has."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.alerts.choices import AlertOrigin, AlertStatus, Severity, WarningKind
from xiaoan.alerts.models import Bulletin
from xiaoan.alerts.services import ADD_BULLETIN, check_choice, raise_alert, refuse
from xiaoan.core.errors import Forbidden, NotFound
from xiaoan.core.idempotency import clean_key, replay_of, save_once
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit


def posting_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD_BULLETIN).filter(
        is_active=True, kind=UnitKind.AUTHORITY
    )


def _mine(actor: Any):
    return Bulletin.objects.filter(created_by_id=actor.pk)


@transaction.atomic
def post_warning(
    actor: Any,
    *,
    unit: Any,
    kind: str,
    title: str,
    detail: str = "",
    severity: str = Severity.WARNING,
    valid_until: dt.datetime | None = None,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> Bulletin:
    """A bureau's warning to every active school below it: one alert each (manual origin),
    each school told. A retry with the same key returns the first posting."""
    if not has_permission_anywhere(actor, ADD_BULLETIN):
        raise Forbidden()
    key = clean_key(idempotency_key)
    existing = replay_of(_mine(actor), key, fingerprint)
    if existing is not None:
        return existing
    unit_id = getattr(unit, "pk", unit)
    found = None
    if str(unit_id or "").isdigit() and int(unit_id) < 2**63:
        found = posting_units(actor).filter(pk=int(unit_id)).first()
    if found is None:
        raise refuse(_("发布单位须为您管理的教育行政部门。"), "unit")
    check_choice(kind, WarningKind, "kind")
    check_choice(severity, Severity, "severity")
    title = " ".join(str(title or "").split())[:200]
    if not title:
        raise refuse(_("请填写预警标题。"), "title")
    if valid_until is not None and valid_until <= timezone.now():
        raise refuse(_("有效期须晚于现在。"), "valid_until")
    schools = list(
        Unit.objects.filter(
            path__startswith=found.path, kind=UnitKind.SCHOOL, is_active=True
        ).order_by("path")
    )
    if not schools:
        raise refuse(_("该单位下没有学校。"), "unit")
    bulletin = Bulletin(
        unit=found,
        kind=kind,
        severity=severity,
        title=title,
        detail=str(detail or "").strip()[:10_000],
        valid_until=valid_until,
        created_by=actor,
        schools=len(schools),
        idempotency_key=key,
        idempotency_fingerprint=fingerprint if key else "",
    )
    winner = save_once(bulletin.save, _mine(actor), key, fingerprint)
    if winner is not None:
        return winner
    for school in schools:
        raise_alert(
            unit=school,
            kind=kind,
            severity=severity,
            title=title,
            detail=bulletin.detail,
            fingerprint=f"bulletin:{bulletin.pk}",
            labels={"bulletin": str(bulletin.pk)},
            origin=AlertOrigin.MANUAL,
            source_name=found.name,
            bulletin=bulletin,
            by=actor,
        )
    return bulletin


def load_bulletin(actor: Any, pk: Any) -> Bulletin:
    found = (
        Bulletin.objects.restrict(actor, "view")
        .filter(pk=record_id(pk))
        .select_related("unit", "created_by")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def progress_of(bulletin: Bulletin) -> dict[str, Any]:
    """Each school's alert of the posting and the counts by status (two queries)."""
    rows = list(
        bulletin.alerts.select_related("unit", "acknowledged_by", "handled_by").order_by(
            "unit__path"
        )
    )
    counts = {s: 0 for s in AlertStatus.values}
    for alert in rows:
        counts[alert.status] += 1
    acknowledged = sum(1 for a in rows if a.acknowledged_at is not None)
    handled = counts[AlertStatus.HANDLED] + counts[AlertStatus.CLOSED]
    return {"alerts": rows, "counts": counts, "acknowledged": acknowledged, "handled": handled}
