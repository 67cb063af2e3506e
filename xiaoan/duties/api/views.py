"""/api/duties/ (+ the duty workflow's actions: stop, resume), /api/obligations/ (+ the
obligation workflow's actions, such as record) and /api/obligations/overview/.

Views only parse requests and call `xiaoan.duties.services`: outside the caller's scope 404,
without the right 403, bad input 400, wrong state or stale version 409."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import ScopedViewSetMixin, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.ids import parse_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.duties import builtin, overview, services
from xiaoan.duties.api.serializers import (
    BuiltinInputSerializer,
    DutyDetailSerializer,
    DutyInputSerializer,
    DutySerializer,
    ObligationDetailSerializer,
    ObligationSerializer,
    OverviewSerializer,
)
from xiaoan.duties.choices import ObligationStatus
from xiaoan.duties.models import Duty, DutyEvent, Obligation, ObligationEvent
from xiaoan.duties.workflow import DUTY, OBLIGATION


class DutyViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Recurring duties issued in the caller's scope or above it; one POST per action of the
    duty workflow (stop, resume: xiaoan.duties.workflow)."""

    model = Duty
    serializer_class = DutySerializer
    filter_backends: list = []
    action_permission = {"list": "view", "retrieve": "view", "create": "add", "builtin": "add"}
    workflow = DUTY
    workflow_response = DutyDetailSerializer

    def permission_action(self) -> str:
        action = self.workflow_action()
        if action is not None:
            return action.scope_action
        return self.action_permission.get(self.action, "view")

    def get_queryset(self):
        return super().get_queryset().select_related("issuer").order_by("pk")

    @extend_schema(
        summary="常态化任务列表", responses=with_errors({200: DutySerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="常态化任务", responses=with_errors({200: DutyDetailSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(self.get_object().pk)

    def workflow_result(self, pk: int) -> Response:
        duty = (
            Duty.objects.select_related("issuer")
            .prefetch_related(Prefetch("events", DutyEvent.objects.select_related("actor")))
            .get(pk=pk)
        )
        context = {
            "request": self.request,
            "allowed_actions": DUTY.allowed_names(self.request.user, duty),
        }
        return Response(DutyDetailSerializer(duty, context=context).data)

    @extend_schema(
        summary="发布常态化任务",
        request=DutyInputSerializer,
        responses=with_errors({201: DutySerializer}),
    )
    def create(self, request):
        duty = services.create_duty(request.user, **validated(request, DutyInputSerializer))
        return Response(DutySerializer(duty).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="一键创建方案规定的常态化任务（已有的不重复创建）",
        request=BuiltinInputSerializer,
        responses=with_errors({201: DutySerializer(many=True)}),
    )
    @action(detail=False, methods=["post"])
    def builtin(self, request):
        data = validated(request, BuiltinInputSerializer)
        made = builtin.create_builtin_duties(request.user, data["issuer"])
        return Response(DutySerializer(made, many=True).data, status=status.HTTP_201_CREATED)


_EVENTS = Prefetch("events", ObligationEvent.objects.select_related("actor"))
PERIOD_PARAM = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    description="完成时限所在周期：2026、2026-03、2026-Q1、2026-H1、2026-B2、2026-spring、2026-autumn",
)


class ObligationViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Obligations of the units in the caller's scope; one POST per action of the
    obligation workflow (declared in xiaoan.duties.workflow)."""

    model = Obligation
    serializer_class = ObligationSerializer
    filter_backends: list = []
    parser_classes = upload_parsers()
    workflow = OBLIGATION
    workflow_response = ObligationDetailSerializer

    def permission_action(self) -> str:
        # Review (accept, return) is the issuing unit's right, checked by the service: the
        # caller must see the obligation; the workflow gate wants the right somewhere.
        action = self.workflow_action()
        return action.scope_action if action is not None and action.scoped else "view"

    def base_queryset(self):
        return Obligation.objects.select_related("duty", "unit")

    def get_queryset(self):
        query = super().get_queryset()
        if self.action == "retrieve":
            return query
        params = self.request.query_params
        if params.get("period"):
            span = overview.parse_period(params["period"])
            query = query.filter(due_on__gte=span.start, due_on__lte=span.end)
        if params.get("status"):
            if params["status"] not in ObligationStatus.values:
                raise Invalid(fields={"status": ["状态无效。"]})
            query = query.filter(status=params["status"])
        for name in ("unit", "duty"):
            if params.get(name):
                query = query.filter(**{f"{name}_id": parse_id(params[name], name)})
        return query.order_by("due_on", "unit__path", "pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return services.decide_shown(page) if page is not None else page

    def get_object(self):
        return services.decide_shown([super().get_object()])[0]

    def get_serializer_class(self):
        return ObligationDetailSerializer if self.action == "retrieve" else ObligationSerializer

    @extend_schema(
        summary="应办事项列表",
        parameters=[
            PERIOD_PARAM,
            OpenApiParameter("status", OpenApiTypes.STR, enum=ObligationStatus.values),
            OpenApiParameter("unit", OpenApiTypes.INT, description="责任单位 id"),
            OpenApiParameter("duty", OpenApiTypes.INT, description="常态化任务 id"),
        ],
        responses=with_errors({200: ObligationSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="应办事项", responses=with_errors({200: ObligationDetailSerializer}))
    def retrieve(self, request, *args, **kwargs):
        # Decided first (get_object), then read with its fresh history.
        return self.workflow_result(self.get_object().pk)

    def _detail(self, ob: Obligation) -> Response:
        context = {
            "request": self.request,
            "allowed_actions": OBLIGATION.allowed_names(self.request.user, ob),
        }
        return Response(ObligationDetailSerializer(ob, context=context).data)

    def workflow_result(self, pk: int) -> Response:
        ob = (
            Obligation.objects.select_related("duty", "unit")
            .prefetch_related("records__submitted_by", _EVENTS)
            .get(pk=pk)
        )
        return self._detail(ob)


class OverviewView(APIView):
    @extend_schema(
        operation_id="obligations_overview",
        summary="常态化任务完成情况：各单位 × 各任务的已完成、待完成、未按期数",
        parameters=[
            PERIOD_PARAM,
            OpenApiParameter("unit", OpenApiTypes.INT, description="只统计该单位及其下级"),
        ],
        responses=with_errors({200: OverviewSerializer}),
    )
    def get(self, request):
        if not has_permission_anywhere(request.user, services.VIEW_OBLIGATION):
            raise Forbidden()
        report = overview.overview(
            request.user, request.query_params.get("period"), request.query_params.get("unit")
        )
        return Response(OverviewSerializer(report.as_dict()).data)
