"""群众举报 on the dashboard (xiaoan.reports.figures): the scope's reports still 待确认, those
older than two days (a school sitting on what the public told it), and this year's total."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.publicreports.choices import ReportStatus
from xiaoan.publicreports.models import PublicReport
from xiaoan.reports.figures import Figure, Scope, Section, allowed, section

VIEW = "publicreports.view_publicreport"
KEY = "publicreports"


@section
def public_report_section(scope: Scope) -> Section | None:
    if not allowed(scope, VIEW):
        return None
    stale = timezone.now() - dt.timedelta(days=2)
    new = Q(status=ReportStatus.NEW)
    counts = PublicReport.objects.filter(scope.records()).aggregate(
        new=Count("pk", filter=new),
        stale=Count("pk", filter=new & Q(created_at__lt=stale)),
        year=Count("pk", filter=Q(created_at__year=scope.today.year)),
    )
    link = scope.list_url
    url = "publicreports:publicreport_list"
    result = Section(key=KEY, title=_("群众举报"), order=87, brief=False)
    result.figures = [
        Figure(
            "new",
            _("待确认"),
            counts["new"],
            link(url, status=ReportStatus.NEW),
            suffix=_("件"),
        ),
        Figure(
            "stale",
            _("超过 2 天未处理"),
            counts["stale"],
            link(url, status=ReportStatus.NEW, stale="true"),
            bad=counts["stale"] > 0,
            suffix=_("件"),
        ),
        Figure("year", _("本年收到"), counts["year"], link(url), suffix=_("件")),
    ]
    return result
