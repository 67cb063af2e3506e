"""Alerts on the dashboard (xiaoan.reports.figures): the scope's open alerts by severity and
those not acknowledged in time. One aggregate query on the alerts' status index, whatever
their number; no ranking (alerts come and go within hours)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.alerts.choices import AlertStatus, Severity
from xiaoan.alerts.models import Alert
from xiaoan.reports.figures import Figure, Scope, Section, allowed, section


@section
def alert_section(scope: Scope) -> Section | None:
    if not allowed(scope, "alerts.view_alert"):
        return None
    open_ = Q(status__in=(AlertStatus.RAISED, AlertStatus.ACKNOWLEDGED, AlertStatus.HANDLED))
    counts = (
        Alert.objects.filter(scope.records())
        .filter(open_)
        .aggregate(
            critical=Count("pk", filter=Q(severity=Severity.CRITICAL)),
            warning=Count("pk", filter=Q(severity=Severity.WARNING)),
            info=Count("pk", filter=Q(severity=Severity.INFO)),
            late=Count("pk", filter=Q(status=AlertStatus.RAISED, ack_due__lt=timezone.now())),
        )
    )
    url = "alerts:alert_list"
    # Not in the one-page brief: it is full with the hazards, inspections and duties.
    result = Section(key="alerts", title=_("预警处置"), order=15, brief=False)
    result.figures = [
        Figure(
            "critical",
            _("未关闭的紧急预警"),
            counts["critical"],
            scope.list_url(url, severity=Severity.CRITICAL, open="true"),
            bad=counts["critical"] > 0,
            suffix=_("条"),
        ),
        Figure(
            "warning",
            _("未关闭的预警"),
            counts["warning"],
            scope.list_url(url, severity=Severity.WARNING, open="true"),
            suffix=_("条"),
        ),
        Figure(
            "info",
            _("未关闭的提示"),
            counts["info"],
            scope.list_url(url, severity=Severity.INFO, open="true"),
            suffix=_("条"),
        ),
        Figure(
            "late",
            _("超时未确认"),
            counts["late"],
            scope.list_url(url, status=AlertStatus.RAISED),
            bad=counts["late"] > 0,
            suffix=_("条"),
        ),
    ]
    return result
