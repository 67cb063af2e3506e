"""/api/drills/: list (filters), record (with its evaluation, the hazards it raised, observers
and history), plan (POST), change a planned drill (PUT), and one POST per workflow step
(record, evaluate, invite, uninvite, cancel)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import (
    IDEMPOTENCY_KEY,
    ScopedViewSetMixin,
    path_id,
    validated,
    with_errors,
)
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.drills import services
from xiaoan.drills.api import serializers as s
from xiaoan.drills.checklists import checklist
from xiaoan.drills.filtersets import DrillFilter
from xiaoan.drills.models import Drill, DrillCheck, DrillInvite
from xiaoan.drills.workflow import DRILL


def _invited(user: Any) -> bool:
    return DrillInvite.objects.filter(user_id=user.pk).exists()


class DrillViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """应急演练：计划、实施记录、评估（问题登记为隐患）、观摩邀请与取消。"""

    model = Drill
    serializer_class = s.DrillSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DrillFilter
    parser_classes = upload_parsers()
    workflow = DRILL
    workflow_response = s.DrillDetailSerializer
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "checklist": "view",
        "record": "record",
        "evaluate": "evaluate",
        "invite": "change",
        "uninvite": "change",
        "cancel": "change",
    }

    def has_access(self, user) -> bool:
        if super().has_access(user):
            return True
        # An invited observer reads that drill (the queryset holds nothing else).
        return self.permission_action() == "view" and _invited(user)

    def get_queryset(self):
        return (
            Drill.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .prefetch_related("teams")
            .order_by("-planned_on", "-id")
        )

    def workflow_input(self, action: Any, data: dict[str, Any]) -> dict[str, Any]:
        if action.name in ("record", "evaluate"):
            data["idempotency_key"] = self.request.headers.get("Idempotency-Key")
            data["fingerprint"] = request_fingerprint(self.request)
        if action.name == "evaluate":
            data["results"] = [dict(row) for row in data.get("results") or ()]
        return data

    def workflow_result(self, pk: int) -> Response:
        drill = services.load(self.request.user, pk)
        drill = (
            Drill.objects.filter(pk=drill.pk)
            .select_related("unit")
            .prefetch_related(
                "photos",
                Prefetch("checks", DrillCheck.objects.select_related("hazard").order_by("seq")),
                Prefetch("invites", DrillInvite.objects.select_related("user__unit")),
                "events__actor",
            )
            .get()
        )
        return Response(s.DrillDetailSerializer(drill, context={"request": self.request}).data)

    @extend_schema(
        summary="演练列表",
        responses=with_errors({200: s.DrillSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="演练（含实施记录、评估结果及其隐患、观摩人、历史和可执行动作）",
        responses=with_errors({200: s.DrillDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(path_id(kwargs.get("pk")))

    @extend_schema(
        summary="制定演练计划",
        request=s.DrillPlanSerializer,
        responses=with_errors({201: s.DrillDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, s.DrillPlanSerializer)
        drill = services.plan(request.user, **data)
        response = self.workflow_result(drill.pk)
        response.status_code = 201
        return response

    @extend_schema(
        summary="修改演练计划（仅已计划的演练）",
        request=s.DrillPlanUpdateSerializer,
        responses=with_errors({200: s.DrillDetailSerializer}),
    )
    def update(self, request, *args, **kwargs):
        record = path_id(kwargs.get("pk"))
        data = validated(request, s.DrillPlanUpdateSerializer)
        services.update_plan(request.user, record, **data)
        return self.workflow_result(record)

    @extend_schema(
        summary="评估表：本演练类型的评估项",
        responses=with_errors({200: s.DrillChecklistItemSerializer(many=True)}),
    )
    @action(detail=True, methods=["get"])
    def checklist(self, request, pk=None):
        drill = services.load(request.user, path_id(pk))
        items = [{"code": i.code, "text": str(i.text)} for i in checklist(drill.kind)]
        return Response(s.DrillChecklistItemSerializer(items, many=True).data)


# The retried steps take the Idempotency-Key header.
for _name in ("record", "evaluate"):
    extend_schema(parameters=[IDEMPOTENCY_KEY])(getattr(DrillViewSet, _name))
