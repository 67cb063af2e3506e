"""The inspection record's printable PDF and the xlsx exports, from the pages.

Access is exactly that of the inspection page: 403 for someone who may view inspections
nowhere and is invited to none, 404 for an inspection outside `Inspection.objects.restrict`,
so an invited outside expert prints the inspection he is invited to and nothing else."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from xiaoan.core.pdf import PdfUnavailable
from xiaoan.inspections import exports, printing
from xiaoan.inspections.views import InspectionAccessMixin, InspectionListView, record_queryset


class InspectionPrintView(InspectionAccessMixin, View):
    """/inspections/<pk>/print.pdf — drafts print with a 草稿 mark."""

    def get(self, request, pk):
        inspection = get_object_or_404(record_queryset(request.user), pk=pk)
        try:
            return printing.pdf_response(inspection)
        except PdfUnavailable as error:
            return render(
                request,
                "inspections/print/unavailable.html",
                {"inspection": inspection, "message": error.message},
                status=error.status,
            )


class InspectionResultsExportView(InspectionAccessMixin, View):
    """/inspections/<pk>/results.xlsx"""

    def get(self, request, pk):
        inspection = get_object_or_404(record_queryset(request.user), pk=pk)
        return exports.inspection_response(inspection)


class InspectionListExportView(InspectionListView):
    """/inspections/export.xlsx — the results of the inspections the list's filters select
    (same filters, same default unit, same order), not only the page shown."""

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        if not self.filterset.is_valid():
            return HttpResponseBadRequest(_("筛选条件有误，无法导出。"))
        return exports.inspections_response(queryset)
