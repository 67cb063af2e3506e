"""/api/plans/ (+ activate, close), /api/plan-tasks/ and /api/plan-assignments/ (+ report,
decompose).

Views only parse requests and call `xiaoan.plans.services`; the services decide scope (404),
rights (403), state and version (409) and input (400). A caller who holds the endpoint's
permission nowhere gets 403. The action endpoints come from the workflows declared in
xiaoan.plans.workflow.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.xlsx import XLSX
from xiaoan.plans import services, tables
from xiaoan.plans.api.serializers import (
    PlanAssignmentDetailSerializer,
    PlanAssignmentSerializer,
    PlanCreateSerializer,
    PlanDetailSerializer,
    PlanSerializer,
    PlanTaskInputSerializer,
    PlanTaskSerializer,
    PlanUpdateSerializer,
)
from xiaoan.plans.filtersets import AssignmentFilterSet, PlanFilterSet, TaskFilterSet
from xiaoan.plans.models import (
    Assignment,
    AssignmentEvent,
    Plan,
    PlanEvent,
    ProgressReport,
    Task,
    plan_perm,
)
from xiaoan.plans.workflow import ASSIGNMENT, PLAN

PARSERS = upload_parsers()
TASK_PREFETCH = ("deadlines", "lead_units", "responsible_units", "cooperating_units")


class PlanScopedViewSetMixin(ScopedViewSetMixin):
    """Core's scoped viewset with the plan permissions (`plans.<action>_plan` guards tasks and
    assignments too); a workflow action is gated by its own declared permission."""

    def has_access(self, user) -> bool:
        if getattr(self, "workflow_action", lambda: None)() is not None:
            return True
        return has_permission_anywhere(user, plan_perm(self.permission_action()))


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PlanViewSet(
    WorkflowViewSetMixin,
    PlanScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS
    model = Plan
    action_permission = {"create": "add", "partial_update": "change"}
    workflow = PLAN
    workflow_response = PlanDetailSerializer

    def base_queryset(self):
        queryset = (
            Plan.objects.select_related("unit")
            .prefetch_related("phases")
            .annotate(task_count=Count("tasks", distinct=True))
            .order_by("-created_at", "-pk")
        )
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("events", PlanEvent.objects.select_related("actor"))
            )
        return queryset

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action != "list" else PlanSerializer

    def _detail(self, pk: int, code: int = 200) -> Response:
        # The record the caller just wrote (visible to them: the services re-check).
        obj = self.base_queryset().get(pk=pk)
        context = {
            "request": self.request,
            "allowed_actions": PLAN.allowed_names(self.request.user, obj),
        }
        return Response(PlanDetailSerializer(obj, context=context).data, status=code)

    def workflow_result(self, pk: int) -> Response:
        return self._detail(pk)

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
        return self._detail(self.get_object().pk)

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
        content, content_type, name = tables.responsibility_file(request.user, path_id(pk), fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class TaskViewSet(
    PlanScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PlanTaskSerializer
    filterset_class = TaskFilterSet
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS
    model = Task
    action_permission = {"create": "change"}

    def base_queryset(self):
        return (
            Task.objects.select_related("unit")
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
    WorkflowViewSetMixin,
    PlanScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PlanAssignmentSerializer
    filterset_class = AssignmentFilterSet
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS
    model = Assignment
    workflow = ASSIGNMENT
    workflow_response = PlanAssignmentDetailSerializer

    def base_queryset(self):
        queryset = (
            Assignment.objects.select_related("unit", "task", "last_report__author")
            .prefetch_related("last_report__files")
            .order_by("due_on", "task_id", "pk")
        )
        if self.action != "list":
            queryset = queryset.select_related("task__plan").prefetch_related(
                Prefetch("events", AssignmentEvent.objects.select_related("actor")),
                Prefetch(
                    "reports",
                    ProgressReport.objects.select_related("author", "reviewed_by").prefetch_related(
                        "files"
                    ),
                ),
            )
        return queryset

    def get_serializer_class(self):
        return PlanAssignmentSerializer if self.action == "list" else PlanAssignmentDetailSerializer

    def workflow_result(self, pk: int) -> Response:
        obj = self.base_queryset().get(pk=pk)
        context = {
            "request": self.request,
            "allowed_actions": ASSIGNMENT.allowed_names(self.request.user, obj),
        }
        return Response(PlanAssignmentDetailSerializer(obj, context=context).data)

    def workflow_input(self, action, data: dict) -> dict:
        if action.name == "report":
            # Evidence sent as repeated multipart `files`.
            data["files"] = self.request.FILES.getlist("files") or data.get("files") or []
        return data

    @extend_schema(
        summary="任务分解（各承办单位）列表",
        description="筛选：plan 方案、task 任务、unit 承办单位（含下级）、status 状态、"
        "due_before 期限不晚于。",
        responses=with_errors({200: PlanAssignmentSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="任务分解", responses=with_errors({200: PlanAssignmentDetailSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(self.get_object().pk)
