"""Indicator pages: the list for a unit and year, an indicator's detail (units one level down,
the reported values), the report form, a reported value with its review, and an authority's
own indicators and targets. Thin: rules live in services and values."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.core.errors import Invalid, NotFound
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ServiceFormView, evidence_response
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.indicators import forms, services, values, weights
from xiaoan.indicators.choices import Source, ValueStatus
from xiaoan.indicators.models import Indicator, IndicatorValue
from xiaoan.indicators.workflow import VALUE


class Gate(LoginRequiredMixin, View):
    """403 for who holds `perm` nowhere."""

    perm = values.VIEW

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_permission_anywhere(request.user, self.perm):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _scope(request) -> tuple[Any, int]:
    try:
        unit = values.unit_for(
            request.user, request.GET.get("unit"), getattr(request, "current_unit", None)
        )
    except NotFound:
        raise Http404 from None
    return unit, values.parse_year(request.GET.get("year"))


def _bad_year(request, template: str, error: Invalid):
    return render(request, template, {"error": str(error.message)}, status=400)


class IndicatorListView(Gate):
    def get(self, request):
        try:
            unit, year = _scope(request)
        except Invalid as error:
            return _bad_year(request, "indicators/indicator_list.html", error)
        board = values.board(unit, year)
        user = request.user
        return render(
            request,
            "indicators/indicator_list.html",
            {
                "board": board,
                "unit": unit,
                "year": year,
                "years": range(values.this_year() - 2, values.this_year() + 2),
                "can_report": bool(services.reporting_units(user)),
                "can_add": bool(services.authorities_for(user, services.ADD)),
                "pending": _awaiting(user),
            },
        )


def _awaiting(user) -> int:
    from xiaoan.indicators.todos import awaiting_review

    return awaiting_review(user).count()


class IndicatorDetailView(Gate):
    def get(self, request, pk):
        indicator = services._indicator(request.user, pk)
        try:
            unit, year = _scope(request)
        except Invalid as error:
            return _bad_year(request, "indicators/indicator_detail.html", error)
        if indicator not in values.applicable(unit):
            raise Http404
        board = values.board(unit, year, indicators=[indicator], branches=True, user=request.user)
        rows = (
            IndicatorValue.objects.restrict(request.user)
            .filter(indicator=indicator, year=year, unit__path__startswith=unit.path)
            .select_related("unit", "reported_by")
            .order_by("status", "unit__path")[:500]
        )
        targets = indicator.targets.select_related("owner").order_by("year", "owner__path")
        return render(
            request,
            "indicators/indicator_detail.html",
            {
                "indicator": indicator,
                "unit": unit,
                "year": year,
                "cell": board.cells[0],
                "branches": [(child, cells[0]) for child, cells in board.branches],
                "rows": rows,
                "targets": targets,
                "can_report": indicator.source == Source.REPORTED
                and bool(services.reporting_units(request.user)),
                "can_target": bool(services.authorities_for(request.user, services.CHANGE)),
            },
        )


class ReportView(ServiceFormView):
    model = IndicatorValue
    permission_action = "report"
    form_class = forms.ReportForm
    template_name = "indicators/report_form.html"
    success_message = gettext_lazy("已填报，等待上一级单位审核。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not has_permission_anywhere(request.user, services.REPORT):
                raise PermissionDenied
            self.indicator = services._indicator(request.user, kwargs["pk"])
            self.units = services.reporting_units(request.user)
            if not self.units:
                raise PermissionDenied(_("指标值由学校自行填报，上级单位负责审核。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = self.units
        return kwargs

    def get_initial(self):
        return {"year": values.this_year()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["indicator"] = self.indicator
        return context

    def perform(self, form):
        return services.report(self.request.user, indicator=self.indicator.pk, **form.cleaned_data)

    def get_success_url(self):
        return reverse("indicators:indicatorvalue_detail", args=[self.result.pk])


def value_context(request, row: IndicatorValue, bound=None) -> dict[str, Any]:
    return {
        "row": row,
        "object": row,
        "actions": action_panel(request, VALUE, row, bound),
        "events": list(row.events.select_related("actor")),
    }


class ValueDetailView(Gate):
    perm = "indicators.view_indicatorvalue"

    def get(self, request, pk):
        row = services.load_value(request.user, pk)
        return render(request, "indicators/value_detail.html", value_context(request, row))


class ValueListView(Gate):
    perm = "indicators.view_indicatorvalue"

    def get(self, request):
        status = request.GET.get("status") or ""
        rows = IndicatorValue.objects.restrict(request.user).select_related(
            "indicator", "unit", "reported_by"
        )
        if status == "review":
            from xiaoan.indicators.todos import awaiting_review

            rows = awaiting_review(request.user).select_related("indicator", "unit", "reported_by")
        elif status in ValueStatus.values:
            rows = rows.filter(status=status)
        return render(
            request,
            "indicators/value_list.html",
            {"rows": rows.order_by("-reported_at", "-pk")[:200], "status": status},
        )


class ValueActionView(WorkflowActionView):
    workflow = VALUE
    template_name = "indicators/value_detail.html"

    def get_queryset(self):
        return IndicatorValue.objects.restrict(self.request.user).select_related(
            "indicator", "unit"
        )

    def record_context(self, obj, bound):
        return value_context(self.request, obj, bound)


class ValueFileView(Gate):
    perm = "indicators.view_indicatorvalue"

    def get(self, request, pk):
        row = services.load_value(request.user, pk)
        return evidence_response(row, row.evidence, row.evidence_name, "indicator-evidence")


class IndicatorCreateView(ServiceFormView):
    model = Indicator
    permission_action = "add"
    form_class = forms.IndicatorForm
    template_name = "indicators/indicator_form.html"
    success_message = gettext_lazy("已设立指标，请设定年度目标。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.authorities_for(
            request.user, services.ADD
        ):
            raise PermissionDenied(_("只有教育行政部门可以设立指标和目标。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = services.authorities_for(self.request.user, services.ADD)
        return kwargs

    def perform(self, form):
        return services.create_indicator(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("indicators:indicator_target", args=[self.result.pk])


class TargetView(ServiceFormView):
    model = Indicator
    permission_action = "change"
    form_class = forms.TargetForm
    template_name = "indicators/target_form.html"
    success_message = gettext_lazy("已设定年度目标。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not has_permission_anywhere(request.user, services.CHANGE):
                raise PermissionDenied
            self.indicator = services._indicator(request.user, kwargs["pk"])
            if not services.authorities_for(request.user, services.CHANGE):
                raise PermissionDenied(_("只有教育行政部门可以设立指标和目标。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = services.authorities_for(self.request.user, services.CHANGE)
        return kwargs

    def get_initial(self):
        return {"year": values.this_year()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["indicator"] = self.indicator
        context["targets"] = self.indicator.targets.select_related("owner").order_by(
            "year", "owner__path"
        )
        return context

    def perform(self, form):
        return services.set_target(self.request.user, self.indicator.pk, **form.cleaned_data)

    def get_success_url(self):
        return reverse("indicators:indicator_detail", args=[self.indicator.pk])


class RankingWeightsView(LoginRequiredMixin, View):
    """An authority sets the weights of the ranking of the units below it (the dashboard's
    composite score), or goes back to the built-in ones."""

    template_name = "indicators/ranking_weights.html"

    def _setup(self, request):
        from xiaoan.reports.services import dashboard

        try:
            board = dashboard(request.user, request.GET.get("unit") or request.POST.get("unit"))
        except Invalid:
            raise Http404 from None
        if not weights.may_set(request.user, board.unit):
            raise PermissionDenied(_("只有教育行政部门的管理人员可以设定排名权重。"))
        columns = [(f"{key}.{c.key}", c) for key, c in board.columns if not c.percent]
        return board, columns

    def _render(self, request, board, columns, values, errors, status=200):
        rows = [
            {
                "key": key,
                "label": c.label,
                "value": values.get(key, c.weight),
                "errors": errors.get(key, []),
            }
            for key, c in columns
        ]
        context = {"board": board, "rows": rows, "errors": errors}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        board, columns = self._setup(request)
        return self._render(request, board, columns, {}, {})

    def post(self, request):
        board, columns = self._setup(request)
        if request.POST.get("reset"):
            weights.reset_weights(request.user, board.unit.pk)
            messages.success(request, _("已恢复默认权重。"))
        else:
            given = {key: request.POST.get(key, "") for key, _c in columns}
            try:
                weights.set_weights(request.user, board.unit.pk, given, {k for k, _c in columns})
            except Invalid as error:
                return self._render(request, board, columns, given, error.fields, status=400)
            messages.success(request, _("已保存排名权重。"))
        return redirect(f"{reverse('reports:dashboard')}?unit={board.unit.pk}")
