"""`/api/indicators/` (definitions, targets and values per unit and year; an authority adds
its own and sets targets) and `/api/indicator-values/` (reported values and their review)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.views import path_id, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.errors import Forbidden
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.indicators import services, values
from xiaoan.indicators.api import serializers as s
from xiaoan.indicators.models import IndicatorValue
from xiaoan.indicators.workflow import VALUE

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="指标 id")
UNIT_YEAR = [
    OpenApiParameter("unit", OpenApiTypes.INT, description="单位 id（默认：本人最高一级单位）"),
    OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认：今年）"),
]


def _decimal(number) -> str | None:
    return None if number is None else f"{number:.2f}"


def cell_data(cell: values.Cell) -> dict:
    return {
        "unit": {"id": cell.unit.pk, "name": cell.unit.name},
        "value": _decimal(cell.value),
        "target": _decimal(cell.target),
        "standing": cell.standing,
        "schools": cell.schools,
        "counted": cell.counted,
    }


class IndicatorViewSet(viewsets.ViewSet):
    """Indicators that apply at a unit, each with the year's target and the unit's value."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        perm = {"create": services.ADD, "targets": services.CHANGE}.get(self.action, values.VIEW)
        if not has_permission_anywhere(request.user, perm):
            raise Forbidden()

    def _scope(self, request):
        unit = values.unit_for(request.user, request.query_params.get("unit"))
        return unit, values.parse_year(request.query_params.get("year"))

    @extend_schema(
        parameters=UNIT_YEAR,
        responses=with_errors({200: s.IndicatorStandingSerializer(many=True)}),
        summary="指标：本单位适用的指标、年度目标与完成情况",
    )
    def list(self, request):
        unit, year = self._scope(request)
        board = values.board(unit, year)
        return Response(
            [
                {
                    "indicator": s.IndicatorSerializer(c.indicator).data,
                    "year": year,
                    "current": cell_data(c),
                    "units": [],
                }
                for c in board.cells
            ]
        )

    @extend_schema(
        parameters=[ID, *UNIT_YEAR],
        responses=with_errors({200: s.IndicatorStandingSerializer}),
        summary="指标详情：本单位及下一级各单位的值、目标与达标情况",
    )
    def retrieve(self, request, pk=None):
        indicator = services._indicator(request.user, path_id(pk))
        unit, year = self._scope(request)
        if indicator not in values.applicable(unit):
            from xiaoan.core.errors import NotFound

            raise NotFound()
        board = values.board(unit, year, indicators=[indicator], branches=True, user=request.user)
        return Response(
            {
                "indicator": s.IndicatorSerializer(indicator).data,
                "year": year,
                "current": cell_data(board.cells[0]),
                "units": [cell_data(cells[0]) for _unit, cells in board.branches],
            }
        )

    @extend_schema(
        request=s.IndicatorInputSerializer,
        responses=with_errors({201: s.IndicatorSerializer}),
        summary="教育行政部门设立本级指标（适用于本辖区）",
    )
    def create(self, request):
        data = validated(request, s.IndicatorInputSerializer)
        indicator = services.create_indicator(request.user, **data)
        return Response(s.IndicatorSerializer(indicator).data, status=201)

    @extend_schema(
        parameters=[ID],
        request=s.TargetInputSerializer,
        responses=with_errors({200: s.IndicatorStandingSerializer}),
        summary="教育行政部门为本辖区设定年度目标（不得低于上级目标）",
    )
    @action(detail=True, methods=["post"])
    def targets(self, request, pk=None):
        record = path_id(pk)
        data = validated(request, s.TargetInputSerializer)
        target = services.set_target(request.user, record, **data)
        indicator = target.indicator
        board = values.board(target.owner, target.year, indicators=[indicator])
        return Response(
            {
                "indicator": s.IndicatorSerializer(indicator).data,
                "year": target.year,
                "current": cell_data(board.cells[0]),
                "units": [],
            }
        )


class IndicatorValueViewSet(
    WorkflowViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Reported values the caller may see; a school reports, the unit above reviews."""

    serializer_class = s.IndicatorValueSerializer
    workflow = VALUE
    workflow_response = s.IndicatorValueSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        perm = "indicators.view_indicatorvalue"
        if self.action == "create":
            perm = services.REPORT
        if self.workflow_action() is None and not has_permission_anywhere(request.user, perm):
            raise Forbidden()

    def get_queryset(self):
        rows = IndicatorValue.objects.restrict(self.request.user).select_related(
            "indicator", "unit", "reported_by", "reviewed_by"
        )
        params = self.request.query_params
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        if params.get("year"):
            rows = rows.filter(year=values.parse_year(params["year"]))
        if params.get("unit"):
            rows = rows.filter(unit=values.unit_for(self.request.user, params["unit"]))
        return rows

    def get_object(self):
        return services.load_value(self.request.user, path_id(self.kwargs.get("pk")))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="pending / accepted / returned"
            ),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("unit", OpenApiTypes.INT),
        ],
        responses=with_errors({200: s.IndicatorValueSerializer(many=True)}),
        summary="指标填报列表",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=with_errors({200: s.IndicatorValueSerializer}), summary="指标填报详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": s.ReportSerializer, "application/json": s.ReportSerializer},
        responses=with_errors({201: s.IndicatorValueSerializer}),
        summary="学校填报指标值（附佐证；上一级单位审核后计入）",
    )
    def create(self, request):
        data = validated(request, s.ReportSerializer)
        row = services.report(request.user, **data)
        response = self.workflow_result(row.pk)
        response.status_code = 201
        return response

    def workflow_result(self, pk: int) -> Response:
        row = services.load_value(self.request.user, pk)
        return Response(s.IndicatorValueSerializer(row, context={"request": self.request}).data)
