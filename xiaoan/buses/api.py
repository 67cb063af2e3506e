"""/api/buses/: the school bus register (xiaoan.core.api.registers); /api/bus-checks/: the
pre-trip checks, listed in scope and recorded one bus at a time (POST, JSON or multipart with
a photo, the items then as `items.brakes=ok`; with an `Idempotency-Key` header a retry
answers with the first check, 200)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from xiaoan.buses import services
from xiaoan.buses.choices import CheckResult
from xiaoan.buses.models import BusCheck
from xiaoan.buses.registers import BUSES
from xiaoan.buses.serializers import BusCheckCreateSerializer, BusCheckSerializer
from xiaoan.core.api.checks import CheckViewSet, check_filterset
from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import IDEMPOTENCY_KEY, validated, with_errors
from xiaoan.core.idempotency import request_fingerprint


class BusViewSet(RegisterViewSet):
    """校车台账：车牌、线路站点、校车使用许可、安全设备、驾驶人与随车照管员的列表、登记、修改、注销、导入与导出。"""

    register = BUSES


class BusCheckViewSet(CheckViewSet):
    """校车出车前安全检查记录：按范围查看；一次提交一辆校车的全部检查项目。"""

    model = BusCheck
    serializer_class = BusCheckSerializer
    filterset_class = check_filterset(BusCheck, "bus", CheckResult.choices)
    related = ("bus", "checker")
    ordering = ("-checked_at", "-pk")

    @extend_schema(
        summary="提交出车前检查（一辆校车）",
        request={
            "application/json": BusCheckCreateSerializer,
            "multipart/form-data": BusCheckCreateSerializer,
        },
        parameters=[IDEMPOTENCY_KEY],
        responses=with_errors({201: BusCheckSerializer, 200: BusCheckSerializer}),
    )
    def create(self, request, *args, **kwargs):
        body = validated(request, BusCheckCreateSerializer)
        check = services.record_check(
            request.user,
            body["bus"],
            body["items"],
            note=body.get("note", ""),
            photo=body.get("photo"),
            idempotency_key=request.headers.get("Idempotency-Key"),
            fingerprint=request_fingerprint(request),
        )
        code = status.HTTP_200_OK if check.replayed else status.HTTP_201_CREATED
        return Response(BusCheckSerializer(check).data, status=code)
