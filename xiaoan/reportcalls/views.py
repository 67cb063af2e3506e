"""The pages: the calls (list, issue, one call with its returns side by side and their
export together), the reports (list, one report with its figures, sections and steps, the
draft's form) and each report as .docx and PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.audit.files import file_served
from xiaoan.core.errors import Conflict, Invalid, NotFound
from xiaoan.core.pdf import PDF, PdfUnavailable
from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceFormView, attachment
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.reportcalls import documents, services
from xiaoan.reportcalls.api.views import export_response
from xiaoan.reportcalls.choices import OPEN_STATUSES, SECTION_KEYS, SECTIONS, ReportStatus
from xiaoan.reportcalls.forms import CallForm, ReportEditForm
from xiaoan.reportcalls.models import Report, ReportCall
from xiaoan.reportcalls.workflow import REPORT

REPORT_DETAIL = "reportcalls/report_detail.html"


class CallListView(ScopedListView):
    model = ReportCall
    template_name = "reportcalls/reportcall_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("-due_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_issue"] = services.issuing_units(self.request.user).exists()
        return context


class CallCreateView(ServiceFormView):
    model = ReportCall
    permission_action = "add"
    form_class = CallForm
    template_name = "reportcalls/reportcall_form.html"
    success_message = gettext_lazy("报告征集已下发，各单位的草稿已生成。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = services.issuing_units(self.request.user).order_by("path")
        return kwargs

    def perform(self, form):
        return services.issue(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("reportcalls:reportcall_detail", args=[self.result.pk])


class CallDetailView(ScopedMixin, View):
    model = ReportCall

    def get(self, request, pk):
        call = services.load_call(request.user, pk)
        today = timezone.localdate()
        rows = list(services.returns_of(call))
        for row in rows:
            row.overdue = row.is_open and call.due_on < today
        return render(
            request,
            "reportcalls/reportcall_detail.html",
            {"call": call, "rows": rows, "tally": services.tally(call, today)},
        )


class CallExportView(ScopedMixin, View):
    model = ReportCall

    def get(self, request, pk):
        try:
            call = services.load_call(request.user, pk)
            return export_response(call, request.GET.get("as", "combined"))
        except NotFound:
            raise Http404 from None
        except Invalid as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("reportcalls:reportcall_detail", args=[pk]))


class ReportListView(ScopedListView):
    model = Report
    template_name = "reportcalls/report_list.html"

    def get_queryset(self):
        rows = (
            super()
            .get_queryset()
            .select_related("unit", "call")
            .order_by("call__due_on", "unit__path", "id")
        )
        params = self.request.GET
        if params.get("status") in ReportStatus.values:
            rows = rows.filter(status=params["status"])
        if params.get("open") == "1":
            rows = rows.filter(status__in=OPEN_STATUSES)
        if params.get("overdue") == "1":
            rows = rows.filter(status__in=OPEN_STATUSES, call__due_on__lt=timezone.localdate())
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["statuses"] = ReportStatus.choices
        return context


def report_context(request, report: Report, bound=None) -> dict[str, Any]:
    allowed = REPORT.allowed_actions(request.user, report)
    names = {a.name for a in allowed}
    sections = [(title, (report.sections or {}).get(key) or "") for key, title in SECTIONS]
    return {
        "report": report,
        "object": report,
        "sections": sections,
        "figures": report.figures or {},
        "can_edit": "edit" in names,
        "actions": action_panel(request, REPORT, report, bound, allowed=allowed),
        "events": report.events.select_related("actor").order_by("created_at", "id"),
        "overdue": report.is_overdue(),
    }


class ReportDetailView(ScopedMixin, View):
    model = Report

    def get(self, request, pk):
        report = services.load(request.user, pk)
        return render(request, REPORT_DETAIL, report_context(request, report))


class ReportActionView(WorkflowActionView):
    workflow = REPORT
    template_name = REPORT_DETAIL

    def record_context(self, obj, bound):
        return report_context(self.request, services.load(self.request.user, obj.pk), bound)


class ReportEditView(ServiceFormView):
    model = Report
    permission_action = "change"
    form_class = ReportEditForm
    template_name = "reportcalls/report_form.html"
    success_message = gettext_lazy("草稿已保存。")
    redirect_on = (Conflict,)

    def get_refused_url(self):
        return reverse("reportcalls:report_detail", args=[self.record.pk])

    record_action = "change"

    def get_initial(self):
        return {
            "version": self.record.version,
            "number": self.record.number,
            **{key: (self.record.sections or {}).get(key, "") for key in SECTION_KEYS},
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.edit(
            self.request.user,
            self.record.pk,
            version=data["version"],
            number=data["number"],
            sections={key: data[key] for key in SECTION_KEYS},
        )

    def get_success_url(self):
        return reverse("reportcalls:report_detail", args=[self.record.pk])


class _FileView(ScopedMixin, View):
    model = Report
    ext = ""

    def get(self, request, pk):
        report = services.load(request.user, pk)
        name = documents.file_name(report, self.ext)
        try:
            data = self.render(report)
        except PdfUnavailable as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("reportcalls:report_detail", args=[report.pk]))
        file_served("export", "report", obj=report, filename=name)
        return attachment(data, self.content_type, name)


class ReportDocxView(_FileView):
    ext = "docx"
    content_type = documents.DOCX

    def render(self, report):
        return documents.report_docx(report)


class ReportPdfView(_FileView):
    ext = "pdf"
    content_type = PDF

    def render(self, report):
        return documents.report_pdf(report)
