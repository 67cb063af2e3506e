"""The intake of outside systems' alerts (/api/alerts/intake/, signed; /api/alerts/
alertmanager/, Alertmanager's webhook with Basic credentials) and the sources' management
(/api/alert-sources/). The rules are xiaoan.alerts.intake."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoan.alerts import intake
from xiaoan.alerts.choices import ReceiptState
from xiaoan.alerts.models import AlertSource
from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.errors import Invalid


class IntakeAnswerSerializer(serializers.Serializer):
    receipt = serializers.IntegerField()
    duplicate = serializers.BooleanField(help_text="同一 Idempotency-Key 的重发：未作任何改变")
    state = serializers.ChoiceField(
        ReceiptState.choices,
        help_text="queued：已接收，待生成预警；done：已生成；failed：处理失败（已留存供查看）",
    )
    alerts = serializers.ListField(
        child=serializers.DictField(), help_text="生成或更新的预警（处理完成后；重发时可见）"
    )


class AlertmanagerAnswerSerializer(IntakeAnswerSerializer):
    rejected = serializers.ListField(
        child=serializers.DictField(),
        help_text="未被接收的条目：序号（index）与各字段原因（errors）",
    )


class SignedAnswerSerializer(IntakeAnswerSerializer):
    rejected = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="批量上报时未被接收的条目：序号（index）与各字段原因（errors）",
    )


class EventSerializer(serializers.Serializer):
    """The documented event (for the schema: the service checks the body itself)."""

    kind = serializers.CharField(max_length=40, required=False, help_text="预警类型，如 smoke")
    severity = serializers.ChoiceField(["info", "warning", "critical"], required=False)
    unit = serializers.CharField(required=False, help_text="单位代码；缺省为来源所属单位")
    title = serializers.CharField(max_length=200)
    detail = serializers.CharField(required=False)
    place = serializers.CharField(max_length=200, required=False)
    labels = serializers.DictField(child=serializers.CharField(), required=False)
    fingerprint = serializers.CharField(max_length=500, required=False)
    occurred_at = serializers.DateTimeField(required=False)
    status = serializers.ChoiceField(["firing", "resolved"], required=False)


class EventBatchSerializer(serializers.Serializer):
    """A gateway's batch: up to 100 events under one signature and Idempotency-Key."""

    events = EventSerializer(many=True, max_length=100)


EXAMPLES = [
    OpenApiExample(
        "烟感报警",
        value={
            "kind": "smoke",
            "severity": "critical",
            "unit": "4301020001",
            "title": "宿舍楼3层烟感报警",
            "place": "学生宿舍1号楼3层东侧",
            "labels": {"device": "YG-1-3F-07"},
            "fingerprint": "YG-1-3F-07",
            "occurred_at": "2026-12-06T22:15:03+08:00",
        },
    ),
    OpenApiExample(
        "智慧用电",
        value={
            "kind": "electric",
            "severity": "warning",
            "unit": "4301020001",
            "title": "食堂配电箱漏电流超限",
            "detail": "漏电流 312 mA，阈值 300 mA",
            "labels": {"meter": "DB-ST-02", "channel": "L1"},
        },
    ),
    OpenApiExample(
        "视频分析",
        value={
            "kind": "video",
            "severity": "warning",
            "unit": "4301020001",
            "title": "校门口人员聚集",
            "place": "南门",
            "labels": {"camera": "NM-01"},
        },
    ),
    OpenApiExample(
        "明厨亮灶AI",
        value={
            "kind": "kitchen",
            "severity": "info",
            "unit": "4301020001",
            "title": "后厨人员未戴帽子",
            "labels": {"camera": "CF-03", "rule": "no_hat"},
        },
    ),
    OpenApiExample(
        "网关批量上报",
        value={
            "events": [
                {
                    "kind": "smoke",
                    "severity": "critical",
                    "unit": "4301020001",
                    "title": "宿舍楼3层烟感报警",
                    "fingerprint": "YG-1-3F-07",
                },
                {
                    "kind": "smoke",
                    "status": "resolved",
                    "unit": "4301020001",
                    "title": "宿舍楼2层烟感报警",
                    "fingerprint": "YG-1-2F-03",
                },
            ]
        },
    ),
]


def _keep_if_refused(source: AlertSource, endpoint: str, body: bytes, run):
    try:
        return run()
    except Invalid as error:
        intake.keep_rejection(source, endpoint, error.message, error.fields, body)
        raise


def answer_signed(headers, body: bytes) -> tuple[int, dict]:
    """(status, answer) of a signed request; errors are raised as ServiceError. Shared by the
    view below and `xiaoan.alerts.middleware`, which serves it before the session, CSRF and
    page middleware (a sensor's request has none of them)."""
    source, key = intake.authenticate_signed(headers, body)
    answer = _keep_if_refused(source, "intake", body, lambda: intake.receive(source, key, body))
    return (200 if answer["duplicate"] else 202), answer


def answer_alertmanager(authorization: str, body: bytes) -> tuple[int, dict]:
    source = intake.authenticate_basic(authorization)
    answer = _keep_if_refused(
        source, "alertmanager", body, lambda: intake.receive_alertmanager(source, body)
    )
    return 200, answer


class IntakeView(APIView):
    authentication_classes: list = []  # the request's signature is its authentication
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        summary="外部系统上报预警（签名）",
        description=(
            "请求头：X-Xiaoan-Source（接入标识）、X-Xiaoan-Timestamp（Unix 秒，与服务器相差不超过 "
            "5 分钟）、Idempotency-Key（最多 64 个字符）、X-Xiaoan-Signature: sha256=<hex>，即以"
            "签名密钥对“时间戳\\nIdempotency-Key\\n请求体”计算的 HMAC-SHA256。校验通过即持久保存并"
            "返回 202（state=queued），预警由后台按接收顺序生成；同一 Idempotency-Key 重发返回"
            "该请求的当前结果（duplicate=true），不会重复记录。网关可在一个请求中批量上报："
            '{"events": [...]}（最多 100 条，共用一个签名与 Idempotency-Key），有误的条目在 '
            "rejected 中逐条说明，其余照常接收。"
        ),
        parameters=[
            OpenApiParameter("X-Xiaoan-Source", OpenApiTypes.STR, OpenApiParameter.HEADER, True),
            OpenApiParameter("X-Xiaoan-Timestamp", OpenApiTypes.INT, OpenApiParameter.HEADER, True),
            OpenApiParameter("X-Xiaoan-Signature", OpenApiTypes.STR, OpenApiParameter.HEADER, True),
            OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, True),
        ],
        request=PolymorphicProxySerializer(
            component_name="IntakeBody",
            serializers=[EventSerializer, EventBatchSerializer],
            resource_type_field_name=None,
        ),
        examples=EXAMPLES,
        responses=with_errors({202: SignedAnswerSerializer, 200: SignedAnswerSerializer}),
    )
    def post(self, request):
        status, answer = answer_signed(request.headers, request.body)
        return Response(answer, status=status)


class AlertmanagerView(APIView):
    authentication_classes: list = []  # the source's Basic credentials, checked below
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        summary="Alertmanager webhook 接收",
        description=(
            "Prometheus Alertmanager 的标准 webhook 内容；http_config.basic_auth 的用户名为"
            "接入标识，密码为签名密钥。标签 xiaoan_unit（或 unit）为单位代码，"
            "alertname 为预警类型，severity 为级别，注释 summary 为标题、description 为详情；"
            "status=resolved 记为来源报恢复。"
        ),
        request=OpenApiTypes.OBJECT,
        responses=with_errors({200: AlertmanagerAnswerSerializer}),
    )
    def post(self, request):
        status, answer = answer_alertmanager(request.headers.get("Authorization", ""), request.body)
        return Response(answer, status=status)


class AlertSourceSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = AlertSource
        fields = ["id", "unit", "unit_name", "name", "key", "default_kind", "is_active",
                  "created_at", "rotated_at", "last_seen_at"]  # fmt: skip
        read_only_fields = fields


class AlertSourceSecretSerializer(AlertSourceSerializer):
    secret = serializers.CharField(read_only=True, help_text="签名密钥，仅此一次返回")

    class Meta(AlertSourceSerializer.Meta):
        fields = [*AlertSourceSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class AlertSourceInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    name = serializers.CharField(max_length=100)
    default_kind = serializers.CharField(max_length=40, required=False, allow_blank=True)


def _with_secret(source: AlertSource, secret: str) -> dict:
    source.secret = secret
    return AlertSourceSecretSerializer(source).data


class AlertSourceViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """外部预警来源：接入标识与签名密钥（仅在新建与更换时返回一次）、启用与停用。"""

    model = AlertSource
    serializer_class = AlertSourceSerializer
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "rotate": "change",
        "deactivate": "change",
        "activate": "change",
    }

    def get_queryset(self):
        return AlertSource.objects.restrict(self.request.user, "view").select_related("unit")

    @extend_schema(summary="登记外部预警来源", request=AlertSourceInputSerializer,
                   responses=with_errors({201: AlertSourceSecretSerializer}))  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = validated(request, AlertSourceInputSerializer)
        source, secret = intake.create_source(request.user, **data)
        return Response(_with_secret(source, secret), status=201)

    @extend_schema(summary="更换签名密钥（旧密钥立即失效）", request=None,
                   responses=with_errors({200: AlertSourceSecretSerializer}))  # fmt: skip
    @action(detail=True, methods=["post"])
    def rotate(self, request, pk=None):
        source, secret = intake.rotate_secret(request.user, path_id(pk))
        return Response(_with_secret(source, secret))

    @extend_schema(summary="停用来源", request=None,
                   responses=with_errors({200: AlertSourceSerializer}))  # fmt: skip
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return Response(
            AlertSourceSerializer(intake.set_active(request.user, path_id(pk), False)).data
        )

    @extend_schema(summary="重新启用来源", request=None,
                   responses=with_errors({200: AlertSourceSerializer}))  # fmt: skip
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        return Response(
            AlertSourceSerializer(intake.set_active(request.user, path_id(pk), True)).data
        )
