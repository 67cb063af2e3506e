"""Commitments on the home page: those the unit's own people have to report (late ones
counted) and those the authority's people have to accept (xiaoan.core.todos.own_side)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accountability.choices import CommitmentStatus
from xiaoan.accountability.models import Commitment
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider

REPORT, ACCEPT = "accountability.report_commitment", "accountability.accept_commitment"


def to_report(user: Any):
    return Commitment.objects.filter(own_side(user, REPORT)).filter(status=CommitmentStatus.OPEN)


def to_accept(user: Any):
    return Commitment.objects.filter(own_side(user, ACCEPT, "authority")).filter(
        status=CommitmentStatus.REPORTED
    )


@provider
def commitment_todos(user: Any) -> list[Todo]:
    out: list[Todo] = []
    url = reverse("accountability:decision_list")
    if has_permission_anywhere(user, REPORT):
        count = to_report(user).count()
        if count:
            late = to_report(user).filter(due_on__lt=timezone.localdate()).count()
            out.append(Todo("accountability.report", _("待落实的整改承诺"), count, url, late=late))
    if has_permission_anywhere(user, ACCEPT):
        count = to_accept(user).count()
        if count:
            out.append(Todo("accountability.accept", _("待验收的整改承诺"), count, url))
    return out
