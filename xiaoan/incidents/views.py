"""The incident pages: the ledger (and its Excel), the first-report form, the incident's page
(the two-hour clock, who was on duty, follow-ups, findings, the action panel and history),
and today's duty across one's units."""

from __future__ import annotations

from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceFormView
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.incidents import exports, services
from xiaoan.incidents.choices import IncidentKind, IncidentStatus, Severity
from xiaoan.incidents.filtersets import IncidentFilter
from xiaoan.incidents.forms import ReportForm
from xiaoan.incidents.models import DutyShift, Incident
from xiaoan.incidents.workflow import INCIDENT

DETAIL = "incidents/incident_detail.html"


def incident_context(request, incident: Incident, bound=None) -> dict[str, Any]:
    allowed = INCIDENT.allowed_actions(request.user, incident)
    names = {a.name for a in allowed}
    panel = [a for a in allowed if a.name != "to_hazard"]
    now = timezone.now()
    return {
        "incident": incident,
        "object": incident,
        "actions": action_panel(request, INCIDENT, incident, bound, allowed=panel),
        "can_to_hazard": "to_hazard" in names,
        "follow_ups": services.follow_ups_of(incident),
        "findings": services.findings_of(incident),
        "events": services.events_of(incident),
        "on_duty": services.on_duty(incident.unit, incident.occurred_at),
        # The clock of a serious incident: due by, and minutes left when still to come.
        "clock_open": incident.serious and incident.deadline > now,
        "today": timezone.localdate(),
    }


class OwnerAccessMixin:
    """Open to the people given a review problem, whatever their rights (they see only the
    incidents of their problems: `Incident.objects.restrict`)."""

    def has_access(self, user) -> bool:
        return super().has_access(user) or services.reads_as_owner(user, "view")


class IncidentListView(OwnerAccessMixin, ScopedListView):
    model = Incident
    filterset_class = IncidentFilter
    template_name = "incidents/incident_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("-occurred_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_report"] = has_permission_anywhere(user, services.ADD)
        context["can_roster"] = has_permission_anywhere(user, "incidents.view_dutyshift")
        context["kinds"] = IncidentKind.choices
        context["severities"] = Severity.choices
        context["statuses"] = IncidentStatus.choices
        return context


class IncidentExportView(ScopedMixin, View):
    model = Incident

    def get(self, request):
        queryset = Incident.objects.restrict(request.user, "view")
        filterset = IncidentFilter(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound and filterset.is_valid():
            queryset = filterset.qs
        return exports.ledger_response(queryset)


class IncidentCreateView(ServiceFormView):
    model = Incident
    permission_action = "add"
    form_class = ReportForm
    template_name = "incidents/incident_form.html"
    success_message = gettext_lazy("已报告事件。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        current = getattr(self.request, "current_unit", None)
        if current is not None:
            initial["unit"] = current.pk
        return initial

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.report(self.request.user, **data)

    def get_success_url(self):
        return reverse("incidents:incident_detail", args=[self.result.pk])


class IncidentDetailView(OwnerAccessMixin, ScopedMixin, View):
    model = Incident

    def get(self, request, pk):
        incident = services.load(request.user, pk)
        return render(request, DETAIL, incident_context(request, incident))


class IncidentActionView(WorkflowActionView):
    workflow = INCIDENT
    template_name = DETAIL

    def may_try(self, user) -> bool:
        return super().may_try(user) or services.reads_as_owner(user, self.action_name)

    def record_context(self, obj, bound):
        return incident_context(self.request, services.load(self.request.user, obj.pk), bound)


class DutyTodayView(ScopedMixin, View):
    """Today's shifts of the units the person may see, now on duty first."""

    model = DutyShift

    def get(self, request):
        now = timezone.localtime().replace(tzinfo=None)
        shifts = services.roster_today(request.user)
        context = {
            "shifts": shifts,
            "now_on": {s.pk for s in shifts if s.covers(now)},
            "today": timezone.localdate(),
        }
        return render(request, "incidents/duty_today.html", context)
