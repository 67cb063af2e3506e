from __future__ import annotations

from rest_framework import serializers

from xiaoan.studentcases import deadlines
from xiaoan.studentcases.choices import CaseCategory
from xiaoan.studentcases.models import (
    BullyingCase,
    BullyingEvent,
    ConflictScreening,
    FollowUp,
    StudentCase,
)


class FollowUpSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "author", "author_name", "text", "created_at"]
        read_only_fields = fields


class StudentCaseSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    responsible_name = serializers.CharField(source="responsible.display_name", read_only=True)

    class Meta:
        model = StudentCase
        fields = [
            "id", "number", "unit", "unit_name", "category", "category_label", "student_name",
            "class_name", "responsible", "responsible_name", "status", "status_label",
            "version", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class StudentCaseDetailSerializer(StudentCaseSerializer):
    followups = FollowUpSerializer(many=True, read_only=True)

    class Meta(StudentCaseSerializer.Meta):
        fields = [
            *StudentCaseSerializer.Meta.fields, "guardian_contact", "situation", "recorded_by",
            "closed_at", "close_note", "followups",
        ]  # fmt: skip
        read_only_fields = fields


class StudentCaseCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1, help_text="学校 id")
    category = serializers.ChoiceField(choices=CaseCategory.choices)
    student_name = serializers.CharField(max_length=50)
    class_name = serializers.CharField(max_length=50)
    guardian_contact = serializers.CharField(max_length=100, required=False, allow_blank=True)
    situation = serializers.CharField(max_length=2000)
    responsible = serializers.IntegerField(min_value=1, help_text="包保责任人（本校教职工）id")


class FollowUpCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class CloseSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False)
    note = serializers.CharField(max_length=500)


class SchoolCountSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    open = serializers.IntegerField()
    closed = serializers.IntegerField()
    by_category = serializers.DictField(child=serializers.IntegerField())
    bullying_open = serializers.IntegerField()


# ---------------------------------------------------------------- bullying


class BullyingEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = BullyingEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "data", "created_at"]  # fmt: skip


class BullyingCaseSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    due_on = serializers.SerializerMethodField(help_text="当前步骤的期限")
    days_left = serializers.SerializerMethodField(help_text="剩余天数，负数为已超期")

    class Meta:
        model = BullyingCase
        fields = [
            "id", "number", "unit", "unit_name", "case", "reported_on", "victim_name",
            "accused_names", "responsible", "status", "status_label", "version", "due_on",
            "days_left", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_due_on(self, obj) -> str | None:
        c = deadlines.clock(obj)
        return c.due_on.isoformat() if c else None

    def get_days_left(self, obj) -> int | None:
        c = deadlines.clock(obj)
        return c.days_left if c else None


class BullyingCaseDetailSerializer(BullyingCaseSerializer):
    events = BullyingEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(BullyingCaseSerializer.Meta):
        fields = [
            *BullyingCaseSerializer.Meta.fields, "description", "recorded_by", "is_bullying",
            "determined_on", "determination", "review_requested_on", "reviewed_on",
            "review_result", "reexam_requested_on", "reexamined_on", "reexam_result", "events",
            "allowed_actions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.studentcases.workflow import BULLYING

        return sorted(BULLYING.allowed_names(self.context["request"].user, obj))


class BullyingCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1, help_text="学校 id")
    reported_on = serializers.DateField()
    victim_name = serializers.CharField(max_length=50)
    accused_names = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000)
    responsible = serializers.IntegerField(min_value=1)
    case = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class DetermineSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False)
    is_bullying = serializers.BooleanField()
    determination = serializers.CharField(max_length=2000)
    on = serializers.DateField(required=False, allow_null=True)


class RequestSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False)
    on = serializers.DateField(required=False, allow_null=True)


class ResultSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False)
    result = serializers.CharField(max_length=2000)
    on = serializers.DateField(required=False, allow_null=True)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False)


# ---------------------------------------------------------------- screenings


class ScreeningSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="__str__", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    case_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ConflictScreening
        fields = ["id", "number", "unit", "unit_name", "semester", "screened_on", "summary",
                  "case_count", "created_at"]  # fmt: skip
        read_only_fields = fields


class ScreeningCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    semester = serializers.CharField(max_length=30)
    screened_on = serializers.DateField()
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    cases = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=500
    )
