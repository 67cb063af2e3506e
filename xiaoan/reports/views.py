from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, JsonResponse
from django.views import View
from django.views.generic import TemplateView

from xiaoan.core.errors import Invalid
from xiaoan.core.pdf import PdfUnavailable
from xiaoan.indicators.weights import may_set
from xiaoan.orgs.maps import map_for
from xiaoan.orgs.models import Unit
from xiaoan.reports import brief, exports, services
from xiaoan.reports.charts import chart_data


def _board(request) -> services.Dashboard:
    unit_id = request.GET.get("unit")
    if not unit_id and request.current_unit is not None:
        unit_id = request.current_unit.pk
    try:
        return services.dashboard(
            request.user,
            unit_id,
            sort=request.GET.get("sort", "score"),
            rank=request.GET.get("rank", services.RANK_CHILDREN),
        )
    except Invalid:
        raise Http404 from None  # a malformed unit id names no unit one may see


class DashboardBriefView(LoginRequiredMixin, View):
    """安全工作情况简报: the dashboard on one printed page."""

    def get(self, request):
        board = _board(request)
        try:
            return brief.response(board, request.user)
        except PdfUnavailable as error:
            return HttpResponse(str(error.message), status=503, content_type="text/plain")


class DashboardExportView(LoginRequiredMixin, View):
    """The dashboard as it stands, as one Excel workbook."""

    def get(self, request):
        return exports.response(_board(request), request.user, only=request.GET.get("table", ""))


class MapDataView(LoginRequiredMixin, View):
    """The map's boundary and schools as JSON, fetched by the page's script."""

    def get(self, request):
        try:
            data = services.map_data(request.user, request.GET.get("unit"))
        except Invalid:
            raise Http404 from None
        return JsonResponse(data)


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
        context.update(
            board=board,
            parent=parent,
            charts=chart_data(board),
            ranking=board.ranking[: services.PAGE_RANKING],
            page_ranking=services.PAGE_RANKING,
            area_map=map_for(board.unit) if board.subtree else None,
            may_set_weights=bool(board.ranking) and may_set(request.user, board.unit),
        )
        return context
