"""What waits for a person in the hazard loop (xiaoan.core.todos). Owners rectify, superiors
supervise: the owning side's steps count only where the person belongs to the hazard's school
(services.may_rectify's rule), the supervising ones where their unit supervises."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Counted, Todo, counted, own_side, provider
from xiaoan.hazards.choices import AWAITING_ANSWER, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.orgs.models import Unit


def _ledger(**params: Any) -> str:
    return f"{reverse('hazards:hazard_list')}?{urlencode(params, doseq=True)}"


# Confirming and assigning are counts of the school's hazards by status: rollup counters
# (xiaoan.core.todos.Counted), read with the other counted to-dos in one query.
counted(
    Counted(
        key="hazards.confirm",
        label=_("待确认的隐患"),
        kind="hazards",
        counter=f"s:{HazardStatus.REPORTED}|*",
        perm="hazards.confirm_hazard",
        url=lambda: _ledger(status=HazardStatus.REPORTED.value),
        order=10,
    ),
    Counted(
        key="hazards.assign",
        label=_("待交办的隐患"),
        kind="hazards",
        counter=f"s:{HazardStatus.CONFIRMED}|*",
        perm="hazards.assign_hazard",
        url=lambda: _ledger(status=HazardStatus.CONFIRMED.value),
        order=11,
    ),
)


@provider
def hazard_todos(user: Any) -> list[Todo]:
    today = timezone.localdate()
    my_tasks = reverse("hazards:my_tasks")
    todos = []
    mine = Hazard.objects.filter(
        owner=user, status__in=(HazardStatus.ASSIGNED, HazardStatus.RECTIFYING)
    ).aggregate(n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=today)))
    todos.append(
        Todo(
            "hazards.rectify",
            _("我负责整改的隐患"),
            mine["n"],
            f"{my_tasks}#tasks-owned",
            late=mine["late"],
            order=20,
        )
    )

    todos.append(
        Todo(
            "hazards.verify",
            _("待我验收的隐患"),
            to_verify(user).count(),
            f"{my_tasks}#tasks-verify",
            order=15,
        )
    )
    todos.append(
        Todo(
            "hazards.supervision_accept",
            _("待认可销号的挂牌督办隐患"),
            to_accept(user).count(),
            f"{my_tasks}#tasks-accept",
            order=16,
        )
    )
    # One count of both: a late one is an unanswered supervision past its answer date.
    owed = (
        Hazard.objects.restrict(user, "rectify")
        .filter(
            own_side(user, "hazards.rectify_hazard"),
            status__in=AWAITING_ANSWER,
            supervisions__answered_at__isnull=True,
        )
        .aggregate(
            n=Count("pk", distinct=True),
            late=Count("pk", distinct=True, filter=Q(supervisions__answer_due__lt=today)),
        )
    )
    todos.append(
        Todo(
            "hazards.supervision_answer",
            _("待答复的挂牌督办"),
            owed["n"],
            _ledger(supervised="true", open="true"),
            late=owed["late"],
            order=14,
        )
    )
    return todos


def to_verify(user: Any):
    """Hazards handed in for verification at the person's own school (or bureau): owners'
    work is verified where it was done; superiors supervise (they see them in the ledger)."""
    return (
        Hazard.objects.restrict(user, "verify")
        .filter(own_side(user, "hazards.verify_hazard"))
        .filter(status=HazardStatus.SUBMITTED, closed_by__isnull=True)
        .exclude(owner=user)
        .exclude(submitted_by=user)
    )


def to_accept(user: Any):
    """Supervised hazards verified by their school, waiting for the supervising unit's
    acceptance of the closure."""
    return (
        Hazard.objects.restrict(user, "supervise")
        .filter(
            status=HazardStatus.SUBMITTED,
            closed_by__isnull=False,
            supervisions__accepted_at__isnull=True,
            supervisions__supervising_unit__in=Unit.objects.with_permission(
                user, "hazards.supervise_hazard"
            ),
        )
        .distinct()
    )
