"""/api/fire-assets/ (the register, xiaoan.core.api.registers) and /api/fire-asset-checks/:
the monthly checks, listed in scope and recorded a row of assets at a time (POST with an
`Idempotency-Key` header: a retry answers with the first batch, `replayed` true)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from xiaoan.core.api.checks import CheckViewSet, check_filterset
from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import IDEMPOTENCY_KEY, validated, with_errors
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.fireassets import services
from xiaoan.fireassets.choices import CheckResult
from xiaoan.fireassets.models import FireAssetCheck
from xiaoan.fireassets.registers import FIRE_ASSETS
from xiaoan.fireassets.serializers import (
    CheckBatchResultSerializer,
    CheckBatchSerializer,
    FireAssetCheckSerializer,
)


class FireAssetViewSet(RegisterViewSet):
    """消防器材台账：灭火器、消火栓、探测器、微型消防站的列表、登记、修改、注销、导入与导出。"""

    register = FIRE_ASSETS


class FireAssetCheckViewSet(CheckViewSet):
    """消防器材月检记录：按范围查看；一次提交一排器材的检查结果。"""

    model = FireAssetCheck
    serializer_class = FireAssetCheckSerializer
    filterset_class = check_filterset(FireAssetCheck, "asset", CheckResult.choices)
    related = ("asset", "checker")

    @extend_schema(
        summary="提交月检（一排器材）",
        request=CheckBatchSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses=with_errors({201: CheckBatchResultSerializer, 200: CheckBatchResultSerializer}),
    )
    def create(self, request, *args, **kwargs):
        body = validated(request, CheckBatchSerializer)
        rows = [
            services.CheckRow(asset=r["asset"], result=r["result"], note=r.get("note", ""))
            for r in body["checks"]
        ]
        place = body.get("place")
        if place is not None:
            from xiaoan.core.errors import Invalid
            from xiaoan.orgs.models import Place

            if not Place.objects.filter(pk=place).exists():
                raise Invalid(fields={"place": ["场所不存在。"]})
        batch = services.record_checks(
            request.user,
            rows,
            place=place,
            idempotency_key=request.headers.get("Idempotency-Key"),
            fingerprint=request_fingerprint(request),
        )
        checks = batch.checks.select_related("asset", "checker").order_by("pk")
        data = {
            "batch": batch.pk,
            "replayed": bool(getattr(batch, "replayed", False)),
            "checks": FireAssetCheckSerializer(checks, many=True).data,
        }
        code = status.HTTP_200_OK if data["replayed"] else status.HTTP_201_CREATED
        return Response(data, status=code)
