"""Pages for recurring duties, the obligations of one's units and an authority's overview.
Thin: every rule lives in `xiaoan.duties.services`; a service's refusal is answered by
`ServiceFormView`, `ServiceActionView`, `WorkflowActionView` or the ServiceErrorMiddleware."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import (
    ScopedListView,
    ScopedMixin,
    ServiceActionView,
    ServiceFormView,
    evidence_response,
)
from xiaoan.core.workflow_pages import WorkflowActionView, WorkflowForm, action_panel
from xiaoan.duties import builtin, forms, overview, review, services
from xiaoan.duties import proofs as proof_sources
from xiaoan.duties.choices import DutyStatus, ObligationStatus, ProofKind
from xiaoan.duties.models import Duty, DutyRecord, Obligation
from xiaoan.duties.workflow import DUTY, OBLIGATION
from xiaoan.inspections.choices import DONE_STATUSES
from xiaoan.inspections.models import Inspection
from xiaoan.orgs.place_views import unit_choices

ADD_DUTY = services.ADD_DUTY
VIEW = services.VIEW_OBLIGATION


# ---------------------------------------------------------------- duties


class DutyListView(ScopedListView):
    model = Duty
    template_name = "duties/duty_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("issuer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_create = has_permission_anywhere(self.request.user, ADD_DUTY)
        context.update(
            can_create=can_create,
            builtin_form=forms.BuiltinForm(units=unit_choices(self.request.user, ADD_DUTY))
            if can_create
            else None,
            builtins=builtin.all_builtin(),
        )
        return context


class DutyCreateView(ServiceFormView):
    model = Duty
    permission_action = "add"
    template_name = "duties/duty_form.html"
    form_class = forms.DutyForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            units=unit_choices(self.request.user, ADD_DUTY),
            tasks=services.source_tasks(self.request.user),
        )
        return kwargs

    def perform(self, form) -> Duty:
        data = dict(form.cleaned_data)
        data["due_days"] = data.get("due_days") or 0
        return services.create_duty(self.request.user, **data)

    def get_success_message(self) -> str:
        return _("已发布常态化任务：%(n)s。") % {"n": self.result.name}

    def get_success_url(self) -> str:
        return reverse("duties:duty_detail", args=[self.result.pk])


class DutyBuiltinView(ServiceActionView):
    """The duties of the campaign plans, issued to every school under a unit in one action."""

    model = Duty
    permission_action = "add"

    def perform(self) -> list[Duty]:
        form = forms.BuiltinForm(self.request.POST, units=unit_choices(self.request.user, ADD_DUTY))
        if not form.is_valid():
            messages.error(self.request, _("请选择发布单位。"))
            return []
        made = builtin.create_builtin_duties(self.request.user, form.cleaned_data["issuer"])
        if made:
            messages.success(self.request, _("已创建 %(n)d 项常态化任务。") % {"n": len(made)})
        else:
            messages.info(self.request, _("常用常态化任务均已存在。"))
        return made

    def get_success_url(self) -> str:
        return reverse("duties:duty_list")


def duty_context(request, duty: Duty, bound: WorkflowForm | None = None) -> dict:
    """Everything the duty page shows; `bound` is a refused action form with its errors."""
    user = request.user
    counts = dict(
        services.obligations_for(user)
        .filter(duty=duty)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {
        "duty": duty,
        "object": duty,
        "counts": [(label, counts.get(value, 0)) for value, label in ObligationStatus.choices],
        "can_view_obligations": has_permission_anywhere(user, VIEW),
        # Linked only for those who may open the task.
        "source_task": services.visible_source_task(user, duty),
        "actions": action_panel(request, DUTY, duty, bound),
        "events": list(duty.events.select_related("actor")),
    }


def _duties(user):
    return Duty.objects.restrict(user, "view").select_related("issuer")


class DutyDetailView(ScopedMixin, DetailView):
    model = Duty
    template_name = "duties/duty_detail.html"
    context_object_name = "duty"

    def get_queryset(self):
        return _duties(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(duty_context(self.request, self.object))
        return context


class DutyActionView(WorkflowActionView):
    """POST one declared action's form (stop, resume: xiaoan.duties.workflow) for a duty."""

    workflow = DUTY
    template_name = "duties/duty_detail.html"

    def get_queryset(self):
        return _duties(self.request.user)

    def record_context(self, obj: Duty, bound: WorkflowForm) -> dict[str, Any]:
        return duty_context(self.request, obj, bound=bound)


# ---------------------------------------------------------------- obligations


class ObligationListView(ScopedListView):
    """The obligations of the units in my scope; filters: period, status, duty."""

    model = Obligation
    template_name = "duties/obligation_list.html"

    def get_queryset(self):
        user = self.request.user
        self.filter_form = forms.ObligationFilterForm(
            self.request.GET or None,
            duties=services.duties_for(user)
            .filter(status=DutyStatus.ACTIVE)
            .order_by("name")[:200],
        )
        query = super().get_queryset().select_related("duty", "unit")
        if self.filter_form.is_bound and not self.filter_form.is_valid():
            # A bad period shows nothing (400); other bad filters are ignored.
            return query.none() if self.error else query.order_by("due_on", "unit__path", "pk")
        if self.filter_form.is_bound:
            data = self.filter_form.cleaned_data
            if data.get("period"):
                span = overview.parse_period(data["period"])
                query = query.filter(due_on__gte=span.start, due_on__lte=span.end)
            if data.get("status"):
                query = query.filter(status=data["status"])
            if data.get("duty"):
                query = query.filter(duty_id=data["duty"])
        return query.order_by("due_on", "unit__path", "pk")

    @property
    def error(self) -> str:
        errors = self.filter_form.errors.get("period") if self.filter_form.is_bound else None
        return str(errors[0]) if errors else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Decide what is shown before showing it (the daily job does the rest).
        services.decide_shown(context["object_list"])
        context.update(
            filter_form=self.filter_form,
            error=self.error,
            can_report=services.can_report(self.request.user),
            awaiting_review=review.awaiting(self.request.user),
        )
        return context

    def render_to_response(self, context, **kwargs):
        if self.error:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


def record_context(request, ob: Obligation, bound: forms.RecordForm | None = None) -> dict:
    """Everything the obligation page shows; `bound` is a refused form with its errors."""
    services.decide_shown([ob])
    inspections = []
    if ob.duty.proof == ProofKind.INSPECTION:
        inspections = list(
            Inspection.objects.restrict(request.user)
            .filter(
                unit_id=ob.unit_id,
                kind=ob.duty.inspection_kind,
                scheduled_on__gte=ob.period_start,
                scheduled_on__lte=ob.period_end,
            )
            .order_by("scheduled_on", "pk")[:50]
        )
    source = proof_sources.source_of(ob.duty.proof)
    proving = None
    if source is not None:
        proving = list(source.listing(request.user, ob)) if source.listing else []
    return {
        "ob": ob,
        "object": ob,
        "proving": proving,
        "records": ob.records.select_related("submitted_by"),
        "inspections": inspections,
        "done_statuses": DONE_STATUSES,
        "actions": action_panel(request, OBLIGATION, ob, bound),
        "events": list(ob.events.select_related("actor")),
    }


def _obligations(user):
    return Obligation.objects.restrict(user, "view").select_related("duty", "duty__issuer", "unit")


class ObligationDetailView(ScopedMixin, DetailView):
    model = Obligation
    template_name = "duties/obligation_detail.html"

    def get_queryset(self):
        return _obligations(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(record_context(self.request, self.object))
        return context


class ObligationActionView(WorkflowActionView):
    """POST one declared action's form (xiaoan.duties.workflow) for an obligation one sees."""

    workflow = OBLIGATION
    template_name = "duties/obligation_detail.html"

    def get_queryset(self):
        return _obligations(self.request.user)

    def record_context(self, obj: Obligation, bound: forms.RecordForm) -> dict[str, Any]:
        return record_context(self.request, obj, bound=bound)


class RecordFileView(ScopedMixin, View):
    model = Obligation

    def get(self, request, pk):
        record: DutyRecord = services.load_record(request.user, pk)
        return evidence_response(record, record.evidence, record.evidence_name, "duty-evidence")


class OverviewView(ScopedMixin, View):
    """Per unit × duty: met / pending / missed obligations due in a period."""

    model = Obligation

    def get(self, request):
        form = forms.OverviewForm(request.GET)
        period = request.GET.get("period") or ""
        unit = request.GET.get("unit") or None
        report, rows, error = None, [], ""
        if form.is_valid():
            report = overview.overview(request.user, period, unit)
            rows = [(row, row.cells_for(report.duties)) for row in report.rows]
        else:
            error = str(next(iter(form.errors.values()))[0])
        context = {
            "report": report,
            "rows": rows,
            "error": error,
            "period": period,
            "unit": unit or "",
            "units": unit_choices(request.user, VIEW),
        }
        return render(request, "duties/overview.html", context, status=400 if error else 200)
