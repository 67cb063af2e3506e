"""/api/risk-points/: list (filters), the risk point with its assessments, measures, checks,
history and allowed actions, registration (POST), and one POST per workflow step (edit,
assess, add-measure, remove-measure, record-check, retire, restore). A measure's person
reads the points of their measures and records checks on them without other rights."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.risks import services
from xiaoan.risks.api import serializers as s
from xiaoan.risks.filtersets import RiskPointFilter
from xiaoan.risks.models import ControlMeasure, RiskAssessment, RiskPoint
from xiaoan.risks.workflow import RISK_POINT


class RiskPointViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """风险点：登记、评估（LS/LEC，等级由系统计算）、管控措施、管控检查（未落实形成隐患）、撤销与恢复。"""

    model = RiskPoint
    serializer_class = s.RiskPointSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RiskPointFilter
    workflow = RISK_POINT
    workflow_response = s.RiskPointDetailSerializer
    parser_classes = upload_parsers()
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "edit": "change",
        "assess": "assess",
        "add_measure": "change",
        "change_measure": "change",
        "remove_measure": "change",
        "record_check": "view",
        "retire": "change",
        "restore": "change",
    }

    def has_access(self, user) -> bool:
        # A measure's person reads its risk points and records checks on them.
        owner = self.action in ("list", "retrieve", "record_check")
        return super().has_access(user) or (owner and services.checks_as_owner(user))

    def workflow_gate(self, user, action) -> None:
        if not (action.name == "record_check" and services.checks_as_owner(user)):
            super().workflow_gate(user, action)

    def get_queryset(self):
        return (
            RiskPoint.objects.restrict(self.request.user, "view")
            .select_related("unit", "place", "owner")
            .order_by("unit__path", "name", "pk")
        )

    def workflow_result(self, pk: int) -> Response:
        point = services.load(self.request.user, pk)
        point = (
            RiskPoint.objects.filter(pk=point.pk)
            .select_related("unit", "place", "owner")
            .prefetch_related(
                Prefetch("assessments", RiskAssessment.objects.select_related("assessed_by")),
                Prefetch("measures", ControlMeasure.objects.select_related("owner")),
                "events__actor",
            )
            .get()
        )
        data = s.RiskPointDetailSerializer(point, context={"request": self.request}).data
        return Response(data)

    @extend_schema(
        summary="风险点列表", responses=with_errors({200: s.RiskPointSerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="风险点（含评估记录、管控措施、检查记录、处理记录和可执行动作）",
        responses=with_errors({200: s.RiskPointDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(path_id(kwargs.get("pk")))

    @extend_schema(
        summary="登记风险点",
        request=s.RiskPointCreateSerializer,
        responses=with_errors({201: s.RiskPointDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, s.RiskPointCreateSerializer)
        point = services.create(request.user, **data)
        response = self.workflow_result(point.pk)
        response.status_code = 201
        return response
