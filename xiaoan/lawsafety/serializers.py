from rest_framework import serializers

from xiaoan.core.fields import mask, unmask
from xiaoan.lawsafety.choices import ActivityKind
from xiaoan.lawsafety.forms import COUNSELLOR_FIELDS, LVP_FIELDS, ROOM_FIELDS
from xiaoan.lawsafety.models import Counsellor, LegalActivity, LegalVicePrincipal, PoliceRoom


class MaskedPhoneField(serializers.CharField):
    """Read masked; a full number written in; the masked value sent back keeps it."""

    def to_representation(self, value):
        return mask(value) if value else ""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        instance = getattr(self.parent, "instance", None)
        return unmask(value, getattr(instance, "phone", None)) or None


class LegalActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalActivity
        fields = ["id", "held_on", "kind", "topic", "audience", "note", "created_at"]
        read_only_fields = ["id", "created_at"]


class ActivityInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text="活动日期，不晚于今天、不早于聘任日期")
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    topic = serializers.CharField(max_length=100)
    audience = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class LegalVicePrincipalSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    phone = MaskedPhoneField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=20,
        help_text="联系电话：写入完整号码，读出为掩码",
    )
    activities = serializers.SerializerMethodField(help_text="活动记录（最近的在前）")
    semester_activities = serializers.SerializerMethodField(help_text="本学期活动次数")
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法")

    class Meta:
        model = LegalVicePrincipal
        fields = [
            "id",
            *LVP_FIELDS,
            "unit_name",
            "last_activity_on",
            "semester_activities",
            "activities",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "last_activity_on",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        validators: list = []

    def get_activities(self, obj) -> list[dict]:
        return LegalActivitySerializer(obj.activities.all(), many=True).data

    def get_semester_activities(self, obj) -> int:
        from django.utils import timezone

        from xiaoan.lawsafety.rules import semester

        start, end = semester(timezone.localdate())
        return sum(1 for a in obj.activities.all() if start <= a.held_on <= end)

    def get_subject(self, obj) -> str:
        return f"legal_vice_principals:{obj.pk}"


class PoliceRoomSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法")

    class Meta:
        model = PoliceRoom
        fields = [
            "id",
            *ROOM_FIELDS,
            "unit_name",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["retired_at", "retire_reason", "created_at", "updated_at"]
        extra_kwargs = {"duty_hours": {"help_text": "如 7:00–19:00"}}
        validators: list = []

    def get_subject(self, obj) -> str:
        return f"police_rooms:{obj.pk}"


class CounsellorSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法")

    class Meta:
        model = Counsellor
        fields = [
            "id",
            *COUNSELLOR_FIELDS,
            "unit_name",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["retired_at", "retire_reason", "created_at", "updated_at"]
        extra_kwargs = {"code": {"help_text": "证书编号"}}
        validators: list = []

    def get_subject(self, obj) -> str:
        return f"counsellors:{obj.pk}"
