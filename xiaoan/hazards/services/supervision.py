"""挂牌督办: automatic and by a superior authority, and its acceptance of the closure."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.services import people_with
from xiaoan.core.errors import Conflict, Forbidden
from xiaoan.core.workflow import require_note
from xiaoan.hazards.choices import (
    HazardAction,
    HazardStatus,
)
from xiaoan.hazards.models import (
    Hazard,
    Supervision,
)
from xiaoan.hazards.services.base import (
    Kind,
    _begin,
    _close,
    _record,
    _superior_authority,
    _url,
    awaiting_supervision,
)
from xiaoan.notifications.services import notify
from xiaoan.orgs.models import Unit, ancestor_paths


def _supervise_automatically(hazard: Hazard, reason: str) -> Supervision | None:
    superior = _superior_authority(hazard.unit)
    if superior is None:
        return None
    supervision, created = Supervision.objects.get_or_create(
        hazard=hazard,
        supervising_unit=superior,
        defaults={"reason": reason, "automatic": True},
    )
    if created:
        hazard.is_supervised = True
        _record(
            hazard,
            None,
            HazardAction.SUPERVISE,
            None,
            reason,
            data={"unit": superior.name, "automatic": True},
        )
        notify(
            [hazard.owner, *people_with("hazards.rectify_hazard", hazard.unit)],
            Kind.SUPERVISED,
            _("隐患被挂牌督办：%(n)s") % {"n": hazard.number},
            reason,
            _url(hazard),
        )
    return supervision


def supervising_units(actor: Any, hazard: Hazard):
    """Units strictly above the hazard's unit where the actor may supervise."""
    paths = ancestor_paths(hazard.unit.path, include_self=False)
    return (
        Unit.objects.with_permission(actor, "hazards.supervise_hazard")
        .filter(path__in=paths)
        .order_by("-depth")
    )


@transaction.atomic
def supervise(actor: Any, pk: Any, *, reason: str, version: int | None = None) -> Supervision:
    hazard = _begin(actor, pk, "supervise", version)
    reason = require_note(reason, _("督办原因"))
    unit = supervising_units(actor, hazard).first()
    if unit is None:
        raise Forbidden(_("只有上级单位可以挂牌督办。"))
    if Supervision.objects.filter(hazard=hazard, supervising_unit=unit).exists():
        raise Conflict(_("该隐患已由本单位挂牌督办。"))
    supervision = Supervision.objects.create(
        hazard=hazard, supervising_unit=unit, listed_by=actor, reason=reason
    )
    hazard.is_supervised = True
    _record(hazard, actor, HazardAction.SUPERVISE, None, reason, data={"unit": unit.name})
    notify(
        [hazard.owner, *people_with("hazards.rectify_hazard", hazard.unit)],
        Kind.SUPERVISED,
        _("隐患被挂牌督办：%(n)s") % {"n": hazard.number},
        reason,
        _url(hazard),
    )
    return supervision


@transaction.atomic
def accept_supervision(
    actor: Any, pk: Any, *, note: str, accepted: bool = True, version: int | None = None
) -> Hazard:
    """The supervising unit accepts the verified closure (the last acceptance closes it) or
    refuses it, which sends the hazard back to rectification."""
    hazard = _begin(actor, pk, "supervision_accept", version)
    if not awaiting_supervision(hazard):
        raise Conflict(_("隐患尚未验收通过，督办单位暂不能认可销号。"))
    note = require_note(note, _("认可意见") if accepted else _("不认可的理由"))
    mine = Unit.objects.with_permission(actor, "hazards.supervise_hazard")
    pending = hazard.supervisions.filter(accepted_at__isnull=True, supervising_unit__in=mine)
    if not pending.exists():
        raise Forbidden(_("只有督办单位可以认可销号。"))
    if not accepted:
        hazard.rework_count += 1
        hazard.closed_by = None
        _record(hazard, actor, HazardAction.SUPERVISION_REJECT, HazardStatus.RECTIFYING, note)
        notify(
            [hazard.owner or hazard.submitted_by],
            Kind.REJECTED,
            _("督办单位不认可销号，请重新整改：%(n)s") % {"n": hazard.number},
            note,
            _url(hazard),
        )
        return hazard
    pending.update(accepted_at=timezone.now(), accepted_by=actor)
    _record(hazard, actor, HazardAction.SUPERVISION_ACCEPT, None, note)
    if not hazard.supervisions.filter(accepted_at__isnull=True).exists():
        _close(hazard, actor, note)
    return hazard


def may_supervise(actor: Any, hazard: Hazard) -> bool:
    """A unit above the hazard's, where the actor may supervise, that has not listed it yet."""
    unit = supervising_units(actor, hazard).first()
    return unit is not None and not hazard.supervisions.filter(supervising_unit=unit).exists()


def may_accept_supervision(actor: Any, hazard: Hazard) -> bool:
    """Verified, and one of the actor's units still has to accept the closure."""
    return (
        awaiting_supervision(hazard)
        and hazard.supervisions.filter(
            accepted_at__isnull=True,
            supervising_unit__in=Unit.objects.with_permission(actor, "hazards.supervise_hazard"),
        ).exists()
    )
