"""群众举报 on the home page: for a school's own people who handle them, the reports still
待确认 (those older than two days counted late)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.publicreports.choices import ReportStatus
from xiaoan.publicreports.models import PublicReport

HANDLE = "publicreports.handle_publicreport"


@provider
def public_report_todos(user: Any) -> list[Todo]:
    if not has_permission_anywhere(user, HANDLE):
        return []
    waiting = PublicReport.objects.filter(own_side(user, HANDLE), status=ReportStatus.NEW)
    count = waiting.count()
    if not count:
        return []
    late = waiting.filter(created_at__lt=timezone.now() - dt.timedelta(days=2)).count()
    url = reverse("publicreports:publicreport_list")
    return [
        Todo(
            "publicreports.new",
            _("群众举报待确认"),
            count,
            f"{url}?status={ReportStatus.NEW}",
            late=late,
            order=25,
        )
    ]
