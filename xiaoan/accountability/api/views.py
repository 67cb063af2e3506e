"""/api/accountability/: decisions (list, one with its entries as frozen on the day, the
commitments and the history, draft one), the evidence to pick from, and one POST per step;
/api/accountability/commitments/: the commitments (report, accept, return)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.accountability import exports, services
from xiaoan.accountability.api import serializers as s
from xiaoan.accountability.models import Commitment, Decision
from xiaoan.accountability.workflow import COMMITMENT, DECISION
from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.errors import Invalid
from xiaoan.core.ids import parse_id
from xiaoan.core.xlsx import XLSX

FILES = ("xlsx", "docx", "pdf")


def _file(content_type: str, description: str):
    return with_errors(
        {(200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)}
    )


class DecisionViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """约谈问责：通报表扬、约谈、问责名单（含当日数据）、约谈记录与整改承诺。"""

    model = Decision
    serializer_class = s.DecisionSerializer
    lookup_value_regex = r"[0-9]+"
    workflow = DECISION
    workflow_response = s.DecisionDetailSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "evidence": "add",
        **{name: "change" for name in DECISION.actions},
        **{name: "view" for name in FILES},
    }

    def perform_content_negotiation(self, request, force=False):
        # A file whatever the client accepts (an Accept of the file's type must not get
        # 406); errors stay JSON.
        return super().perform_content_negotiation(request, force=force or self.action in FILES)

    def get_queryset(self):
        return (
            Decision.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .order_by("-decided_on", "-id")
        )

    def workflow_result(self, pk: int) -> Response:
        decision = services.load(self.request.user, pk)
        return Response(
            s.DecisionDetailSerializer(decision, context={"request": self.request}).data
        )

    @extend_schema(
        summary="决定列表", responses=with_errors({200: s.DecisionSerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="决定（名单及当日数据、整改承诺、历史和可执行动作）",
        responses=with_errors({200: s.DecisionDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(path_id(kwargs.get("pk")))

    @extend_schema(
        summary="起草决定",
        request=s.DecisionCreateSerializer,
        responses=with_errors({201: s.DecisionDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, s.DecisionCreateSerializer)
        decision = services.create(request.user, **data)
        response = self.workflow_result(decision.pk)
        response.status_code = 201
        return response

    @extend_schema(
        summary="修改草稿（类型、标题、决定日期、依据；只改给出的字段）",
        description="仅草稿可修改；version 与记录不符或已印发、已撤销时返回 409。",
        request=s.DecisionEditSerializer,
        responses=with_errors({200: s.DecisionDetailSerializer}),
    )
    def partial_update(self, request, *args, **kwargs):
        record = path_id(kwargs.get("pk"))
        data = validated(request, s.DecisionEditSerializer)
        services.edit(request.user, record, **data)
        return self.workflow_result(record)

    @extend_schema(
        summary="导出 Excel：名单及当日数据、整改承诺（只含本人可见的部分）",
        responses=_file(XLSX, "xlsx 文件"),
    )
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        decision = services.load(request.user, path_id(pk))
        return exports.xlsx_response(request.user, decision)

    @extend_schema(
        summary="下载通报（Word .docx，公文格式）",
        responses=_file(exports.DOCX, "docx 文件"),
    )
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        decision = services.load(request.user, path_id(pk))
        return exports.document_response(request.user, decision, "docx")

    @extend_schema(summary="下载通报（PDF）", responses=_file(exports.PDF, "PDF 文件"))
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        decision = services.load(request.user, path_id(pk))
        return exports.document_response(request.user, decision, "pdf")

    @extend_schema(
        summary="依据：下级单位的数据和得分（约谈、问责最差在前，表扬最好在前）",
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, required=True, description="决定单位 id"),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, description="praise / interview / accountability"
            ),
            OpenApiParameter("rank", OpenApiTypes.STR, description="children（默认）或 schools"),
        ],
        responses=with_errors({200: s.AccEvidenceSerializer}),
    )
    @action(detail=False, methods=["get"])
    def evidence(self, request):
        unit = request.query_params.get("unit")
        if not unit:
            raise Invalid(fields={"unit": ["必填。"]})
        found = services.evidence(
            request.user,
            parse_id(unit, "unit"),
            kind=request.query_params.get("kind") or "interview",
            rank=request.query_params.get("rank") or "children",
        )
        return Response(s.AccEvidenceSerializer(found).data)


class CommitmentViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """整改承诺：承诺单位报告完成，决定单位验收或退回。"""

    model = Commitment
    serializer_class = s.CommitmentSerializer
    workflow = COMMITMENT
    workflow_response = s.CommitmentDetailSerializer
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "report": "report",
        "accept": "accept",
        "send_back": "accept",
    }

    def get_queryset(self):
        return (
            Commitment.objects.restrict(self.request.user, "view")
            .select_related("unit", "entry")
            .order_by("due_on", "id")
        )

    def workflow_result(self, pk: int) -> Response:
        commitment = services.load_commitment(self.request.user, pk)
        return Response(
            s.CommitmentDetailSerializer(commitment, context={"request": self.request}).data
        )

    @extend_schema(
        summary="整改承诺列表", responses=with_errors({200: s.CommitmentSerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="整改承诺（含历史和可执行动作）",
        responses=with_errors({200: s.CommitmentDetailSerializer}),
    )
    def retrieve(self, request, *args: Any, **kwargs: Any):
        return self.workflow_result(path_id(kwargs.get("pk")))
