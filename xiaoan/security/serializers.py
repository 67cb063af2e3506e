from rest_framework import serializers

from xiaoan.security.choices import Measure
from xiaoan.security.forms import FIELDS
from xiaoan.security.models import SecurityPosture, SecurityPostureEvent


class SecurityPostureEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = SecurityPostureEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "note", "created_at"]  # fmt: skip


class SecurityPostureSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    measures = serializers.MultipleChoiceField(
        choices=Measure.choices, required=False, help_text="七防措施（可多选）"
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    guards_met = serializers.BooleanField(read_only=True, help_text="专职保安达到应配人数")
    meets_all = serializers.BooleanField(read_only=True, help_text="四个100%全部落实")
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法")

    class Meta:
        model = SecurityPosture
        fields = [
            "id",
            "name",
            *FIELDS,
            "unit_name",
            "guards_required",
            "guards_met",
            "meets_all",
            "status",
            "status_label",
            "version",
            "submitted_by",
            "submitted_at",
            "verified_by",
            "verified_at",
            "return_reason",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "name", "guards_required", "status", "version", "submitted_by", "submitted_at",
            "verified_by", "verified_at", "return_reason", "retired_at", "retire_reason",
            "created_at", "updated_at",
        ]  # fmt: skip
        validators: list = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["measures"] = [m for m in Measure.values if m in set(instance.measures or [])]
        return data

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "measures" in values:
            values["measures"] = sorted(values["measures"], key=Measure.values.index)
        return values

    def get_subject(self, obj) -> str:
        return f"security_postures:{obj.pk}"


class SecurityPostureDetailSerializer(SecurityPostureSerializer):
    events = SecurityPostureEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(SecurityPostureSerializer.Meta):
        fields = [*SecurityPostureSerializer.Meta.fields, "events", "allowed_actions"]

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.security.workflow import POSTURE

        request = self.context.get("request")
        return sorted(POSTURE.allowed_names(request.user, obj)) if request else []


class PostureNoteSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="读取时的 version；不符时 409"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PostureReturnSerializer(PostureNoteSerializer):
    note = serializers.CharField(help_text="退回理由")
