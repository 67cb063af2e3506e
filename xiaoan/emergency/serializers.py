from rest_framework import serializers

from xiaoan.accounts.models import User
from xiaoan.emergency.forms import PLAN_FIELDS, TEAM_FIELDS
from xiaoan.emergency.models import EmergencyPlan, EmergencyTeam, TeamMember, roster


class EmergencyPlanSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    subject = serializers.SerializerMethodField(
        help_text="在隐患、检查中引用本预案的写法，如 emergency_plans:12"
    )

    class Meta:
        model = EmergencyPlan
        fields = [
            "id",
            *PLAN_FIELDS,
            "unit_name",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["retired_at", "retire_reason", "created_at", "updated_at"]
        extra_kwargs = {"next_revision_on": {"help_text": "留空则为审批日期后三年"}}
        # Uniqueness and cross-field rules are the model's (full_clean in the service).
        validators: list = []

    def get_subject(self, obj) -> str:
        return f"emergency_plans:{obj.pk}"


class TeamMemberSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="本校用户的 id（可不填，只写姓名）",
    )
    name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text="不填时取所选用户的姓名"
    )

    class Meta:
        model = TeamMember
        fields = ["id", "user", "name", "post", "phone", "role"]
        read_only_fields = ["id"]
        validators: list = []


class EmergencyTeamSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    members = TeamMemberSerializer(
        many=True,
        required=False,
        help_text="队员名单（含队长，role=leader 至多一人）；提交时整体替换，不提交则不变",
    )
    size_rule = serializers.SerializerMethodField(help_text="配备要求：[最少, 最多] 人")
    subject = serializers.SerializerMethodField(
        help_text="在隐患、检查中引用本队伍的写法，如 emergency_teams:12"
    )

    class Meta:
        model = EmergencyTeam
        fields = [
            "id",
            *TEAM_FIELDS,
            "unit_name",
            "members",
            "leader_name",
            "member_count",
            "is_staffed",
            "size_rule",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "leader_name",
            "member_count",
            "is_staffed",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        validators: list = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["members"] = TeamMemberSerializer(roster(instance), many=True).data  # leader first
        return data

    def get_size_rule(self, obj) -> list[int]:
        return list(obj.size_rule)

    def get_subject(self, obj) -> str:
        return f"emergency_teams:{obj.pk}"
