"""/api/inspections/coverage/: who completed the required inspections of a period, who did
not, and what is overdue, for a subtree (rules in `xiaoan.inspections.coverage`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoan.core.api.views import with_errors
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.limits import BIGINT_MAX
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.inspections import coverage as service
from xiaoan.inspections.choices import InspectionKind

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class CoverageTotalsSerializer(serializers.Serializer):
    units = serializers.IntegerField(help_text="列出的单位数")
    required = serializers.IntegerField(help_text="应检查数")
    completed = serializers.IntegerField(help_text="已完成数（已提交或已结束）")
    not_done = serializers.IntegerField(help_text="未完成数")
    overdue = serializers.IntegerField(help_text="已逾期数（截止日期已过且未完成）")
    nothing_done = serializers.IntegerField(help_text="一项都未完成的单位数")


class CoverageRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    unit_kind = serializers.CharField()
    depth = serializers.IntegerField(help_text="单位在树中的层级")
    required = serializers.IntegerField()
    completed = serializers.IntegerField()
    not_done = serializers.IntegerField()
    overdue = serializers.IntegerField()
    nothing_done = serializers.BooleanField(help_text="一项都未完成（含没有安排检查的学校）")


class CoverageSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    kind = serializers.CharField(allow_null=True)
    totals = CoverageTotalsSerializer()
    row_count = serializers.IntegerField(
        help_text="全部行数（nothing_done=true 时为一项未完成的单位数）"
    )
    offset = serializers.IntegerField(help_text="本页第一行在全部行中的位置（从 0 起）")
    rows = CoverageRowSerializer(many=True, help_text="本页的行，按单位树顺序")


class CoverageView(APIView):
    @extend_schema(
        operation_id="inspections_coverage",
        summary="检查覆盖情况",
        description=(
            "单位（含下级、授权范围内）每所学校及有检查的单位：期间内计划的应检查数、已完成、"
            "未完成、已逾期，以及合计和一项未完成的单位。期间用 period（YYYY-MM）或 "
            "date_from/date_to（按计划日期）；都不填为本月。"
        ),
        parameters=[
            OpenApiParameter(
                "unit", OpenApiTypes.INT, description="单位 id（含下级）；默认授权范围顶层"
            ),
            OpenApiParameter("period", OpenApiTypes.STR, description="月份 YYYY-MM"),
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="计划日期起"),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="计划日期止"),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=InspectionKind.values, description="检查类型"
            ),
            OpenApiParameter(
                "nothing_done", OpenApiTypes.BOOL, description="true：只列一项都未完成的单位"
            ),
            OpenApiParameter("page", OpenApiTypes.INT, description="页码，从 1 起"),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=f"每页行数，默认 {PAGE_SIZE}，最多 {MAX_PAGE_SIZE}",
            ),
        ],
        responses=with_errors({200: CoverageSerializer}),
    )
    def get(self, request):
        user = request.user
        if not has_permission_anywhere(user, service.PERMISSION):
            raise Forbidden()
        params = request.query_params
        unit = service.coverage_unit(user, params.get("unit"))
        date_from, date_to = service.parse_range(
            params.get("period"), params.get("date_from"), params.get("date_to")
        )
        size = _number(params.get("page_size"), PAGE_SIZE, "page_size")
        page = _number(params.get("page"), 1, "page")
        report = service.coverage(
            user,
            unit,
            date_from,
            date_to,
            params.get("kind") or None,
            only_nothing_done=params.get("nothing_done", "").lower() in ("1", "true", "yes"),
            offset=(page - 1) * min(size, MAX_PAGE_SIZE),
            limit=min(size, MAX_PAGE_SIZE),
        )
        # Plain dicts; the serializer above documents the shape.
        return Response(report.as_dict())


def _number(raw: str | None, default: int, name: str) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw) if len(raw) <= 20 else 0
    except ValueError:
        value = 0
    if value < 1 or value > BIGINT_MAX // MAX_PAGE_SIZE:
        raise Invalid(fields={name: [_("须为正整数。")]})
    return value
