"""事件 on the dashboard (xiaoan.reports.figures): the scope's incidents waiting for the
superior's classification, those still open, this year's serious ones and those first
reported late, and the review problems given as tasks that are past their date."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from xiaoan.incidents.choices import OPEN_STATUSES, IncidentStatus, Severity
from xiaoan.incidents.models import Finding, Incident
from xiaoan.reports.figures import Figure, Scope, Section, allowed, section

VIEW = "incidents.view_incident"
KEY = "incidents"


@section
def incident_section(scope: Scope) -> Section | None:
    if not allowed(scope, VIEW):
        return None
    today = scope.today
    this_year = Q(occurred_at__year=today.year)
    counts = Incident.objects.filter(scope.records()).aggregate(
        reported=Count("pk", filter=Q(status=IncidentStatus.REPORTED)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        year=Count("pk", filter=this_year),
        serious=Count("pk", filter=this_year & Q(severity=Severity.SERIOUS)),
        late=Count("pk", filter=this_year & Q(late=True)),
    )
    overdue = Finding.objects.filter(
        scope.records("incident__unit"),
        owner__isnull=False,
        done_at__isnull=True,
        due__lt=today,
    ).count()
    link = scope.list_url
    url = "incidents:incident_list"
    result = Section(key=KEY, title=_("事件"), order=86, brief=False)
    result.figures = [
        Figure(
            "reported",
            _("待上级定性"),
            counts["reported"],
            link(url, status=IncidentStatus.REPORTED),
            bad=counts["reported"] > 0,
            suffix=_("起"),
        ),
        Figure("open", _("未结案"), counts["open"], link(url), suffix=_("起")),
        Figure("year", _("本年事件"), counts["year"], link(url), suffix=_("起")),
        Figure(
            "serious",
            _("本年较大及以上"),
            counts["serious"],
            link(url, severity=Severity.SERIOUS),
            bad=counts["serious"] > 0,
            suffix=_("起"),
        ),
        Figure(
            "late",
            _("本年超时首报"),
            counts["late"],
            link(url, late="true"),
            bad=counts["late"] > 0,
            suffix=_("起"),
        ),
        Figure(
            "tasks_overdue",
            _("复盘整改超期"),
            overdue,
            bad=overdue > 0,
            suffix=_("项"),
        ),
    ]
    return result
