"""Deadline extensions: the owner asks, the unit above decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.services import people_with
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.workflow import require_note
from xiaoan.hazards.choices import (
    ExtensionStatus,
    HazardAction,
)
from xiaoan.hazards.models import (
    ExtensionRequest,
    Hazard,
)
from xiaoan.hazards.services.base import (
    Kind,
    _begin,
    _flow,
    _record,
    _superior_unit,
    _today,
    _url,
)
from xiaoan.notifications.services import notify
from xiaoan.orgs.models import Unit


@transaction.atomic
def request_extension(
    actor: Any, pk: Any, *, new_deadline: dt.date, reason: str, version: int | None = None
) -> ExtensionRequest:
    hazard = _begin(actor, pk, "extension_request", version)
    reason = require_note(reason, _("延期理由"))
    if hazard.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise Conflict(_("已有一份延期申请在审批中。"))
    if hazard.deadline is None or new_deadline <= hazard.deadline:
        raise Invalid(fields={"new_deadline": [_("申请的期限须晚于现有期限。")]})
    if new_deadline < _today():
        raise Invalid(fields={"new_deadline": [_("申请的期限不能早于今天。")]})
    request = ExtensionRequest.objects.create(
        hazard=hazard,
        requested_by=actor,
        reason=reason,
        old_deadline=hazard.deadline,
        new_deadline=new_deadline,
    )
    _record(
        hazard,
        actor,
        HazardAction.EXTENSION_REQUEST,
        None,
        reason,
        data={"from": hazard.deadline.isoformat(), "to": new_deadline.isoformat()},
    )
    superior = _superior_unit(hazard)
    if superior is not None:
        notify(
            people_with("hazards.decide_extension_hazard", superior),
            Kind.EXTENSION,
            _("延期申请待审批：%(n)s") % {"n": hazard.number},
            reason,
            _url(hazard),
        )
    return request


def may_decide_extension(actor: Any, hazard: Hazard) -> bool:
    superior = _superior_unit(hazard)
    return (
        superior is not None
        and Unit.objects.with_permission(actor, "hazards.decide_extension_hazard")
        .filter(pk=superior.pk)
        .exists()
    )


@transaction.atomic
def decide_extension(actor: Any, request_pk: Any, *, approve: bool, note: str) -> ExtensionRequest:
    request = ExtensionRequest.objects.select_related("hazard__unit").filter(pk=request_pk).first()
    if request is None or not Hazard.objects.restrict(actor).filter(pk=request.hazard_id).exists():
        raise NotFound()
    hazard = Hazard.objects.select_for_update().get(pk=request.hazard_id)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if not may_decide_extension(actor, hazard):
        raise Forbidden(_("延期申请由上级单位审批。"))
    if request.status != ExtensionStatus.PENDING:
        raise Conflict(_("该延期申请已审批。"))
    note = require_note(note, _("审批意见"))
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request.save()
    if approve:
        hazard.deadline = request.new_deadline
        hazard.is_overdue = hazard.deadline < _today()
    _record(
        hazard,
        actor,
        HazardAction.EXTENSION_APPROVE if approve else HazardAction.EXTENSION_REJECT,
        None,
        note,
        data={"to": request.new_deadline.isoformat()},
    )
    notify(
        [request.requested_by],
        Kind.EXTENSION,
        (_("延期申请已同意：%(n)s") if approve else _("延期申请未同意：%(n)s"))
        % {"n": hazard.number},
        note,
        _url(hazard),
    )
    return request


def may_request_extension(actor: Any, hazard: Hazard) -> bool:
    """A deadline to extend, and no request already waiting."""
    return (
        hazard.deadline is not None
        and not hazard.extensions.filter(status=ExtensionStatus.PENDING).exists()
    )


def may_decide_pending(actor: Any, hazard: Hazard) -> bool:
    return hazard.extensions.filter(
        status=ExtensionStatus.PENDING
    ).exists() and may_decide_extension(actor, hazard)


@transaction.atomic
def decide_pending_extension(
    actor: Any, pk: Any, *, request: int, approve: bool, note: str, version: int | None = None
) -> ExtensionRequest:
    """The record page's decision on a request of this hazard (a stale page is told so)."""
    hazard = Hazard.objects.restrict(actor).filter(pk=pk).first()
    if hazard is None:
        raise NotFound()
    _flow().check_version(hazard, version)
    if not hazard.extensions.filter(pk=request).exists():
        raise NotFound()
    return decide_extension(actor, request, approve=approve, note=note)
