from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from xiaoan.core.scoping import has_permission_anywhere, permission_name


class ErrorSerializer(serializers.Serializer):
    class Inner(serializers.Serializer):
        code = serializers.CharField()
        message = serializers.CharField()
        fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

    error = Inner()


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误"),
    401: OpenApiResponse(ErrorSerializer, description="未登录"),
    403: OpenApiResponse(ErrorSerializer, description="无权限"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或不在授权范围内"),
    409: OpenApiResponse(ErrorSerializer, description="冲突"),
}


# The header of a create that a retry must not repeat (xiaoan.core.idempotency).
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "客户端生成的唯一值（最多 64 个字符）：同一把钥匙原样重试返回同一结果；"
        "同一把钥匙用于内容不同的请求返回 422（idempotency_mismatch）"
    ),
)


def with_errors(responses: dict[int, Any]) -> dict[int, Any]:
    return {**responses, **ERRORS}


class ScopedViewSetMixin:
    """Querysets only through `restrict`; 403 without the permission anywhere, 404 when the
    object is outside the caller's scope."""

    model: Any = None
    action_permission = {
        "list": "view",
        "retrieve": "view",
        "create": "add",
        "update": "change",
        "partial_update": "change",
        "destroy": "delete",
    }

    def base_queryset(self):
        return self.model._default_manager.all()

    def permission_action(self) -> str:
        return self.action_permission.get(self.action, "view")

    def has_access(self, user) -> bool:
        """Whether the caller may use this endpoint at all (the hook for endpoints open to
        more people than the permission's holders, such as 随手拍 reporters)."""
        return has_permission_anywhere(user, permission_name(self.model, self.permission_action()))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.has_access(request.user):
            from xiaoan.core.errors import Forbidden

            raise Forbidden()

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, "view")

    def get_object(self):
        obj = super().get_object()
        action = self.permission_action()
        if action not in ("view", "add"):
            manager = self.model._default_manager
            if not manager.restrict(self.request.user, action).filter(pk=obj.pk).exists():
                from xiaoan.core.errors import Forbidden

                raise Forbidden()
        return obj


__all__ = ["ERRORS", "NotFound", "ScopedViewSetMixin", "extend_schema", "viewsets", "with_errors"]


def validated(request, serializer_class, **kwargs) -> dict:
    """The request body checked by `serializer_class` (400 with the field errors)."""
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def path_id(value) -> int:
    """A record id from the URL; anything but a number is a record that does not exist."""
    from xiaoan.core.ids import record_id

    return record_id(value)
