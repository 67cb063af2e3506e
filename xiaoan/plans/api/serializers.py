"""Plan API shapes. Requests only parse and type-check; every rule lives in
`xiaoan.plans.services`."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xiaoan.core.ids import IdField
from xiaoan.plans.choices import REPORT_STATUS_CHOICES, DeadlineKind
from xiaoan.plans.deadlines import milestone_rows
from xiaoan.plans.models import (
    Assignment,
    AssignmentEvent,
    Evidence,
    Plan,
    PlanEvent,
    PlanPhase,
    ProgressReport,
    Task,
    TaskDeadline,
)


class PlanUnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PlanPhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanPhase
        fields = ["id", "seq", "name", "start_date", "end_date"]


class PlanSerializer(serializers.ModelSerializer):
    unit = PlanUnitRefSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    task_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "unit",
            "document_number",
            "start_date",
            "end_date",
            "status",
            "status_display",
            "progress_status",
            "progress",
            "task_count",
            "created_at",
        ]


class PlanEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", read_only=True, default=None)

    class Meta:
        model = PlanEvent
        fields = ["id", "action", "actor", "from_status", "to_status", "note", "created_at"]


class AllowedActionsMixin(serializers.Serializer):
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者现在可以执行的动作（POST 到同名路径）"
    )

    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(self.context.get("allowed_actions", ()))


class PlanDetailSerializer(AllowedActionsMixin, PlanSerializer):
    phases = PlanPhaseSerializer(many=True, read_only=True)
    events = PlanEventSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [
            *PlanSerializer.Meta.fields,
            "source_name",
            "phases",
            "version",
            "events",
            "allowed_actions",
        ]


class PlanCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="发文单位编号")
    title = serializers.CharField(max_length=200)
    document_number = serializers.CharField(max_length=60, required=False, default="")
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


class PlanUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)


class PlanDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskDeadline
        fields = ["id", "date", "label", "kind"]


class PlanMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    date = serializers.DateField()
    state = serializers.ChoiceField(
        choices=["met", "missed", "open"], help_text="met 已报送完成、missed 已逾期、open 未到期"
    )
    state_display = serializers.CharField()


class PlanTaskSerializer(serializers.ModelSerializer):
    deadlines = PlanDeadlineSerializer(many=True, read_only=True)
    lead_units = PlanUnitRefSerializer(many=True, read_only=True)
    responsible_units = PlanUnitRefSerializer(many=True, read_only=True)
    cooperating_units = PlanUnitRefSerializer(many=True, read_only=True)
    unit = PlanUnitRefSerializer(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "parent",
            "unit",
            "seq",
            "domain",
            "title",
            "content",
            "deadlines",
            "lead_units",
            "responsible_units",
            "cooperating_units",
            "all_below",
            "all_sections",
            "collective_text",
            "status",
            "progress",
            "due_on",
        ]


class PlanDeadlineInputSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, default=None)
    label = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    kind = serializers.ChoiceField(choices=DeadlineKind.choices, default=DeadlineKind.DATE)


class PlanTaskInputSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    seq = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    domain = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    title = serializers.CharField(max_length=300)
    content = serializers.CharField(required=False, default="", allow_blank=True)
    deadlines = PlanDeadlineInputSerializer(many=True, required=False, default=list)
    lead_units = serializers.ListField(child=IdField(), default=list)
    responsible_units = serializers.ListField(child=IdField(), default=list)
    cooperating_units = serializers.ListField(child=IdField(), default=list)
    all_below = serializers.BooleanField(default=False)
    all_sections = serializers.BooleanField(default=False)
    collective_text = serializers.CharField(
        max_length=300, required=False, default="", allow_blank=True
    )


class PlanEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "name", "size", "uploaded_at"]


class PlanReportSerializer(serializers.ModelSerializer):
    files = PlanEvidenceSerializer(many=True, read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, default=None)
    review_display = serializers.CharField(source="get_review_display", read_only=True)
    reviewed_by = serializers.CharField(
        source="reviewed_by.display_name", read_only=True, default=None
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "text",
            "status",
            "progress",
            "milestone",
            "author",
            "created_at",
            "files",
            "review",
            "review_display",
            "review_note",
            "reviewed_by",
            "reviewed_at",
        ]
        extra_kwargs = {
            "review": {
                "help_text": "noted 已报送、submitted 待审核、accepted 已通过、returned 已退回"
            },
            "review_note": {"help_text": "审核意见；退回时为退回理由"},
        }


class PlanAssignmentSerializer(serializers.ModelSerializer):
    unit = PlanUnitRefSerializer(read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    last_report = PlanReportSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "task",
            "task_title",
            "plan",
            "unit",
            "status",
            "progress",
            "due_on",
            "last_reported_at",
            "last_report",
        ]


class AssignmentEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", read_only=True, default=None)

    class Meta:
        model = AssignmentEvent
        fields = [
            "id",
            "action",
            "actor",
            "from_status",
            "to_status",
            "note",
            "data",
            "created_at",
        ]


class PlanAssignmentDetailSerializer(AllowedActionsMixin, PlanAssignmentSerializer):
    events = AssignmentEventSerializer(many=True, read_only=True)
    milestones = serializers.SerializerMethodField(
        help_text="任务的各个时间节点及本单位完成情况；due_on 是下一个未完成的节点"
    )
    reports = PlanReportSerializer(
        many=True, read_only=True, help_text="全部报送（新的在前），含各自的审核状态与退回理由"
    )

    class Meta(PlanAssignmentSerializer.Meta):
        fields = [
            *PlanAssignmentSerializer.Meta.fields,
            "milestones",
            "reports",
            "version",
            "events",
            "allowed_actions",
        ]

    @extend_schema_field(PlanMilestoneSerializer(many=True))
    def get_milestones(self, obj) -> list[dict]:
        return PlanMilestoneSerializer(milestone_rows(obj, timezone.localdate()), many=True).data


class PlanReportInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=REPORT_STATUS_CHOICES)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="佐证材料"
    )
    milestone = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="本次报送完成的时间节点编号（任务 deadlines 中带日期的一项）",
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="读取时的 version；已被他人改动时返回 409",
    )


# ---------------------------------------------------------------- workflow actions


class PlanVersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="读取时的 version；已被他人改动时返回 409",
    )


class PlanCloseSerializer(PlanVersionedSerializer):
    note = serializers.CharField(required=False, default="", allow_blank=True, help_text="说明")


class PlanReviewSerializer(PlanVersionedSerializer):
    note = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="审核意见；退回时必填（退回理由）"
    )


class PlanDecomposeSerializer(PlanVersionedSerializer):
    units = serializers.ListField(
        child=IdField(), required=False, default=list, help_text="本校处室编号；不填为全部处室"
    )
