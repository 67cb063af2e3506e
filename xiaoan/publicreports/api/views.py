"""/api/public-reports/ (staff): list (filters), the report (photos, history, actions
allowed; each read audited) and one POST per step (accept, reject, mark-duplicate).

/api/public/… (no account, no cookie): the school's form (its signed token),
the submission (multipart; the same checks as the page, structured errors, 429 past a
limit) and the receipt lookup (POST, so the code stays out of addresses and logs)."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoan.audit.services import client_ip
from xiaoan.core.api.parsers import BoundedJSONParser
from xiaoan.core.api.views import (
    ErrorSerializer,
    ScopedViewSetMixin,
    path_id,
    validated,
    with_errors,
)
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.publicreports import services
from xiaoan.publicreports.api import serializers as s
from xiaoan.publicreports.choices import ReportCategory
from xiaoan.publicreports.filtersets import PublicReportFilter
from xiaoan.publicreports.models import PublicReport, PublicReportEvent
from xiaoan.publicreports.workflow import PUBLIC_REPORT


class PublicReportViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """群众举报：学校受理（登记为隐患）、不予受理或标记重复；上级单位查看。"""

    model = PublicReport
    serializer_class = s.PublicReportSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicReportFilter
    workflow = PUBLIC_REPORT
    workflow_response = s.PublicReportDetailSerializer
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "accept": "handle",
        "reject": "handle",
        "mark_duplicate": "handle",
    }

    def get_queryset(self):
        return (
            PublicReport.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .annotate(photo_count=Count("photos"))
            .order_by("-created_at", "-id")
        )

    def workflow_result(self, pk: int) -> Response:
        report = services.load(self.request.user, pk)
        report = (
            PublicReport.objects.filter(pk=report.pk)
            .select_related("unit", "hazard")
            .annotate(photo_count=Count("photos"))
            .prefetch_related(
                "photos", Prefetch("events", PublicReportEvent.objects.select_related("actor"))
            )
            .get()
        )
        data = s.PublicReportDetailSerializer(report, context={"request": self.request}).data
        return Response(data)

    @extend_schema(
        summary="群众举报列表", responses=with_errors({200: s.PublicReportSerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        services.audit_list(request.user, list(page.object_list) if page else [], "api")
        return response

    @extend_schema(
        summary="群众举报（含照片、处理记录和可执行动作）",
        responses=with_errors({200: s.PublicReportDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        pk = path_id(kwargs.get("pk"))
        services.audit_read(request.user, services.load(request.user, pk), "api")
        return self.workflow_result(pk)


class _Public(APIView):
    authentication_classes: list = []  # no account, no cookie: nothing to authenticate
    permission_classes = [AllowAny]
    throttle_classes: list = []  # the services' own limits (per address, per school)


class PublicFormView(_Public):
    @extend_schema(
        summary="公开举报：学校的举报表单（无需登录）",
        description="返回学校名称、问题类别和签名的 form_token；地址无效或已关闭时 404。",
        responses=with_errors({200: s.PublicFormSerializer}),
    )
    def get(self, request, token):
        channel = services.open_channel(token)
        return Response(
            {
                "school_name": channel.unit.name,
                "form_token": services.form_token(channel),
                "categories": {k: str(v) for k, v in ReportCategory.choices},
                "max_photos": services.MAX_PHOTOS,
            }
        )


class PublicSubmitView(_Public):
    parser_classes = [MultiPartParser, FormParser, BoundedJSONParser]

    @extend_schema(
        summary="公开举报：提交（无需登录，multipart）",
        description=(
            "照片字段 photos 可重复（最多 3 张）；website 须留空；form_token 取自表单接口，"
            "签发后须至少等待几秒。按网络地址和学校限流（429）。返回的回执码只显示一次。"
        ),
        request={"multipart/form-data": s.PublicSubmitSerializer},
        responses=with_errors({201: s.PublicReceiptSerializer, 429: ErrorSerializer}),
    )
    def post(self, request, token):
        services.open_channel(token)  # 404 before reading the body's mistakes
        data = validated(request, s.PublicSubmitSerializer)
        if not data.get("photos"):
            data["photos"] = request.FILES.getlist("photos[]")
        done = services.submit(token, address=client_ip(request) or "", **data)
        body = {
            "receipt": done.receipt,
            "number": done.report.number,
            "status_label": done.report.get_status_display(),
        }
        return Response(body, status=201, headers={"Cache-Control": "no-store"})


class PublicReceiptView(_Public):
    parser_classes = [BoundedJSONParser, FormParser]

    @extend_schema(
        summary="公开举报：按回执码查询处理进度（无需登录）",
        request=s.ReceiptQuerySerializer,
        responses=with_errors({200: s.ReceiptViewSerializer, 429: ErrorSerializer}),
    )
    def post(self, request):
        data = validated(request, s.ReceiptQuerySerializer)
        view = services.receipt(data["code"], address=client_ip(request) or "")
        return Response(s.ReceiptViewSerializer(view).data, headers={"Cache-Control": "no-store"})
