from rest_framework import serializers

from xiaoan.events.forms import FIELDS
from xiaoan.events.models import Event


class LargeEventSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    signed_off_by_name = serializers.SerializerMethodField(help_text="签批人姓名")
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法")

    class Meta:
        model = Event
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "signed_off_at",
            "signed_off_by",
            "signed_off_by_name",
            "signoff_note",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "signed_off_at",
            "signed_off_by",
            "signoff_note",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        validators: list = []

    def get_signed_off_by_name(self, obj) -> str:
        person = obj.signed_off_by
        return (person.name or person.username) if person else ""

    def get_subject(self, obj) -> str:
        return f"events:{obj.pk}"


class SignOffSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="签批意见"
    )
