"""/api/inspections/{id}/pdf/, /api/inspections/{id}/xlsx/ and /api/inspections/export/:
the printable record and the xlsx exports through the API.

Access is that of reading the inspection: 403 for a caller who may view inspections nowhere
and is invited to none, 404 outside `Inspection.objects.restrict(user, "view")`.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from xiaoan.core.api.views import ErrorSerializer, path_id, with_errors
from xiaoan.core.errors import Forbidden, NotFound
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.xlsx import XLSX
from xiaoan.inspections import exports, printing
from xiaoan.inspections.api.views import _invited
from xiaoan.inspections.filtersets import InspectionFilterSet
from xiaoan.inspections.models import Inspection

PDF_RESPONSES = with_errors(
    {
        (200, printing.PDF): OpenApiResponse(OpenApiTypes.BINARY, description="PDF 文件"),
        503: OpenApiResponse(ErrorSerializer, description="服务器缺少中文字体，无法生成 PDF"),
    }
)
XLSX_RESPONSES = with_errors(
    {(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx 文件")}
)


class InspectionExportViewSet(viewsets.GenericViewSet):
    """Files made from inspections; registered under the same prefix as the inspections."""

    filterset_class = InspectionFilterSet
    filter_backends = [DjangoFilterBackend]
    pagination_class = None

    def perform_content_negotiation(self, request, force=False):
        # The answer is a file whatever the client accepts; a client that asks for the
        # file's own type (Accept: application/pdf) must not get 406. Errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if not (has_permission_anywhere(user, "inspections.view_inspection") or _invited(user)):
            raise Forbidden()

    def get_queryset(self):
        return Inspection.objects.restrict(self.request.user, "view").select_related(
            "unit", "organiser", "checklist__template", "submitted_by"
        )

    def _inspection(self, pk) -> Inspection:
        inspection = self.get_queryset().filter(pk=path_id(pk)).first()
        if inspection is None:
            raise NotFound()
        return inspection

    @extend_schema(
        summary="打印检查记录（PDF）",
        description=(
            "A4 检查记录：基本信息、检查人员、逐项结果（不符合项附隐患编号和等级）、汇总、"
            "检查结论和签字栏，嵌入中文字体。未提交的检查标注“草稿”。"
            "服务器缺少中文字体时返回 503。"
        ),
        filters=False,
        responses=PDF_RESPONSES,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def pdf(self, request, pk=None):
        return printing.pdf_response(self._inspection(pk))

    @extend_schema(
        summary="导出检查结果（xlsx）",
        description="检查表的全部检查项及其结果、说明、隐患编号和等级；未填写的项留空。",
        filters=False,
        responses=XLSX_RESPONSES,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def xlsx(self, request, pk=None):
        return exports.inspection_response(self._inspection(pk))

    @extend_schema(
        summary="导出多项检查的结果（xlsx）",
        description=(
            "筛选条件与检查列表相同（kind、status、unit、period 等），导出全部符合条件的检查："
            "“检查汇总”每项检查一行，“检查结果”每个已填写的检查项一行。"
        ),
        filters=True,
        responses=XLSX_RESPONSES,
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        if not queryset.query.order_by:
            queryset = queryset.order_by("-scheduled_on", "-pk")
        return exports.inspections_response(queryset)
