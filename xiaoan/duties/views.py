"""Pages for recurring duties, the obligations of one's units and an authority's overview.
Thin: every rule lives in `xiaoan.duties.services`."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from xiaoan.audit.files import file_served
from xiaoan.core.errors import ServiceError
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import raise_for_service_error
from xiaoan.duties import forms, overview, services
from xiaoan.duties.choices import ObligationStatus, ProofKind
from xiaoan.duties.models import DutyRecord
from xiaoan.inspections.choices import DONE_STATUSES
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.views import PermissionMixin
from xiaoan.orgs.place_views import unit_choices

VIEW_DUTY = "duties.view_duty"
ADD_DUTY = "duties.add_duty"
CHANGE_DUTY = "duties.change_duty"
VIEW = services.VIEW_OBLIGATION
REPORT = services.REPORT_OBLIGATION


def _fail(error: ServiceError, form=None) -> None:
    raise_for_service_error(error, form)


# ---------------------------------------------------------------- duties


class DutyListView(PermissionMixin, ListView):
    permission = VIEW_DUTY
    template_name = "duties/duty_list.html"
    paginate_by = 50

    def get_queryset(self):
        return services.duties_for(self.request.user).select_related("issuer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_create = has_permission_anywhere(self.request.user, ADD_DUTY)
        context.update(
            can_create=can_create,
            builtin_form=forms.BuiltinForm(units=unit_choices(self.request.user, ADD_DUTY))
            if can_create
            else None,
            builtins=services.BUILTIN_DUTIES,
        )
        return context


class DutyCreateView(PermissionMixin, View):
    permission = ADD_DUTY
    template_name = "duties/duty_form.html"

    def form(self, data=None) -> forms.DutyForm:
        return forms.DutyForm(
            data,
            units=unit_choices(self.request.user, ADD_DUTY),
            tasks=services.source_tasks(self.request.user),
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["due_days"] = data.get("due_days") or 0
            try:
                duty = services.create_duty(request.user, **data)
            except ServiceError as error:
                _fail(error, form)
            else:
                messages.success(request, _("已发布常态化任务：%(n)s。") % {"n": duty.name})
                return redirect("duties:duty_detail", pk=duty.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class DutyBuiltinView(PermissionMixin, View):
    """The duties of the campaign plans, issued to every school under a unit in one action."""

    permission = ADD_DUTY

    def post(self, request):
        form = forms.BuiltinForm(request.POST, units=unit_choices(request.user, ADD_DUTY))
        if not form.is_valid():
            messages.error(request, _("请选择发布单位。"))
            return redirect("duties:duty_list")
        try:
            made = services.create_builtin_duties(request.user, form.cleaned_data["issuer"])
        except ServiceError as error:
            _fail(error)
            raise  # pragma: no cover
        if made:
            messages.success(request, _("已创建 %(n)d 项常态化任务。") % {"n": len(made)})
        else:
            messages.info(request, _("常用常态化任务均已存在。"))
        return redirect("duties:duty_list")


class DutyDetailView(PermissionMixin, View):
    permission = VIEW_DUTY

    def get(self, request, pk):
        try:
            duty = services.load_duty(request.user, pk)
        except ServiceError as error:
            _fail(error)
            raise  # pragma: no cover
        counts = dict(
            services.obligations_for(request.user)
            .filter(duty=duty)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        context = {
            "duty": duty,
            "object": duty,
            "counts": [(label, counts.get(value, 0)) for value, label in ObligationStatus.choices],
            "can_change": services.duties_for(request.user, "change").filter(pk=duty.pk).exists(),
            "can_view_obligations": has_permission_anywhere(request.user, VIEW),
            # Linked only for those who may open the task.
            "source_task": services.visible_source_task(request.user, duty),
        }
        return render(request, "duties/duty_detail.html", context)


class DutyActiveView(PermissionMixin, View):
    permission = CHANGE_DUTY

    def post(self, request, pk):
        try:
            duty = services.set_active(request.user, pk, request.POST.get("active") == "1")
        except ServiceError as error:
            _fail(error)
            raise  # pragma: no cover
        done = _("已启用。") if duty.is_active else _("已停用，不再生成新的应办事项。")
        messages.success(request, done)
        return redirect("duties:duty_detail", pk=duty.pk)


# ---------------------------------------------------------------- obligations


class ObligationListView(PermissionMixin, ListView):
    """The obligations of the units in my scope; filters: period, status, duty."""

    permission = VIEW
    template_name = "duties/obligation_list.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.error = ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        self.filter_form = forms.ObligationFilterForm(
            self.request.GET or None,
            duties=services.duties_for(user).filter(is_active=True).order_by("name")[:200],
        )
        query = services.obligations_for(user).select_related("duty", "unit")
        if self.filter_form.is_bound and self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data.get("period"):
                try:
                    span = overview.parse_period(data["period"])
                except ServiceError as error:
                    self.error = str(error.fields.get("period", [error.message])[0])
                    return query.none()
                query = query.filter(due_on__gte=span.start, due_on__lte=span.end)
            if data.get("status"):
                query = query.filter(status=data["status"])
            if data.get("duty"):
                query = query.filter(duty_id=data["duty"])
        return query.order_by("due_on", "unit__path", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Decide what is shown before showing it (the daily job does the rest).
        services.decide_shown(context["object_list"])
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=self.filter_form,
            error=self.error,
            query_string=query.urlencode(),
            can_report=services.can_report(self.request.user),
        )
        return context

    def render_to_response(self, context, **kwargs):
        if self.error:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


def _detail(request, pk, form=None, status=200):
    try:
        ob = services.load_obligation(request.user, pk)
    except ServiceError as error:
        _fail(error)
        raise  # pragma: no cover
    services.decide_shown([ob])
    can_report = (
        ob.duty.proof == ProofKind.RECORD
        and services.obligations_for(request.user, "report").filter(pk=ob.pk).exists()
    )
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
    if can_report and form is None:
        form = forms.RecordForm(initial={"kind": ob.duty.record_kind})
    context = {
        "ob": ob,
        "object": ob,
        "records": ob.records.select_related("submitted_by"),
        "inspections": inspections,
        "done_statuses": DONE_STATUSES,
        "form": form if can_report else None,
    }
    return render(request, "duties/obligation_detail.html", context, status=status)


class ObligationDetailView(PermissionMixin, View):
    permission = VIEW

    def get(self, request, pk):
        return _detail(request, pk)


class ObligationRecordView(PermissionMixin, View):
    permission = REPORT

    def post(self, request, pk):
        form = forms.RecordForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.submit_record(request.user, pk, **form.cleaned_data)
            except ServiceError as error:
                _fail(error, form)
            else:
                messages.success(request, _("已报送。"))
                return redirect("duties:obligation_detail", pk=pk)
        return _detail(request, pk, form=form, status=400)


class RecordFileView(PermissionMixin, View):
    permission = VIEW

    def get(self, request, pk):
        try:
            record: DutyRecord = services.load_record(request.user, pk)
        except ServiceError as error:
            _fail(error)
            raise  # pragma: no cover
        try:
            handle = record.evidence.open("rb")
        except (OSError, ValueError):
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=True, filename=record.evidence_name or "evidence"
        )
        response["Cache-Control"] = "private, no-store"
        file_served("download", "duty-evidence", obj=record, filename=record.evidence_name)
        return response


class OverviewView(PermissionMixin, View):
    """Per unit × duty: met / pending / missed obligations due in a period."""

    permission = VIEW

    def get(self, request):
        period = request.GET.get("period") or ""
        unit = request.GET.get("unit") or None
        status, error, report = 200, "", None
        try:
            report = overview.overview(request.user, period, unit)
        except ServiceError as exc:
            if exc.status == 404:
                _fail(exc)
            status = 400
            error = str(exc.fields.get("period", [exc.message])[0])
        rows = []
        if report is not None:
            rows = [(row, row.cells_for(report.duties)) for row in report.rows]
        context = {
            "report": report,
            "rows": rows,
            "error": error,
            "period": period,
            "unit": unit or "",
            "units": unit_choices(request.user, VIEW),
        }
        return render(request, "duties/overview.html", context, status=status)
