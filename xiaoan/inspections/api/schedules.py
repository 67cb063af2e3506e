"""/api/inspection-schedules/ and /api/unannounced-draws/.

Views only parse requests and call `xiaoan.inspections.schedules`: outside the caller's scope
404, without the right 403, bad input 400. Schedules and draws reuse the inspection
permissions: view_inspection to read, add_inspection to create and generate."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.views import validated, with_errors
from xiaoan.core.errors import Forbidden
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.inspections import schedules
from xiaoan.inspections.choices import InspectionKind, Recurrence, ScheduleTarget
from xiaoan.inspections.models import InspectionSchedule, UnannouncedDraw
from xiaoan.orgs.choices import UnitKind


class ScheduleSerializer(serializers.ModelSerializer):
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    checklist_name = serializers.CharField(source="checklist.name", read_only=True)
    units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = InspectionSchedule
        fields = [
            "id",
            "name",
            "kind",
            "checklist",
            "checklist_name",
            "organiser",
            "organiser_name",
            "target",
            "target_kind",
            "units",
            "recurrence",
            "day",
            "days_allowed",
            "is_active",
            "created_at",
        ]


class ScheduleInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=InspectionKind.choices, help_text="暗访请用随机抽取")
    checklist = serializers.IntegerField(help_text="检查表 id（生成时使用其当前版本）")
    organiser = serializers.IntegerField(help_text="组织单位 id")
    target = serializers.ChoiceField(choices=ScheduleTarget.choices, default="schools")
    target_kind = serializers.ChoiceField(
        choices=UnitKind.choices, required=False, allow_blank=True, default=""
    )
    units = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="指定单位 id"
    )
    recurrence = serializers.ChoiceField(choices=Recurrence.choices)
    day = serializers.IntegerField(min_value=1, max_value=184, default=1)
    days_allowed = serializers.IntegerField(min_value=1, max_value=366, default=20)
    is_active = serializers.BooleanField(default=True)


class GenerateInputSerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="按该日期所在周期生成，默认今天"
    )


class GeneratedSerializer(serializers.Serializer):
    schedule = serializers.IntegerField()
    name = serializers.CharField()
    period = serializers.CharField(allow_null=True, help_text="周期，如 2026-03、2026-Q1")
    targets = serializers.IntegerField(help_text="检查对象单位数")
    created = serializers.IntegerField(help_text="本次新生成的检查数（重复生成为 0）")
    skipped = serializers.CharField(help_text="未生成的原因")


class ActiveInputSerializer(serializers.Serializer):
    is_active = serializers.BooleanField(help_text="false：停用（不再生成）；true：启用")


class DefaultsInputSerializer(serializers.Serializer):
    organiser = serializers.IntegerField(help_text="组织单位 id（其下全部学校）")


class DrawSerializer(serializers.ModelSerializer):
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True)
    verified = serializers.SerializerMethodField(
        help_text="按记录的候选单位和种子重新抽取，结果是否一致"
    )
    inspections = serializers.SerializerMethodField(help_text="抽中单位的暗访检查 id")

    class Meta:
        model = UnannouncedDraw
        fields = [
            "id",
            "title",
            "organiser",
            "organiser_name",
            "population",
            "count",
            "seed",
            "picked",
            "checklist",
            "scheduled_on",
            "due_on",
            "created_by",
            "created_by_name",
            "created_at",
            "verified",
            "inspections",
        ]

    def get_verified(self, obj) -> bool:
        return schedules.verify(obj).ok

    def get_inspections(self, obj) -> list[int]:
        return list(schedules.draw_inspections(obj).values_list("pk", flat=True))


class DrawInputSerializer(serializers.Serializer):
    organiser = serializers.IntegerField(help_text="组织单位 id（从其下级中抽取）")
    count = serializers.IntegerField(min_value=1, help_text="抽取数量")
    checklist = serializers.IntegerField(help_text="检查表 id")
    seed = serializers.IntegerField(
        min_value=0,
        max_value=schedules.MAX_SEED,
        required=False,
        allow_null=True,
        default=None,
        help_text="随机种子；留空随机生成",
    )
    unit_kind = serializers.ChoiceField(choices=UnitKind.choices, default="school")
    scheduled_on = serializers.DateField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class _Permitted:
    """403 when the permission is held nowhere at all (before any lookup)."""

    read_actions = ("list", "retrieve")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        perm = "view" if self.action in self.read_actions else "add"  # type: ignore[attr-defined]
        if not has_permission_anywhere(request.user, f"inspections.{perm}_inspection"):
            raise Forbidden()


class ScheduleViewSet(
    _Permitted, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Recurring inspection plans kept by units in the caller's scope."""

    serializer_class = ScheduleSerializer
    filter_backends: list = []

    def get_queryset(self):
        return (
            schedules.schedules_for(self.request.user)
            .select_related("organiser", "checklist")
            .prefetch_related("units")
            .order_by("pk")
        )

    @extend_schema(
        summary="检查计划列表", responses=with_errors({200: ScheduleSerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="检查计划", responses=with_errors({200: ScheduleSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="新建检查计划",
        request=ScheduleInputSerializer,
        responses=with_errors({201: ScheduleSerializer}),
    )
    def create(self, request):
        schedule = schedules.create_schedule(
            request.user, **validated(request, ScheduleInputSerializer)
        )
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="立即生成本期检查（重复生成不会重复创建）",
        request=GenerateInputSerializer,
        responses=with_errors({200: GeneratedSerializer}),
    )
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        day = validated(request, GenerateInputSerializer)["date"]
        result = schedules.generate_now(request.user, pk, day)
        return Response(GeneratedSerializer(result.as_dict()).data)

    @extend_schema(
        summary="停用或启用检查计划",
        request=ActiveInputSerializer,
        responses=with_errors({200: ScheduleSerializer}),
    )
    @action(detail=True, methods=["post"])
    def active(self, request, pk=None):
        active = validated(request, ActiveInputSerializer)["is_active"]
        schedule = schedules.set_active(request.user, pk, active)
        return Response(ScheduleSerializer(schedule).data)

    @extend_schema(
        summary="一键创建常用检查计划（每月自查、每季度主要负责人带队检查、每两月督查、每学期专家评估、每年两轮全覆盖检查）",
        request=DefaultsInputSerializer,
        responses=with_errors({201: ScheduleSerializer(many=True)}),
    )
    @action(detail=False, methods=["post"])
    def defaults(self, request):
        organiser = validated(request, DefaultsInputSerializer)["organiser"]
        made = schedules.create_default_schedules(request.user, organiser)
        return Response(ScheduleSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


class DrawViewSet(
    _Permitted, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Unannounced draws (暗访抽取) organised by units in the caller's scope."""

    serializer_class = DrawSerializer
    filter_backends: list = []

    def get_queryset(self):
        return schedules.draws_for(self.request.user).select_related("organiser", "created_by")

    @extend_schema(summary="暗访抽取记录", responses=with_errors({200: DrawSerializer(many=True)}))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="暗访抽取（含复核结果）", responses=with_errors({200: DrawSerializer}))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="随机抽取单位并安排暗访",
        description=(
            "从组织单位下级中按 random.Random(seed).sample(按 id 排序的候选单位, count) 抽取，"
            "候选单位与种子一并记录，可复核。抽中单位在暗访提交前看不到该检查。"
        ),
        request=DrawInputSerializer,
        responses=with_errors({201: DrawSerializer}),
    )
    def create(self, request):
        draw = schedules.create_draw(request.user, **validated(request, DrawInputSerializer))
        return Response(DrawSerializer(draw).data, status=status.HTTP_201_CREATED)
