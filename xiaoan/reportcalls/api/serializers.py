from rest_framework import serializers

from xiaoan.core.ids import IdField
from xiaoan.reportcalls.choices import CallTargets, ReportKind
from xiaoan.reportcalls.models import Report, ReportCall, ReportEvent


class ReportCallSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ReportCall
        fields = [
            "id", "number", "unit", "unit_name", "kind", "kind_label", "title", "topic",
            "period_start", "period_end", "due_on", "instructions", "targets", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReturnRowSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    status_label = serializers.CharField(source="get_status_display")
    overdue = serializers.BooleanField()

    class Meta:
        model = Report
        fields = ["id", "unit", "unit_name", "status", "status_label", "submitted_at",
                  "return_reason", "overdue"]  # fmt: skip


class TallySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    drafting = serializers.IntegerField()
    submitted = serializers.IntegerField()
    returned = serializers.IntegerField()
    accepted = serializers.IntegerField()
    overdue = serializers.IntegerField()


class ReportCallDetailSerializer(ReportCallSerializer):
    returns = ReturnRowSerializer(many=True)
    tally = TallySerializer()

    class Meta(ReportCallSerializer.Meta):
        fields = [*ReportCallSerializer.Meta.fields, "returns", "tally"]
        read_only_fields = fields


class ReportCallIssueSerializer(serializers.Serializer):
    unit = IdField(help_text="发文单位（教育行政部门）id")
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    title = serializers.CharField(max_length=200)
    topic = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_on = serializers.DateField()
    instructions = serializers.CharField(required=False, allow_blank=True, default="")
    targets = serializers.ChoiceField(
        choices=CallTargets.choices, required=False, default=CallTargets.CHILDREN
    )


class ReportEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = ReportEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "note", "created_at"]  # fmt: skip


class FigureTableSerializer(serializers.Serializer):
    key = serializers.CharField(required=False, help_text="hazards, inspections, duties, …")
    title = serializers.CharField()
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class FiguresSerializer(serializers.Serializer):
    as_of = serializers.CharField(required=False, help_text="生成日期")
    period = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="报告期起止（YYYY-MM-DD）"
    )
    tables = FigureTableSerializer(many=True, required=False)
    sentences = serializers.ListField(child=serializers.CharField(), required=False)


class SectionsSerializer(serializers.Serializer):
    work = serializers.CharField(required=False, allow_blank=True, help_text="工作开展情况")
    problems = serializers.CharField(required=False, allow_blank=True, help_text="存在问题")
    next_steps = serializers.CharField(required=False, allow_blank=True, help_text="下一步打算")


class ReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    call_title = serializers.CharField(source="call.title", read_only=True)
    due_on = serializers.DateField(source="call.due_on", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id", "call", "call_title", "unit", "unit_name", "number", "status",
            "status_label", "version", "due_on", "submitted_at", "return_reason",
        ]  # fmt: skip
        read_only_fields = fields


class ReportDetailSerializer(ReportSerializer):
    figures = FiguresSerializer(read_only=True)
    sections = SectionsSerializer(read_only=True)
    events = ReportEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "figures", "sections", "events",
                  "allowed_actions", "files"]  # fmt: skip
        read_only_fields = fields

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.reportcalls.workflow import REPORT

        request = self.context.get("request")
        return sorted(REPORT.allowed_names(request.user, obj)) if request else []

    def get_files(self, obj) -> dict[str, str]:
        from django.urls import reverse

        return {
            "docx": reverse("api:report-docx", args=[obj.pk]),
            "pdf": reverse("api:report-pdf", args=[obj.pk]),
        }


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="读取时的 version；不符时 409"
    )


class ReportEditSerializer(_Versioned):
    sections = SectionsSerializer(required=False, help_text="正文各部分（只改给出的部分）")
    number = serializers.CharField(max_length=60, required=False, allow_blank=True)


class ReportVersionSerializer(_Versioned):
    pass


class ReportNoteSerializer(_Versioned):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="意见")


class ReportReasonSerializer(_Versioned):
    note = serializers.CharField(help_text="退回原因")
