"""/api/report-calls/: the calls an authority issued (list, issue, one call with its returns
side by side, the returns exported together) and /api/reports/: a unit's reports (list, one
report with its figures, sections and history, PATCH the draft, the workflow's steps:
refresh, submit, accept, return) and each report as .docx and PDF."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.audit.files import file_served
from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.pdf import PDF
from xiaoan.core.views import attachment
from xiaoan.reportcalls import documents, services
from xiaoan.reportcalls.api import serializers as s
from xiaoan.reportcalls.choices import OPEN_STATUSES, ReportStatus
from xiaoan.reportcalls.models import Report, ReportCall
from xiaoan.reportcalls.workflow import REPORT

FILE = OpenApiResponse(OpenApiTypes.BINARY, description="文件")


def call_detail(call: ReportCall) -> dict:
    today = timezone.localdate()
    rows = list(services.returns_of(call))
    for row in rows:
        row.overdue = row.is_open and call.due_on < today
    data = s.ReportCallSerializer(call).data
    data["returns"] = s.ReturnRowSerializer(rows, many=True).data
    data["tally"] = services.tally(call, today)
    return data


class ReportCallViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """报告征集：教育行政部门向下级单位征集半年/年度/三年行动总结、阶段报告和安全专报。"""

    model = ReportCall
    serializer_class = s.ReportCallSerializer
    action_permission = {**ScopedViewSetMixin.action_permission, "export": "view"}

    def get_queryset(self):
        return (
            ReportCall.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .order_by("-due_on", "-id")
        )

    @extend_schema(
        summary="报告征集列表", responses=with_errors({200: s.ReportCallSerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="报告征集（含各单位报送情况）",
        responses=with_errors({200: s.ReportCallDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        call = services.load_call(request.user, path_id(kwargs.get("pk")))
        return Response(call_detail(call))

    @extend_schema(
        summary="下发报告征集（为每个报送单位生成草稿）",
        request=s.ReportCallIssueSerializer,
        responses=with_errors({201: s.ReportCallDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, s.ReportCallIssueSerializer)
        call = services.issue(request.user, **data)
        return Response(call_detail(call), status=201)

    @extend_schema(
        summary="导出已报送的材料（combined：合并的 Word；zip：每单位一个 Word）",
        parameters=[
            OpenApiParameter("as", OpenApiTypes.STR, enum=["combined", "zip"], required=False)
        ],
        responses=with_errors({200: FILE}),
    )
    @action(detail=True, methods=["get"], url_path="export")
    def export(self, request, pk=None):
        call = services.load_call(request.user, path_id(pk))
        return export_response(call, request.query_params.get("as", "combined"))


def export_response(call: ReportCall, fmt: str) -> HttpResponse:
    from xiaoan.core.errors import Invalid

    reports = list(
        call.reports.select_related("unit", "call__unit").exclude(status=ReportStatus.DRAFTING)
    )
    if fmt == "zip":
        name = f"{call.title}.zip"
        data, content_type = documents.returns_zip(reports), documents.ZIP
    elif fmt == "combined":
        name = f"{call.title}.docx"
        data, content_type = documents.combined_docx(reports), documents.DOCX
    else:
        raise Invalid(fields={"as": ["combined / zip"]})
    file_served("export", "report-call", obj=call, filename=name)
    return attachment(data, content_type, name)


class ReportViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """上报材料：本单位起草（数据自动生成、正文填写）、报送，发文单位采用或退回。"""

    model = Report
    serializer_class = s.ReportSerializer
    workflow = REPORT
    workflow_response = s.ReportDetailSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "docx": "view",
        "pdf": "view",
        "refresh": "change",
        "submit": "submit",
        "accept": "accept",
        "return_report": "accept",
    }

    def get_queryset(self):
        rows = (
            Report.objects.restrict(self.request.user, "view")
            .select_related("unit", "call")
            .order_by("call__due_on", "unit__path", "id")
        )
        params = self.request.query_params
        if self.action == "list":
            if params.get("call", "").isdigit() and len(params["call"]) < 19:
                rows = rows.filter(call_id=int(params["call"]))
            if params.get("status") in ReportStatus.values:
                rows = rows.filter(status=params["status"])
            if params.get("open") == "1":
                rows = rows.filter(status__in=OPEN_STATUSES)
            if params.get("overdue") == "1":
                rows = rows.filter(
                    Q(status__in=OPEN_STATUSES) & Q(call__due_on__lt=timezone.localdate())
                )
        return rows

    def workflow_result(self, pk: int) -> Response:
        report = services.load(self.request.user, pk)
        report = (
            Report.objects.filter(pk=report.pk)
            .select_related("unit", "call__unit")
            .prefetch_related("events__actor")
            .get()
        )
        return Response(s.ReportDetailSerializer(report, context={"request": self.request}).data)

    @extend_schema(
        summary="上报材料列表",
        parameters=[
            OpenApiParameter("call", OpenApiTypes.INT, required=False),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ReportStatus.values, required=False),
            OpenApiParameter("open", OpenApiTypes.STR, enum=["1"], required=False),
            OpenApiParameter("overdue", OpenApiTypes.STR, enum=["1"], required=False),
        ],
        responses=with_errors({200: s.ReportSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="上报材料（含数据、正文、历史和可执行动作）",
        responses=with_errors({200: s.ReportDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(path_id(kwargs.get("pk")))

    @extend_schema(
        summary="修改草稿（正文各部分、文号；退回的材料修改后回到起草中）",
        request=s.ReportEditSerializer,
        responses=with_errors({200: s.ReportDetailSerializer}),
    )
    def partial_update(self, request, *args, **kwargs):
        record = path_id(kwargs.get("pk"))
        data = validated(request, s.ReportEditSerializer)
        if "sections" in data:
            data["sections"] = dict(data["sections"])
        services.edit(request.user, record, **data)
        return self.workflow_result(record)

    @extend_schema(summary="下载 Word 文件（.docx）", responses=with_errors({200: FILE}))
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        report = services.load(request.user, path_id(pk))
        name = documents.file_name(report, "docx")
        file_served("export", "report", obj=report, filename=name)
        return attachment(documents.report_docx(report), documents.DOCX, name)

    @extend_schema(summary="下载 PDF", responses=with_errors({200: FILE}))
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        report = services.load(request.user, path_id(pk))
        name = documents.file_name(report, "pdf")
        file_served("export", "report", obj=report, filename=name)
        return attachment(documents.report_pdf(report), PDF, name)
