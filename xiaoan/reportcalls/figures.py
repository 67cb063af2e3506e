"""上报材料 on the dashboard (xiaoan.reports.figures): the scope's reports past due and not
submitted, those waiting for the caller's decision, and those accepted this year."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from xiaoan.reportcalls.choices import OPEN_STATUSES, ReportStatus
from xiaoan.reportcalls.models import Report
from xiaoan.reports.figures import Figure, Scope, Section, allowed, section

VIEW = "reportcalls.view_report"
KEY = "reportcalls"


@section
def report_section(scope: Scope) -> Section | None:
    if not allowed(scope, VIEW):
        return None
    from django.urls import reverse

    today = scope.today
    counts = Report.objects.filter(scope.records()).aggregate(
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, call__due_on__lt=today)),
        submitted=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
        accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED, decided_at__year=today.year)),
    )
    url = reverse("reportcalls:report_list")
    result = Section(key=KEY, title=_("上报材料"), order=85, brief=False)
    result.figures = [
        Figure(
            "overdue",
            _("逾期未报送"),
            counts["overdue"],
            f"{url}?overdue=1",
            bad=counts["overdue"] > 0,
            suffix=_("份"),
        ),
        Figure(
            "submitted",
            _("已报送待审核"),
            counts["submitted"],
            f"{url}?status=submitted",
            suffix=_("份"),
        ),
        Figure(
            "accepted",
            _("本年已采用"),
            counts["accepted"],
            f"{url}?status=accepted",
            suffix=_("份"),
        ),
    ]
    return result
