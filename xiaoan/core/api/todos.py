"""`GET /api/todos/`: what waits for the caller, as the home page lists it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from xiaoan.core.api.views import with_errors
from xiaoan.core.todos import todos_for


class TodoSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="稳定的标识，如 hazards.verify")
    label = serializers.CharField()
    count = serializers.IntegerField()
    late = serializers.IntegerField(help_text="其中已逾期的数量")
    url = serializers.CharField(help_text="列出这些事项的页面")


@extend_schema(responses=with_errors({200: TodoSerializer(many=True)}), summary="我的待办")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def todos(request):
    """Non-empty to-dos of the caller, most blocking first."""
    return Response(TodoSerializer([t.as_dict() for t in todos_for(request.user)], many=True).data)
