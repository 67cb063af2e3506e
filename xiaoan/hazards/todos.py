"""What waits for a person in the hazard loop (xiaoan.core.todos). Owners rectify, superiors
supervise: the owning side's steps count only where the person belongs to the hazard's school
(services.may_rectify's rule), the supervising ones where their unit supervises."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.hazards.choices import HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.orgs.models import Unit


def _ledger(**params: Any) -> str:
    return f"{reverse('hazards:hazard_list')}?{urlencode(params, doseq=True)}"


@provider
def hazard_todos(user: Any) -> list[Todo]:
    today = timezone.localdate()
    my_tasks = reverse("hazards:my_tasks")
    todos = []
    for key, label, status, perm, order in (
        ("hazards.confirm", _("待确认的隐患"), HazardStatus.REPORTED, "confirm", 10),
        ("hazards.assign", _("待交办的隐患"), HazardStatus.CONFIRMED, "assign", 11),
    ):
        rows = Hazard.objects.restrict(user, perm).filter(
            own_side(user, f"hazards.{perm}_hazard"), status=status
        )
        todos.append(Todo(key, label, rows.count(), _ledger(status=status.value), order=order))

    mine = Hazard.objects.filter(
        owner=user, status__in=(HazardStatus.ASSIGNED, HazardStatus.RECTIFYING)
    )
    todos.append(
        Todo(
            "hazards.rectify",
            _("我负责整改的隐患"),
            mine.count(),
            f"{my_tasks}#tasks-owned",
            late=mine.filter(deadline__lt=today).count(),
            order=20,
        )
    )

    verify = (
        Hazard.objects.restrict(user, "verify")
        .filter(status=HazardStatus.SUBMITTED, closed_by__isnull=True)
        .exclude(owner=user)
        .exclude(submitted_by=user)
    )
    todos.append(
        Todo(
            "hazards.verify",
            _("待我验收的隐患"),
            verify.count(),
            f"{my_tasks}#tasks-verify",
            order=15,
        )
    )

    supervising = Unit.objects.with_permission(user, "hazards.supervise_hazard")
    accept = Hazard.objects.restrict(user, "supervise").filter(
        status=HazardStatus.SUBMITTED,
        closed_by__isnull=False,
        supervisions__accepted_at__isnull=True,
        supervisions__supervising_unit__in=supervising,
    )
    todos.append(
        Todo(
            "hazards.supervision_accept",
            _("待认可销号的挂牌督办隐患"),
            accept.distinct().count(),
            f"{my_tasks}#tasks-accept",
            order=16,
        )
    )
    return todos
