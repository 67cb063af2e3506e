"""/api/duties/, /api/obligations/ (+ record) and /api/obligations/overview/.

Views only parse requests and call `xiaoan.duties.services`: outside the caller's scope 404,
without the right 403, bad input 400."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import with_errors
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.ids import parse_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.duties import overview, services
from xiaoan.duties.choices import (
    DueRule,
    DutyRecurrence,
    DutyTarget,
    ObligationStatus,
    ProofKind,
    RecordKind,
)
from xiaoan.duties.models import Duty, DutyRecord, Obligation
from xiaoan.inspections.choices import InspectionKind
from xiaoan.orgs.choices import UnitKind

# ---------------------------------------------------------------- serializers


class DutySerializer(serializers.ModelSerializer):
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)

    class Meta:
        model = Duty
        fields = [
            "id",
            "name",
            "description",
            "issuer",
            "issuer_name",
            "target",
            "target_kind",
            "recurrence",
            "due_rule",
            "due_days",
            "due_dates",
            "required_count",
            "proof",
            "inspection_kind",
            "record_kind",
            "source_ref",
            "task",
            "starts_on",
            "ends_on",
            "builtin_code",
            "is_active",
            "created_at",
        ]


class DutyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    issuer = serializers.IntegerField(help_text="发布单位 id")
    target = serializers.ChoiceField(choices=DutyTarget.choices, default=DutyTarget.SCHOOLS)
    target_kind = serializers.ChoiceField(
        choices=UnitKind.choices, required=False, allow_blank=True, default=""
    )
    recurrence = serializers.ChoiceField(choices=DutyRecurrence.choices)
    due_rule = serializers.ChoiceField(choices=DueRule.choices, default=DueRule.PERIOD_END)
    due_days = serializers.IntegerField(min_value=0, max_value=366, default=0)
    due_dates = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, help_text="如 06-30,12-31"
    )
    required_count = serializers.IntegerField(min_value=1, max_value=100, default=1)
    proof = serializers.ChoiceField(choices=ProofKind.choices)
    inspection_kind = serializers.ChoiceField(
        choices=InspectionKind.choices, required=False, allow_blank=True, default=""
    )
    record_kind = serializers.ChoiceField(
        choices=RecordKind.choices, required=False, allow_blank=True, default=""
    )
    source_ref = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    task = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="来源方案任务 id（可选）"
    )
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(default=True)


class BuiltinInputSerializer(serializers.Serializer):
    issuer = serializers.IntegerField(help_text="发布单位 id（其下全部学校）")


class RecordSerializer(serializers.ModelSerializer):
    submitted_by_name = serializers.CharField(source="submitted_by.display_name", read_only=True)
    evidence_url = serializers.SerializerMethodField(help_text="佐证材料下载地址")

    class Meta:
        model = DutyRecord
        fields = [
            "id",
            "kind",
            "note",
            "evidence_name",
            "evidence_url",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
        ]

    def get_evidence_url(self, obj) -> str:
        return reverse("duties:record_file", args=[obj.pk])


class ObligationSerializer(serializers.ModelSerializer):
    duty_name = serializers.CharField(source="duty.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    proof = serializers.CharField(source="duty.proof", read_only=True)

    class Meta:
        model = Obligation
        fields = [
            "id",
            "duty",
            "duty_name",
            "unit",
            "unit_name",
            "period_key",
            "period_label",
            "period_start",
            "period_end",
            "due_on",
            "required_count",
            "status",
            "met_at",
            "met_by",
            "proof",
        ]


class ObligationDetailSerializer(ObligationSerializer):
    records = RecordSerializer(many=True, read_only=True)

    class Meta(ObligationSerializer.Meta):
        fields = [*ObligationSerializer.Meta.fields, "records"]


class RecordInputSerializer(serializers.Serializer):
    evidence = serializers.FileField(help_text="佐证材料（PDF、Word、Excel、图片、压缩包，≤20 MB）")
    kind = serializers.ChoiceField(
        choices=RecordKind.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CountsSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    pending = serializers.IntegerField()
    missed = serializers.IntegerField()


class CellSerializer(CountsSerializer):
    duty = serializers.IntegerField()


class OverviewRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    totals = CountsSerializer()
    cells = CellSerializer(many=True, help_text="该单位各项任务的应办事项数（按状态）")


class OverviewDutySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OverviewSerializer(serializers.Serializer):
    period = serializers.CharField()
    period_label = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    unit = serializers.IntegerField(allow_null=True)
    duties = OverviewDutySerializer(many=True)
    totals = CountsSerializer()
    rows = OverviewRowSerializer(many=True, help_text="按单位树顺序")


# ---------------------------------------------------------------- views


def _require(user, perm: str) -> None:
    if not has_permission_anywhere(user, perm):
        raise Forbidden()


class DutyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Recurring duties issued in the caller's scope or above it."""

    serializer_class = DutySerializer
    filter_backends: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        read = self.action in ("list", "retrieve")
        _require(request.user, "duties.view_duty" if read else "duties.add_duty")

    def get_queryset(self):
        return services.duties_for(self.request.user).select_related("issuer").order_by("pk")

    @extend_schema(
        summary="常态化任务列表", responses=with_errors({200: DutySerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="常态化任务", responses=with_errors({200: DutySerializer}))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="发布常态化任务",
        request=DutyInputSerializer,
        responses=with_errors({201: DutySerializer}),
    )
    def create(self, request):
        data = DutyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        duty = services.create_duty(request.user, **data.validated_data)
        return Response(DutySerializer(duty).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="一键创建方案规定的常态化任务（已有的不重复创建）",
        request=BuiltinInputSerializer,
        responses=with_errors({201: DutySerializer(many=True)}),
    )
    @action(detail=False, methods=["post"])
    def builtin(self, request):
        data = BuiltinInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.create_builtin_duties(request.user, data.validated_data["issuer"])
        return Response(DutySerializer(made, many=True).data, status=status.HTTP_201_CREATED)


PERIOD_PARAM = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    description="完成时限所在周期：2026、2026-03、2026-Q1、2026-H1、2026-B2、2026-spring、2026-autumn",
)


class ObligationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Obligations of the units in the caller's scope."""

    serializer_class = ObligationSerializer
    filter_backends: list = []
    parser_classes = upload_parsers()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        read = self.action in ("list", "retrieve")
        _require(request.user, services.VIEW_OBLIGATION if read else services.REPORT_OBLIGATION)

    def get_queryset(self):
        query = services.obligations_for(self.request.user).select_related("duty", "unit")
        if self.action == "retrieve":
            return query.prefetch_related("records__submitted_by")
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
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="报送记录（演练记录、总结、阶段报告等，附佐证材料）",
        request={"multipart/form-data": RecordInputSerializer},
        responses=with_errors({201: ObligationDetailSerializer}),
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        data = RecordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.submit_record(request.user, pk, **data.validated_data)
        ob = services.load_obligation(request.user, pk)
        return Response(ObligationDetailSerializer(ob).data, status=status.HTTP_201_CREATED)


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
        _require(request.user, services.VIEW_OBLIGATION)
        report = overview.overview(
            request.user, request.query_params.get("period"), request.query_params.get("unit")
        )
        return Response(OverviewSerializer(report.as_dict()).data)
