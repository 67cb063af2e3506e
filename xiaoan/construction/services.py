"""校园施工项目's conditions (status from the dates, not inspected lately, unsafe site), read by
the list filters, the dashboard counters and the record page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from xiaoan.construction.choices import INSPECT_EVERY_DAYS, SITE_CHECKLIST, ProjectStatus
from xiaoan.core import registers


def _register():
    from xiaoan.construction.registers import PROJECTS

    return PROJECTS


def status_condition(status: str, today: dt.date) -> Q:
    return {
        ProjectStatus.PLANNED: Q(starts_on__gt=today),
        ProjectStatus.IN_PROGRESS: Q(starts_on__lte=today, ends_on__gte=today),
        ProjectStatus.FINISHED: Q(ends_on__lt=today),
    }[status]


def site_inspections():
    """Inspections naming a project as their subject."""
    from xiaoan.inspections.models import Inspection

    return Inspection.objects.filter(subject_type=_register().content_type())


def inspected_since(today: dt.date) -> Q:
    """Projects with an inspection submitted within the last 30 days."""
    since = today - dt.timedelta(days=INSPECT_EVERY_DAYS)
    done = site_inspections().filter(
        status__in=("submitted", "closed"), submitted_at__date__gte=since
    )
    return Q(pk__in=done.values("subject_id"))


def uninspected(today: dt.date) -> Q:
    return status_condition(ProjectStatus.IN_PROGRESS, today) & ~inspected_since(today)


def unsafe(today: dt.date) -> Q:
    """In progress without hard hoarding or without a signed safety agreement."""
    return status_condition(ProjectStatus.IN_PROGRESS, today) & (
        Q(segregated=False) | Q(agreement_signed=False)
    )


def qualification_expired(today: dt.date) -> Q:
    """Not finished yet with the contractor's qualification expired."""
    return Q(ends_on__gte=today, qualification_valid_until__lt=today)


def detail_context(actor: Any, item: Any) -> dict[str, Any]:
    from xiaoan.core.scoping import has_permission_anywhere
    from xiaoan.inspections.models import ChecklistTemplate

    today = timezone.localdate()
    last = (
        site_inspections()
        .filter(subject_id=item.pk, status__in=("submitted", "closed"))
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    query = {"unit": item.unit_id, "subject": registers.subject_token(item)}
    template = (
        ChecklistTemplate.objects.filter(code=SITE_CHECKLIST, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    if template:
        query["checklist"] = template
    in_progress = item.status == ProjectStatus.IN_PROGRESS
    return {
        "status_label": item.get_status_display(),
        "in_progress": in_progress,
        "last_inspected": last,
        "overdue_inspection": in_progress
        and (last is None or timezone.localdate(last) < today - dt.timedelta(days=30)),
        "site_check_url": reverse("inspections:inspection_create") + "?" + urlencode(query),
        "may_inspect_site": not item.is_retired
        and has_permission_anywhere(actor, "inspections.add_inspection"),
    }
