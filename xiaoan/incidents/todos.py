"""Incidents on the home page: for a superior, those of the schools below awaiting the
classification (定性) and the closing (结案); for a school, the reviews (复盘) it owes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.incidents import services
from xiaoan.incidents.choices import IncidentStatus
from xiaoan.incidents.models import Incident

CLASSIFY, REVIEW = "incidents.classify_incident", "incidents.review_incident"


def below(user: Any, status: str):
    """Incidents of the units under the person's own (theirs to classify or close)."""
    return (
        Incident.objects.restrict(user, "classify")
        .exclude(own_side(user, CLASSIFY))
        .filter(status=status)
    )


def to_review(user: Any):
    return Incident.objects.filter(own_side(user, REVIEW)).filter(status=IncidentStatus.CLASSIFIED)


@provider
def incident_todos(user: Any) -> list[Todo]:
    out: list[Todo] = []
    url = reverse("incidents:incident_list")
    if has_permission_anywhere(user, CLASSIFY):
        count = below(user, IncidentStatus.REPORTED).count()
        if count:
            late = below(user, IncidentStatus.REPORTED).filter(late=True).count()
            out.append(
                Todo(
                    "incidents.classify",
                    _("待定性的事件"),
                    count,
                    f"{url}?status=reported",
                    late=late,
                    order=20,
                )
            )
        count = below(user, IncidentStatus.REVIEWED).count()
        if count:
            out.append(Todo("incidents.close", _("待结案的事件"), count, f"{url}?status=reviewed"))
    mine = services.open_tasks(user)
    count = mine.count()
    if count:
        late = mine.filter(due__lt=timezone.localdate()).count()
        out.append(
            Todo("incidents.tasks", _("复盘整改措施待落实"), count, f"{url}?task=mine", late=late)
        )
    if has_permission_anywhere(user, REVIEW):
        count = to_review(user).count()
        if count:
            out.append(
                Todo("incidents.review", _("待复盘的事件"), count, f"{url}?status=classified")
            )
    return out
