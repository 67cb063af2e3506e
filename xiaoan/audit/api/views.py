"""`/api/audit/`: the audit trail, read-only, for the audit administrator."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from xiaoan.audit.filtersets import AuditEntryFilterSet
from xiaoan.audit.models import AuditEntry
from xiaoan.core.api.views import ScopedViewSetMixin, with_errors


class AuditEntrySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", default=None, read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "unit",
            "unit_name",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "detail",
            "ip",
            "user_agent",
            "prev_hash",
            "hash",
            "algorithm",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="审计记录列表（最新在前）", responses=with_errors({200: AuditEntrySerializer})
    ),
    retrieve=extend_schema(summary="审计记录", responses=with_errors({200: AuditEntrySerializer})),
)
class AuditEntryViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = AuditEntry
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("-id")
