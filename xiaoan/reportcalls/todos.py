"""Reports on the home page: the unit's reports past their due date and not submitted (its
own people's work), and, for the calling authority's people, the reports waiting for their
decision with the overdue ones counted as late."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.reportcalls.choices import OPEN_STATUSES, ReportStatus
from xiaoan.reportcalls.models import Report

SUBMIT = "reportcalls.submit_report"
ACCEPT = "reportcalls.accept_report"


def overdue_own(user: Any):
    """The person's own units' reports past due and not submitted."""
    return Report.objects.filter(own_side(user, SUBMIT)).filter(
        status__in=OPEN_STATUSES, call__due_on__lt=timezone.localdate()
    )


def open_own(user: Any):
    return Report.objects.filter(own_side(user, SUBMIT)).filter(status__in=OPEN_STATUSES)


def to_decide(user: Any):
    """Reports submitted to calls of the person's own authority."""
    return Report.objects.filter(own_side(user, ACCEPT, "call__unit")).filter(
        status=ReportStatus.SUBMITTED
    )


def overdue_called(user: Any):
    """Reports of calls of the person's own authority past due and not submitted."""
    return Report.objects.filter(own_side(user, ACCEPT, "call__unit")).filter(
        status__in=OPEN_STATUSES, call__due_on__lt=timezone.localdate()
    )


@provider
def report_todos(user: Any) -> list[Todo]:
    out: list[Todo] = []
    url = reverse("reportcalls:report_list")
    if has_permission_anywhere(user, SUBMIT):
        count = open_own(user).count()
        if count:
            late = overdue_own(user).count()
            out.append(
                Todo("reportcalls.submit", _("待报送的上报材料"), count, f"{url}?open=1", late=late)
            )
    if has_permission_anywhere(user, ACCEPT):
        count = to_decide(user).count()
        late = overdue_called(user).count()
        if count:
            out.append(
                Todo("reportcalls.decide", _("待审核的上报材料"), count, f"{url}?status=submitted")
            )
        if late:
            out.append(
                Todo(
                    "reportcalls.overdue",
                    _("逾期未报送的上报材料"),
                    late,
                    f"{url}?overdue=1",
                    late=late,
                )
            )
    return out
