"""/api/student-cases/ (with follow-ups, close and the counts per school),
/api/bullying-cases/ (with the 认定 → 复查 → 复核 steps) and /api/conflict-screenings/.

Who may call them is xiaoan.studentcases.access: the named people and the school's role;
`counts` is the superiors' view (figures, no names). Every read is audited."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.studentcases import services
from xiaoan.studentcases.access import COUNT, review_bureaus, role_schools
from xiaoan.studentcases.api import serializers as s
from xiaoan.studentcases.models import BullyingCase, ConflictScreening, StudentCase
from xiaoan.studentcases.workflow import BULLYING


class _CaseAccessMixin(ScopedViewSetMixin):
    """Lists and records: the role at some school or named on some record; creating: the
    role's add permission at some school."""

    def has_access(self, user) -> bool:
        action = self.permission_action()
        if action == "view":
            return services.may_list(user, self.model)
        perm = f"studentcases.{action}_{self.model._meta.model_name}"
        # The county and city reviewers decide their step at their bureau (access.py).
        return bool(role_schools(user, perm) or review_bureaus(user, perm))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = page if page is not None else list(self.get_queryset())
        if rows:
            services.audit_read(request.user, rows, "api_list")
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class StudentCaseViewSet(
    _CaseAccessMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """学生安全个案：仅本校学生安全专员（校长）及个案上的包保责任人、登记人可见；上级只看数量。"""

    model = StudentCase
    serializer_class = s.StudentCaseSerializer
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "follow_up": "followup",
        "close": "close",
        "counts": "count",
    }

    def has_access(self, user) -> bool:
        if self.action == "counts":
            return has_permission_anywhere(user, COUNT)
        if self.action == "follow_up":
            return services.may_list(user, StudentCase)
        return super().has_access(user)

    def get_queryset(self):
        return (
            StudentCase.objects.restrict(self.request.user, "view")
            .select_related("unit", "responsible")
            .order_by("-created_at", "-id")
        )

    def _detail(self, pk: int, how: str = "") -> Response:
        case = services.load(self.request.user, pk, how=how)
        case = StudentCase.objects.prefetch_related("followups__author").get(pk=case.pk)
        return Response(s.StudentCaseDetailSerializer(case).data)

    @extend_schema(summary="学生安全个案列表（每次读取均记入审计日志）",
                   responses=with_errors({200: s.StudentCaseSerializer(many=True)}))  # fmt: skip
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="学生安全个案（含跟进记录；读取记入审计日志）",
                   responses=with_errors({200: s.StudentCaseDetailSerializer}))  # fmt: skip
    def retrieve(self, request, *args, **kwargs):
        return self._detail(path_id(kwargs.get("pk")), how="api")

    @extend_schema(summary="登记学生安全个案", request=s.StudentCaseCreateSerializer,
                   responses=with_errors({201: s.StudentCaseDetailSerializer}))  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = validated(request, s.StudentCaseCreateSerializer)
        case = services.create_case(request.user, **data)
        response = self._detail(case.pk)
        response.status_code = 201
        return response

    @extend_schema(summary="添加跟进记录（只增不改）", request=s.FollowUpCreateSerializer,
                   responses=with_errors({201: s.StudentCaseDetailSerializer}))  # fmt: skip
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_up(self, request, pk=None):
        record = path_id(pk)
        data = validated(request, s.FollowUpCreateSerializer)
        services.add_followup(request.user, record, **data)
        response = self._detail(record)
        response.status_code = 201
        return response

    @extend_schema(summary="结案", request=s.CloseSerializer,
                   responses=with_errors({200: s.StudentCaseDetailSerializer}))  # fmt: skip
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        record = path_id(pk)
        services.close_case(request.user, record, **validated(request, s.CloseSerializer))
        return self._detail(record)

    @extend_schema(summary="各校个案数量（仅数量，不含姓名）",
                   responses=with_errors({200: s.SchoolCountSerializer(many=True)}))  # fmt: skip
    @action(detail=False, methods=["get"])
    def counts(self, request):
        return Response(s.SchoolCountSerializer(services.counts(request.user), many=True).data)


class BullyingCaseViewSet(
    WorkflowViewSetMixin,
    _CaseAccessMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """欺凌事件：认定 → 复查 → 复核，显示当前步骤的期限与剩余（超期）天数。"""

    model = BullyingCase
    serializer_class = s.BullyingCaseSerializer
    workflow = BULLYING
    workflow_response = s.BullyingCaseDetailSerializer
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        **{name: action.scope_action for name, action in BULLYING.actions.items()},
    }

    def get_queryset(self):
        user = self.request.user
        queryset = BullyingCase.objects.restrict(user, "view")
        step = self.request.query_params.get("step", "")
        if self.action == "list" and step in services.STEPS:
            queryset = queryset & services.awaiting(user, step)
        return queryset.select_related("unit").order_by("-reported_on", "-id")

    def workflow_result(self, pk: int, how: str = "") -> Response:
        obj = services.load(self.request.user, pk, how=how, model=BullyingCase)
        obj = BullyingCase.objects.prefetch_related("events__actor").get(pk=obj.pk)
        context = {"request": self.request}
        return Response(s.BullyingCaseDetailSerializer(obj, context=context).data)

    @extend_schema(
        summary="欺凌事件列表（读取记入审计日志）",
        parameters=[
            OpenApiParameter(
                "step",
                str,
                enum=list(services.STEPS),
                description="只列出等待本人处理的：determine 待认定（学校），review 待复查"
                "（区县复查专员），reexamine 待复核（市级复核专员）",
            )
        ],
        responses=with_errors({200: s.BullyingCaseSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="欺凌事件（含处理记录、期限和可执行动作；读取记入审计日志）",
                   responses=with_errors({200: s.BullyingCaseDetailSerializer}))  # fmt: skip
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(path_id(kwargs.get("pk")), how="api")

    @extend_schema(summary="受理欺凌事件报告", request=s.BullyingCreateSerializer,
                   responses=with_errors({201: s.BullyingCaseDetailSerializer}))  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = validated(request, s.BullyingCreateSerializer)
        obj = services.report_bullying(request.user, **data)
        response = self.workflow_result(obj.pk)
        response.status_code = 201
        return response


class ConflictScreeningViewSet(
    _CaseAccessMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """矛盾纠纷排查：每校每学期一次，列出发现的个案。"""

    model = ConflictScreening
    serializer_class = s.ScreeningSerializer

    def get_queryset(self):
        return (
            ConflictScreening.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .annotate(case_count=Count("cases"))
            .order_by("-screened_on", "-id")
        )

    @extend_schema(summary="矛盾纠纷排查列表",
                   responses=with_errors({200: s.ScreeningSerializer(many=True)}))  # fmt: skip
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="矛盾纠纷排查（读取记入审计日志）",
                   responses=with_errors({200: s.ScreeningSerializer}))  # fmt: skip
    def retrieve(self, request, *args, **kwargs):
        obj = services.load(request.user, path_id(kwargs.get("pk")), how="api",
                            model=ConflictScreening)  # fmt: skip
        return Response(s.ScreeningSerializer(self.get_queryset().get(pk=obj.pk)).data)

    @extend_schema(summary="登记矛盾纠纷排查", request=s.ScreeningCreateSerializer,
                   responses=with_errors({201: s.ScreeningSerializer}))  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = validated(request, s.ScreeningCreateSerializer)
        obj = services.record_screening(request.user, **data)
        return Response(s.ScreeningSerializer(self.get_queryset().get(pk=obj.pk)).data, status=201)
