from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xiaoan.core.ids import IdField
from xiaoan.drills.choices import CheckResult, DrillKind
from xiaoan.drills.models import Drill, DrillCheck, DrillEvent, DrillInvite


class DrillRoleSerializer(serializers.Serializer):
    role = serializers.CharField(max_length=50, help_text="职责，如 总指挥、疏散引导组")
    name = serializers.CharField(max_length=50, help_text="姓名")


class DrillSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    participation = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="实到占应到的百分比"
    )
    roles = DrillRoleSerializer(many=True, read_only=True)
    teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="参演队伍 id")

    class Meta:
        model = Drill
        fields = [
            "id", "number", "unit", "unit_name", "kind", "kind_label", "title", "planned_on",
            "scenario", "organiser", "roles", "teams", "expected_participants", "target_seconds",
            "status", "status_label", "version", "held_on", "started_at", "ended_at",
            "participants", "participation", "evacuation_seconds", "evaluated_at",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class DrillEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = DrillEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "note", "created_at"]  # fmt: skip


class DrillCheckSerializer(serializers.ModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", default=None)
    hazard_status = serializers.CharField(source="hazard.status", default=None)

    class Meta:
        model = DrillCheck
        fields = ["seq", "code", "text", "result", "note", "hazard", "hazard_number",
                  "hazard_status"]  # fmt: skip


class DrillObserverOutSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name")
    unit_name = serializers.CharField(source="user.unit.name", default=None)

    class Meta:
        model = DrillInvite
        fields = ["user", "name", "unit_name", "created_at"]


class DrillDetailSerializer(DrillSerializer):
    video_links = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    checks = DrillCheckSerializer(many=True, read_only=True)
    observers = DrillObserverOutSerializer(source="invites", many=True, read_only=True)
    events = DrillEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(DrillSerializer.Meta):
        fields = [
            *DrillSerializer.Meta.fields, "record_note", "video_links", "recorded_by",
            "recorded_at", "evaluation_summary", "evaluated_by", "photos", "checks",
            "observers", "events", "allowed_actions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_video_links(self, obj) -> list[str]:
        return obj.links

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_photos(self, obj) -> list[str]:
        return [reverse("drills:drill_photo", args=[obj.pk, p.pk]) for p in obj.photos.all()]

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.drills.workflow import DRILL

        request = self.context.get("request")
        return sorted(DRILL.allowed_names(request.user, obj)) if request else []


class _Plan(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DrillKind.choices, help_text="演练类型")
    planned_on = serializers.DateField(help_text="计划日期")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    scenario = serializers.CharField(required=False, allow_blank=True, default="")
    organiser = serializers.CharField(max_length=50, help_text="总指挥/组织者")
    roles = DrillRoleSerializer(many=True, required=False, default=list)
    expected_participants = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=100_000,
        help_text="应参加人数；不填则为在校学生数与教职工数之和",
    )  # fmt: skip
    target_seconds = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=86_400
    )
    teams = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        allow_null=True,
        default=None,
        max_length=50,
        help_text="参演的本校应急队伍 id（义务消防队、应急救援队）；更新时不传则不变",
    )


class DrillPlanSerializer(_Plan):
    unit = IdField(help_text="单位 id")


class DrillPlanUpdateSerializer(_Plan):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="读取时的 version；不符时 409"
    )


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="读取时的 version；不符时 409"
    )


class DrillRecordSerializer(_Versioned):
    started_at = serializers.DateTimeField(help_text="开始时间")
    ended_at = serializers.DateTimeField(help_text="结束时间")
    participants = serializers.IntegerField(min_value=0, max_value=100_000)
    evacuation_seconds = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=86_400
    )
    video_links = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="视频链接，每行一条"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DrillRecordUploadSerializer(DrillRecordSerializer):
    photos = serializers.ListField(
        child=serializers.ImageField(), required=False, default=list, help_text="现场照片"
    )


class DrillCheckInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30, help_text="评估项代码（见评估表）")
    result = serializers.ChoiceField(choices=CheckResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DrillEvaluateSerializer(_Versioned):
    results = DrillCheckInputSerializer(many=True)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class DrillObserverSerializer(_Versioned):
    user = IdField(help_text="观摩人（用户 id）")


class DrillNoteSerializer(_Versioned):
    note = serializers.CharField(help_text="原因")


class DrillChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
