"""Pages for inspection schedules, unannounced draws and the coverage report. Thin: every
rule lives in `xiaoan.inspections.schedules` and `xiaoan.inspections.coverage`."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from xiaoan.core.errors import Invalid
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedMixin, ServiceActionView, ServiceFormView
from xiaoan.inspections import coverage as coverage_service
from xiaoan.inspections import schedule_forms as forms
from xiaoan.inspections import schedules
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.services import checklist_choices
from xiaoan.orgs.place_views import unit_choices

VIEW = "inspections.view_inspection"
ADD = "inspections.add_inspection"


def _checklists(user):
    return checklist_choices(user).select_related("owner_unit")


class InspectionRights(ScopedMixin):
    """Schedules and draws reuse the inspection permissions: viewing needs view_inspection
    somewhere, managing add_inspection (the services check where)."""

    model = Inspection


# ---------------------------------------------------------------- schedules


class ScheduleListView(InspectionRights, ListView):
    template_name = "inspections/schedule_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            schedules.schedules_for(self.request.user)
            .select_related("organiser", "checklist")
            .order_by("organiser__path", "name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        can_create = has_permission_anywhere(user, ADD)
        manageable = set()
        if can_create:
            ids = [s.pk for s in context["object_list"]]
            manageable = set(
                schedules.schedules_for(user, "add").filter(pk__in=ids).values_list("pk", flat=True)
            )
        for schedule in context["object_list"]:
            schedule.can_generate = schedule.pk in manageable
        context.update(
            can_create=can_create,
            defaults_form=forms.DefaultSchedulesForm(units=unit_choices(user, ADD))
            if can_create
            else None,
            defaults=schedules.DEFAULT_SCHEDULES,
        )
        return context


class ScheduleCreateView(InspectionRights, ServiceFormView):
    permission_action = "add"
    form_class = forms.ScheduleForm
    template_name = "inspections/schedule_form.html"

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "units": unit_choices(user, ADD),
            "checklists": _checklists(user),
        }

    def perform(self, form):
        return schedules.create_schedule(self.request.user, **form.cleaned_data)

    def get_success_message(self) -> str:
        return _("已创建检查计划：%(n)s。") % {"n": self.result.name}

    def get_success_url(self) -> str:
        return reverse("inspections:schedule_detail", args=[self.result.pk])


class ScheduleDefaultsView(InspectionRights, ServiceActionView):
    """The suggested schedules of a district, created in one action."""

    permission_action = "add"

    def perform(self):
        request = self.request
        form = forms.DefaultSchedulesForm(request.POST, units=unit_choices(request.user, ADD))
        if not form.is_valid():
            raise Invalid(_("请选择组织单位。"))
        made = schedules.create_default_schedules(request.user, form.cleaned_data["organiser"])
        if made:
            messages.success(request, _("已创建 %(n)d 个常用检查计划。") % {"n": len(made)})
        else:
            messages.info(request, _("常用检查计划均已存在。"))

    def get_success_url(self) -> str:
        return reverse("inspections:schedule_list")


class ScheduleDetailView(InspectionRights, View):
    template_name = "inspections/schedule_detail.html"

    def get(self, request, pk):
        schedule = schedules.load_schedule(request.user, pk)
        period = schedules.period_of(schedule.recurrence, timezone.localdate())
        context = {
            "schedule": schedule,
            "object": schedule,
            "period": period,
            "dates": schedules.dates_in(schedule, period) if period else None,
            "targets": schedules.target_units(schedule).count(),
            "can_generate": schedules.schedules_for(request.user, "add")
            .filter(pk=schedule.pk)
            .exists(),
        }
        return render(request, self.template_name, context)


class ScheduleGenerateView(InspectionRights, ServiceActionView):
    permission_action = "add"

    def perform(self):
        result = schedules.generate_now(self.request.user, self.kwargs["pk"])
        if result.skipped:
            messages.warning(self.request, _("未生成：%(r)s。") % {"r": result.skipped})
        else:
            messages.success(
                self.request,
                _("%(p)s：新生成 %(n)d 项检查（共 %(t)d 个单位）。")
                % {"p": result.period.label, "n": result.created, "t": result.targets},
            )

    def get_success_url(self) -> str:
        return reverse("inspections:schedule_detail", args=[self.kwargs["pk"]])


class ScheduleActiveView(InspectionRights, ServiceActionView):
    """Stop or resume a schedule (POST active=1 or 0)."""

    permission_action = "add"

    def perform(self):
        active = self.request.POST.get("active") == "1"
        schedule = schedules.set_active(self.request.user, self.kwargs["pk"], active)
        if schedule.is_active:
            messages.success(self.request, _("检查计划已启用。"))
        else:
            messages.success(self.request, _("检查计划已停用，不再生成新的检查。"))

    def get_success_url(self) -> str:
        return reverse("inspections:schedule_detail", args=[self.kwargs["pk"]])


# ---------------------------------------------------------------- draws


class DrawListView(InspectionRights, ListView):
    template_name = "inspections/draw_list.html"
    paginate_by = 50

    def get_queryset(self):
        return schedules.draws_for(self.request.user).select_related(
            "organiser", "created_by", "checklist__template"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = has_permission_anywhere(self.request.user, ADD)
        return context


class DrawCreateView(InspectionRights, ServiceFormView):
    permission_action = "add"
    form_class = forms.DrawForm
    template_name = "inspections/draw_form.html"

    def get_initial(self):
        return {"scheduled_on": timezone.localdate()}

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "units": unit_choices(user, ADD),
            "checklists": _checklists(user),
        }

    def perform(self, form):
        return schedules.create_draw(self.request.user, **form.cleaned_data)

    def get_success_message(self) -> str:
        return _("已抽取 %(n)d 个单位并安排暗访。") % {"n": len(self.result.picked)}

    def get_success_url(self) -> str:
        return reverse("inspections:draw_detail", args=[self.result.pk])


class DrawDetailView(InspectionRights, View):
    template_name = "inspections/draw_detail.html"

    def get(self, request, pk):
        draw = schedules.load_draw(request.user, pk)
        context = {
            "draw": draw,
            "object": draw,
            "check": schedules.verify(draw),
            "inspections": list(schedules.draw_inspections(draw).order_by("unit__path")),
        }
        return render(request, self.template_name, context)


# ---------------------------------------------------------------- coverage


def page_number(raw: Any) -> int:
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


class CoverageView(InspectionRights, View):
    template_name = "inspections/coverage.html"
    per_page = 100

    def get(self, request):
        user = request.user
        data = request.GET
        status = 200
        errors: dict[str, list[str]] = {}
        unit = coverage_service.coverage_unit(user, data.get("unit"), request.current_unit)
        kind = data.get("kind") or None
        only_idle = data.get("nothing_done") == "1"
        number = page_number(data.get("page"))
        try:
            date_from, date_to = coverage_service.parse_range(
                data.get("period"), data.get("date_from"), data.get("date_to")
            )
            report = self.report(user, unit, date_from, date_to, kind, only_idle, number)
            pages = max(1, math.ceil(report.row_count / self.per_page))
            if number > pages:  # past the end: show the last page
                number = pages
                report = self.report(user, unit, date_from, date_to, kind, only_idle, number)
        except Invalid as error:  # the report's filters: shown beside them (a GET, no form)
            errors, status = error.fields or {"": [str(error.message)]}, 400
            date_from, date_to = coverage_service.parse_range()
            report = coverage_service.Coverage(unit, date_from, date_to, None)
        # The rows of this page come from the database already cut; the paginator only
        # numbers the pages.
        page = Paginator(range(report.row_count), self.per_page).get_page(number)
        query = data.copy()
        query.pop("page", None)
        # Each row links to its unit's inspections of the range; built once, not per row.
        filters = {
            "scheduled_after": f"{report.date_from:%Y-%m-%d}",
            "scheduled_before": f"{report.date_to:%Y-%m-%d}",
        }
        if report.kind:
            filters["kind"] = report.kind
        list_url = f"{reverse('inspections:inspection_list')}?{urlencode(filters)}&unit="
        context = {
            "list_url": list_url,
            "report": report,
            "totals": report.totals,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "rows": report.rows,
            "query_string": query.urlencode(),
            "data": data,
            "errors": errors,
            "only_idle": only_idle,
            "unit_options": unit_choices(user, VIEW, unit),
            "kind_choices": InspectionKind.choices,
        }
        return render(request, self.template_name, context, status=status)

    def report(self, user, unit, date_from, date_to, kind, only_idle, number):
        return coverage_service.coverage(
            user,
            unit,
            date_from,
            date_to,
            kind,
            only_nothing_done=only_idle,
            offset=(number - 1) * self.per_page,
            limit=self.per_page,
        )
