"""/api/alerts/ (list with filters, an alert with its history and allowed actions, one POST
per step: acknowledge, handle, close), /api/alert-rules/, /api/silences/ and
/api/alert-warnings/ (a bureau's posted warnings with each school's progress)."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.alerts import bulletins, rules, services, silences
from xiaoan.alerts.api import serializers as s
from xiaoan.alerts.filtersets import AlertFilter
from xiaoan.alerts.models import Alert, AlertRule, Bulletin, Silence
from xiaoan.alerts.workflow import ALERT
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


class AlertViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """预警：列表与筛选、详情（含处置记录与可执行动作）、确认、处置、关闭。"""

    model = Alert
    serializer_class = s.AlertSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AlertFilter
    parser_classes = upload_parsers()
    workflow = ALERT
    workflow_response = s.AlertDetailSerializer
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "acknowledge": "handle",
        "handle": "handle",
        "close": "handle",
    }

    def get_queryset(self):
        return (
            Alert.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .order_by("-last_seen", "-id")
        )

    def workflow_input(self, action: Any, data: dict[str, Any]) -> dict[str, Any]:
        data["idempotency_key"] = self.request.headers.get("Idempotency-Key")
        data["fingerprint"] = request_fingerprint(self.request)
        return data

    def workflow_result(self, pk: int) -> Response:
        alert = services.load(self.request.user, pk)
        alert = (
            Alert.objects.prefetch_related("events__actor", "photos")
            .select_related("unit", "hazard")
            .get(pk=alert.pk)
        )
        return Response(s.AlertDetailSerializer(alert, context={"request": self.request}).data)

    @extend_schema(summary="预警列表", responses=with_errors({200: s.AlertSerializer(many=True)}))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="预警（含处置记录与可执行动作）",
        responses=with_errors({200: s.AlertDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(path_id(kwargs.get("pk")))


for _name in ("acknowledge", "handle", "close"):
    extend_schema(parameters=[IDEMPOTENCY_KEY])(getattr(AlertViewSet, _name))


class AlertRuleViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """预警规则：条件（代码提供的列表）、阈值、级别、通知角色；停用而不删除。"""

    model = AlertRule
    serializer_class = s.AlertRuleSerializer
    action_permission = {**ScopedViewSetMixin.action_permission, "deactivate": "change"}

    def get_queryset(self):
        return AlertRule.objects.restrict(self.request.user, "view").select_related("owner")

    @extend_schema(summary="新建预警规则", request=s.AlertRuleInputSerializer,
                   responses=with_errors({201: s.AlertRuleSerializer}))  # fmt: skip
    def create(self, request, *args, **kwargs):
        rule = rules.create_rule(request.user, **validated(request, s.AlertRuleInputSerializer))
        return Response(s.AlertRuleSerializer(rule).data, status=201)

    @extend_schema(summary="修改预警规则（制定单位不变）", request=s.AlertRuleUpdateSerializer,
                   responses=with_errors({200: s.AlertRuleSerializer}))  # fmt: skip
    def update(self, request, *args, **kwargs):
        data = validated(request, s.AlertRuleUpdateSerializer)
        rule = rules.update_rule(request.user, path_id(kwargs.get("pk")), **data)
        return Response(s.AlertRuleSerializer(rule).data)

    @extend_schema(summary="停用预警规则", request=None,
                   responses=with_errors({200: s.AlertRuleSerializer}))  # fmt: skip
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        rule = rules.deactivate_rule(request.user, path_id(pk))
        return Response(s.AlertRuleSerializer(rule).data)


class SilenceViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """静默（维护窗口）：相符的预警照常记录但不通知。"""

    model = Silence
    serializer_class = s.SilenceSerializer
    action_permission = {**ScopedViewSetMixin.action_permission, "end": "change"}

    def get_queryset(self):
        return Silence.objects.restrict(self.request.user, "view").select_related("unit")

    @extend_schema(summary="设置静默", request=s.SilenceInputSerializer,
                   responses=with_errors({201: s.SilenceSerializer}))  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = validated(request, s.SilenceInputSerializer)
        silence = silences.create_silence(request.user, **data)
        return Response(s.SilenceSerializer(silence).data, status=201)

    @extend_schema(summary="立即结束静默", request=None,
                   responses=with_errors({200: s.SilenceSerializer}))  # fmt: skip
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        silence = silences.end_silence(request.user, path_id(pk))
        return Response(s.SilenceSerializer(silence).data)


class WarningViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """预警发布：教育行政部门向下级所有学校发布（暴雨、台风、高温、寒潮…），各校确认并落实措施。"""

    model = Bulletin
    serializer_class = s.BulletinSerializer

    def get_queryset(self):
        return Bulletin.objects.restrict(self.request.user, "view").select_related("unit")

    def _detail(self, bulletin: Bulletin) -> Response:
        progress = bulletins.progress_of(bulletin)
        data = s.BulletinSerializer(bulletin).data
        data.update(
            acknowledged=progress["acknowledged"],
            handled=progress["handled"],
            progress=s.BulletinProgressRowSerializer(progress["alerts"], many=True).data,
        )
        return Response(data)

    @extend_schema(
        summary="预警发布及各校进度", responses=with_errors({200: s.BulletinDetailSerializer})
    )
    def retrieve(self, request, pk=None):
        return self._detail(bulletins.load_bulletin(request.user, path_id(pk)))

    @extend_schema(
        summary="发布预警到下级所有学校（Idempotency-Key 重试不重复发布）",
        request=s.BulletinInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses=with_errors({201: s.BulletinDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, s.BulletinInputSerializer)
        bulletin = bulletins.post_warning(
            request.user,
            idempotency_key=request.headers.get("Idempotency-Key"),
            fingerprint=request_fingerprint(request),
            **data,
        )
        response = self._detail(bulletin)
        response.status_code = 200 if getattr(bulletin, "replayed", False) else 201
        return response
