"""/api/channels/ (list, read, create, change; the address and secret are write-only and
shown masked), /api/channels/{id}/test/ (send a test message now) and /api/deliveries/ (the
delivery log, read-only). A channel is stopped with `is_active: false`, never deleted: its
deliveries keep pointing at it."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.channels import services
from xiaoan.channels.api import serializers as s
from xiaoan.channels.filtersets import ChannelFilter, DeliveryFilter
from xiaoan.channels.models import Channel, Delivery
from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.services import get_scoped


class ChannelViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """消息推送渠道：企业微信、钉钉、飞书群机器人和短信。"""

    model = Channel
    serializer_class = s.ChannelSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ChannelFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    action_permission = {**ScopedViewSetMixin.action_permission, "test": "change"}

    def get_queryset(self):
        return (
            Channel.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .order_by("unit__path", "name", "pk")
        )

    def _one(self, pk: int) -> Response:
        channel = get_scoped(self.request.user, Channel, pk)
        return Response(s.ChannelSerializer(channel).data)

    @extend_schema(summary="渠道列表", responses=with_errors({200: s.ChannelSerializer(many=True)}))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="渠道", responses=with_errors({200: s.ChannelSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return self._one(path_id(kwargs.get("pk")))

    @extend_schema(
        summary="添加渠道",
        request=s.ChannelCreateSerializer,
        responses=with_errors({201: s.ChannelSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, s.ChannelCreateSerializer)
        channel = services.create_channel(request.user, **data)
        return Response(s.ChannelSerializer(channel).data, status=201)

    @extend_schema(
        summary="修改渠道（只改提交的字段；地址和密钥留空表示不修改）",
        request=s.ChannelUpdateSerializer,
        responses=with_errors({200: s.ChannelSerializer}),
    )
    def update(self, request, *args, **kwargs):
        pk = path_id(kwargs.get("pk"))
        data = validated(request, s.ChannelUpdateSerializer, partial=True)
        channel = services.update_channel(request.user, pk, **data)
        return Response(s.ChannelSerializer(channel).data)

    @extend_schema(
        summary="修改渠道（部分字段）",
        request=s.ChannelUpdateSerializer,
        responses=with_errors({200: s.ChannelSerializer}),
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary="发送测试消息（立即发送，返回发送结果）",
        request=None,
        responses=with_errors({200: s.DeliverySerializer}),
    )
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        delivery = services.send_test(request.user, path_id(pk))
        delivery = Delivery.objects.select_related("channel").get(pk=delivery.pk)
        return Response(s.DeliverySerializer(delivery).data)


class DeliveryViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """发送记录：每条消息在每个渠道的发送情况（只读）。"""

    model = Delivery
    serializer_class = s.DeliverySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DeliveryFilter

    def get_queryset(self):
        return (
            Delivery.objects.restrict(self.request.user, "view")
            .select_related("channel")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        summary="发送记录列表", responses=with_errors({200: s.DeliverySerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="发送记录", responses=with_errors({200: s.DeliverySerializer}))
    def retrieve(self, request, *args, **kwargs):
        delivery = get_scoped(request.user, Delivery, path_id(kwargs.get("pk")))
        return Response(s.DeliverySerializer(delivery).data)
