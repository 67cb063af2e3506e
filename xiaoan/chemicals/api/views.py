"""/api/chemicals/ and /api/chemical-storages/ (the registers, xiaoan.core.api.registers:
catalogue with stock per storage, storages with keyholders), /api/chemical-movements/
(the ledger; + the second signature: confirm, reject) and /api/chemical-stocktakes/.

Views only parse requests and call `xiaoan.chemicals.services`: outside the caller's scope
404, without the right 403, bad input 400, short stock, wrong state or stale version 409."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from xiaoan.chemicals import services
from xiaoan.chemicals.api.serializers import (
    MovementDetailSerializer,
    MovementInputSerializer,
    MovementSerializer,
    StocktakeInputSerializer,
    StocktakeSerializer,
)
from xiaoan.chemicals.choices import MovementStatus
from xiaoan.chemicals.models import (
    StockMovement,
    StockMovementEvent,
    Stocktake,
    StocktakeLine,
)
from xiaoan.chemicals.registers import CHEMICALS, STORAGES
from xiaoan.chemicals.workflow import MOVEMENT
from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import IDEMPOTENCY_KEY, ScopedViewSetMixin, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.errors import Invalid
from xiaoan.core.idempotency import request_fingerprint


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not str(raw).isdigit() or len(str(raw)) > 18:
        raise Invalid(fields={name: ["须为数字 id。"]})
    return int(raw)


UNIT_PARAM = OpenApiParameter("unit", OpenApiTypes.INT, description="单位 id（含下级单位）")


class ChemicalViewSet(RegisterViewSet):
    """危化品目录：条目的列表（含各存放点结存）、登记、修改、注销（须无库存、无待复核记录）、
    导入与导出。"""

    register = CHEMICALS


class StorageViewSet(RegisterViewSet):
    """危化品存放点（专室/专柜）：两名钥匙保管人、下次盘点日期；登记、修改、注销、导入与导出。"""

    register = STORAGES


def _movement_rows():
    return StockMovement.objects.select_related(
        "chemical", "storage", "actor", "second_signer"
    ).order_by("-created_at", "-pk")


class MovementViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The stock ledger's movements; a controlled chemical's movement is 待复核 (pending)
    until a second person confirms it (双人双锁: POST …/confirm/) or sends it back."""

    model = StockMovement
    serializer_class = MovementSerializer
    filter_backends: list = []
    workflow = MOVEMENT
    workflow_response = MovementDetailSerializer

    def permission_action(self) -> str:
        action = self.workflow_action()
        if action is not None:
            return action.scope_action
        return self.action_permission.get(self.action, "view")

    def base_queryset(self):
        return _movement_rows()

    def get_queryset(self):
        rows = super().get_queryset()
        if self.action != "list":
            return rows
        for name in ("chemical", "storage", "stocktake"):
            value = _int_param(self.request, name)
            if value is not None:
                rows = rows.filter(**{f"{name}_id": value})
        state = self.request.query_params.get("status") or ""
        if state:
            if state not in MovementStatus.values:
                raise Invalid(fields={"status": ["未知状态。"]})
            rows = rows.filter(status=state)
        if self.request.query_params.get("awaiting_me") in ("true", "1"):
            rows = rows.filter(pk__in=services.pending_for(self.request.user).values("pk"))
        return rows

    @extend_schema(
        summary="出入库记录",
        parameters=[
            OpenApiParameter("chemical", OpenApiTypes.INT),
            OpenApiParameter("storage", OpenApiTypes.INT),
            OpenApiParameter("stocktake", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=MovementStatus.values),
            OpenApiParameter("awaiting_me", OpenApiTypes.BOOL, description="等待我复核的"),
        ],
        responses=with_errors({200: MovementSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="出入库记录", responses=with_errors({200: MovementDetailSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(self.get_object().pk)

    def workflow_result(self, pk: int) -> Response:
        movement = (
            _movement_rows()
            .prefetch_related(
                Prefetch("events", StockMovementEvent.objects.select_related("actor"))
            )
            .get(pk=pk)
        )
        context = {
            "request": self.request,
            "allowed_actions": MOVEMENT.allowed_names(self.request.user, movement),
        }
        return Response(MovementDetailSerializer(movement, context=context).data)

    @extend_schema(
        summary="登记出入库（管制类待第二人复核后计入结存；库存不足返回 409）",
        description=(
            "带 Idempotency-Key 请求头或 idempotency_key 字段时，同一把钥匙的重试返回同一笔"
            "记录（200），不会重复出库；同一把钥匙用于内容不同的请求时返回 422"
            "（idempotency_mismatch）。"
        ),
        request=MovementInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses=with_errors({201: MovementDetailSerializer, 200: MovementDetailSerializer}),
    )
    def create(self, request):
        data = validated(request, MovementInputSerializer)
        key = request.headers.get("Idempotency-Key") or data.pop("idempotency_key", "") or ""
        key = key.strip()[:64] or None
        movement = services.record_movement(
            request.user,
            **data,
            idempotency_key=key,
            fingerprint=request_fingerprint(request) if key else "",
        )
        response = self.workflow_result(movement.pk)
        response.status_code = status.HTTP_200_OK if movement.replayed else status.HTTP_201_CREATED
        return response


class StocktakeViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Stocktakes (盘点): counted lines; each difference becomes an adjustment movement."""

    model = Stocktake
    serializer_class = StocktakeSerializer
    filter_backends: list = []

    def get_queryset(self):
        rows = (
            super()
            .get_queryset()
            .select_related("storage", "actor")
            .prefetch_related(
                Prefetch(
                    "lines",
                    StocktakeLine.objects.select_related("chemical", "movement").order_by("pk"),
                )
            )
            .order_by("-taken_on", "-pk")
        )
        storage = _int_param(self.request, "storage") if self.action == "list" else None
        return rows.filter(storage_id=storage) if storage is not None else rows

    @extend_schema(
        summary="盘点记录",
        parameters=[OpenApiParameter("storage", OpenApiTypes.INT)],
        responses=with_errors({200: StocktakeSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="盘点", responses=with_errors({200: StocktakeSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="登记盘点（实盘与账面不符的行须说明原因，差异记为盘点调整）",
        request=StocktakeInputSerializer,
        responses=with_errors({201: StocktakeSerializer}),
    )
    def create(self, request):
        data = validated(request, StocktakeInputSerializer)
        stocktake = services.create_stocktake(
            request.user,
            data["storage"],
            lines=[dict(line) for line in data["lines"]],
            taken_on=data.get("taken_on"),
            note=data.get("note", ""),
        )
        found = self.get_queryset().get(pk=stocktake.pk)
        return Response(StocktakeSerializer(found).data, status=status.HTTP_201_CREATED)
