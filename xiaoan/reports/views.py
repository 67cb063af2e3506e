from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from xiaoan.core.errors import Invalid
from xiaoan.orgs.models import Unit
from xiaoan.reports import exports, services


def _board(request) -> services.Dashboard:
    unit_id = request.GET.get("unit")
    if not unit_id and request.current_unit is not None:
        unit_id = request.current_unit.pk
    try:
        return services.dashboard(request.user, unit_id, sort=request.GET.get("sort", "score"))
    except Invalid:
        raise Http404 from None  # a malformed unit id names no unit one may see


class DashboardExportView(LoginRequiredMixin, View):
    """The dashboard as it stands, as one Excel workbook."""

    def get(self, request):
        return exports.response(_board(request), request.user)


class DashboardView(LoginRequiredMixin, TemplateView):
    """一张图: one unit's figures from every app, and its subordinate units ranked."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        unit_id = request.GET.get("unit")
        if not unit_id and request.current_unit is not None:
            unit_id = request.current_unit.pk
        try:
            board = services.dashboard(request.user, unit_id, sort=request.GET.get("sort", "score"))
        except Invalid:
            raise Http404 from None  # a malformed unit id names no unit one may see
        parent = None
        if board.unit.depth > 1:
            parent = (
                Unit.objects.restrict(request.user)
                .filter(path=board.unit.path[: -Unit.steplen])
                .first()
            )
        context.update(board=board, parent=parent)
        return context
