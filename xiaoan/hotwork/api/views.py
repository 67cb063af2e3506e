"""/api/hot-work-permits/: list, record (with its steps), request (POST), photos, and one
POST per workflow step (approve, reject, start, finish, cancel)."""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.views import photo_response
from xiaoan.hotwork import services
from xiaoan.hotwork.api import serializers as s
from xiaoan.hotwork.choices import PermitStatus
from xiaoan.hotwork.models import HotWorkPermit
from xiaoan.hotwork.workflow import PERMIT


class PermitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PermitStatus.choices)
    mine = django_filters.BooleanFilter(method="filter_mine", label="我监护的")

    class Meta:
        model = HotWorkPermit
        fields = ["status", "unit", "mine"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(supervisor=self.request.user)
        return queryset


class HotWorkPermitViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """电气焊动火作业审批：申请、审批（指定监护人）、开工、完工、驳回与取消。"""

    model = HotWorkPermit
    serializer_class = s.HotWorkPermitSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PermitFilter
    workflow = PERMIT
    workflow_response = s.HotWorkPermitDetailSerializer

    def get_queryset(self):
        return (
            HotWorkPermit.objects.restrict(self.request.user, "view")
            .select_related("unit", "operator", "supervisor")
            .order_by("-starts_at", "-id")
        )

    @extend_schema(
        summary="动火作业许可列表",
        responses=with_errors({200: s.HotWorkPermitSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="动火作业许可（含每一步记录与可执行动作）",
        responses=with_errors({200: s.HotWorkPermitDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(path_id(kwargs.get("pk")))

    @extend_schema(
        summary="提出动火申请（作业人员须持有效的焊工/电工证书，覆盖整个动火时段）",
        request=s.HotWorkRequestSerializer,
        responses=with_errors({201: s.HotWorkPermitDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, s.HotWorkRequestSerializer)
        permit = services.request_permit(request.user, **data)
        response = self.workflow_result(permit.pk)
        response.status_code = 201
        return response

    @extend_schema(
        summary="动火作业照片（JPEG）",
        parameters=[OpenApiParameter("photo_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=with_errors(
            {(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="JPEG")}
        ),
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>\d+)")
    def photo(self, request, pk=None, photo_pk=None):
        return photo_response(services.load_photo(request.user, path_id(pk), path_id(photo_pk)))

    def workflow_result(self, pk: int) -> Response:
        permit = services.load(self.request.user, pk)
        return Response(
            s.HotWorkPermitDetailSerializer(permit, context={"request": self.request}).data
        )
