"""/api/plans/, /api/plan-tasks/ and /api/plan-assignments/ (+ report).

Views only parse requests and call `xiaoan.plans.services`; the services decide scope (404),
rights (403) and input (400). A caller who holds the endpoint's permission nowhere gets 403.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import path_id, validated, with_errors
from xiaoan.core.errors import NotFound
from xiaoan.plans import services
from xiaoan.plans.api.serializers import (
    PlanAssignmentSerializer,
    PlanCreateSerializer,
    PlanDetailSerializer,
    PlanReportInputSerializer,
    PlanReportSerializer,
    PlanSerializer,
    PlanTaskInputSerializer,
    PlanTaskSerializer,
    PlanUpdateSerializer,
)
from xiaoan.plans.filtersets import AssignmentFilterSet, PlanFilterSet, TaskFilterSet
from xiaoan.plans.models import Assignment, Plan, Task

PARSERS = upload_parsers()
TASK_PREFETCH = ("deadlines", "lead_units", "responsible_units", "cooperating_units")


class PlanPermissionMixin:
    """The plan permission each action needs somewhere (else 403)."""

    action_permission: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        services.require(request.user, self.action_permission.get(self.action, "view"))  # type: ignore[attr-defined]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PlanViewSet(
    PlanPermissionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS
    action_permission = {"create": "add", "partial_update": "change", "activate": "change"}

    def get_queryset(self):
        return (
            Plan.objects.restrict(self.request.user)
            .select_related("unit")
            .prefetch_related("phases")
            .annotate(task_count=Count("tasks", distinct=True))
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action != "list" else PlanSerializer

    def _detail(self, pk: int, code: int = 200) -> Response:
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise NotFound()
        return Response(PlanDetailSerializer(obj).data, status=code)

    @extend_schema(
        summary="工作方案列表",
        description="筛选：q 名称或文号、unit 发文单位（含下级）、status 状态、"
        "progress_status 完成情况。列出本人授权范围内下发的方案，以及下发给本单位任务的方案。",
        responses=with_errors({200: PlanSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="工作方案", responses=with_errors({200: PlanDetailSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="新建方案（草稿）",
        request=PlanCreateSerializer,
        responses=with_errors({201: PlanDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        plan = services.create_plan(request.user, **validated(request, PlanCreateSerializer))
        return self._detail(plan.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改方案",
        request=PlanUpdateSerializer,
        responses=with_errors({200: PlanDetailSerializer}),
    )
    def partial_update(self, request, pk=None, *args, **kwargs):
        data = validated(request, PlanUpdateSerializer)
        services.update_plan(request.user, path_id(pk), **data)
        return self._detail(path_id(pk))

    @extend_schema(
        summary="下发方案（草稿 → 执行中，任务分解到各单位）",
        request=None,
        responses=with_errors({200: PlanDetailSerializer}),
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        services.activate_plan(request.user, path_id(pk))
        return self._detail(path_id(pk))

    def perform_content_negotiation(self, request, force=False):
        # The list is a file whatever the client accepts; errors stay JSON.
        forced = force or self.action == "responsibilities"
        return super().perform_content_negotiation(request, force=forced)

    @extend_schema(
        summary="导出责任清单（xlsx 或 docx，正式表格格式）",
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["xlsx", "docx"],
                description="文件格式",
            )
        ],
        responses=with_errors(
            {
                (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx 文件"),
                (200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="docx 文件"),
            }
        ),
    )
    @action(detail=True, methods=["get"])
    def responsibilities(self, request, pk=None):
        fmt = request.query_params.get("format") or "xlsx"
        content, content_type, name = services.responsibility_file(request.user, path_id(pk), fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class TaskViewSet(
    PlanPermissionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PlanTaskSerializer
    filterset_class = TaskFilterSet
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS
    action_permission = {"create": "change"}

    def get_queryset(self):
        return (
            Task.objects.restrict(self.request.user)
            .select_related("unit")
            .prefetch_related(*TASK_PREFETCH)
            .order_by("plan_id", "parent_id", "seq", "pk")
        )

    @extend_schema(
        summary="方案任务列表",
        description="筛选：plan 方案、status 完成情况、top=true 仅方案本身的任务（不含分解）。",
        responses=with_errors({200: PlanTaskSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="方案任务", responses=with_errors({200: PlanTaskSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="添加任务（执行中的方案立即分解到各单位）",
        request=PlanTaskInputSerializer,
        responses=with_errors({201: PlanTaskSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, PlanTaskInputSerializer)
        plan = data.pop("plan")
        data["deadlines"] = [dict(d) for d in data["deadlines"]]
        task = services.save_task(request.user, plan, **data)
        obj = self.get_queryset().get(pk=task.pk)
        return Response(PlanTaskSerializer(obj).data, status=status.HTTP_201_CREATED)


class AssignmentViewSet(
    PlanPermissionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PlanAssignmentSerializer
    filterset_class = AssignmentFilterSet
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS
    action_permission = {"report": "report"}

    def get_queryset(self):
        return (
            Assignment.objects.restrict(self.request.user)
            .select_related("unit", "task", "last_report__author")
            .prefetch_related("last_report__files")
            .order_by("due_on", "task_id", "pk")
        )

    @extend_schema(
        summary="任务分解（各承办单位）列表",
        description="筛选：plan 方案、task 任务、unit 承办单位（含下级）、status 状态、"
        "due_before 期限不晚于。",
        responses=with_errors({200: PlanAssignmentSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="任务分解", responses=with_errors({200: PlanAssignmentSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="报送进展",
        description="承办单位人员报送进展（可附佐证材料，multipart 的 files 字段可重复）。"
        "状态：in_progress 进行中、done 已完成、ongoing 长期坚持；逾期任务报送进行中仍为逾期。",
        request={
            "multipart/form-data": PlanReportInputSerializer,
            "application/json": PlanReportInputSerializer,
        },
        responses=with_errors({201: PlanReportSerializer}),
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        data = validated(request, PlanReportInputSerializer)
        files = request.FILES.getlist("files") if hasattr(request, "FILES") else []
        report = services.report_progress(
            request.user,
            path_id(pk),
            text=data["text"],
            status=data["status"],
            progress=data.get("progress"),
            files=files or data.get("files") or [],
        )
        return Response(PlanReportSerializer(report).data, status=status.HTTP_201_CREATED)
