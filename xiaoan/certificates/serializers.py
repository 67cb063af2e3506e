from rest_framework import serializers

from xiaoan.certificates.forms import FIELDS
from xiaoan.certificates.models import Certificate
from xiaoan.core.fields import mask, unmask


class MaskedIdField(serializers.CharField):
    """Read masked; a full number written in; the masked value sent back keeps it."""

    def to_representation(self, value):
        return mask(value) if value else ""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        instance = getattr(self.parent, "instance", None)
        return unmask(value, getattr(instance, "id_number", None)) or None


class CertificateSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    id_number = MaskedIdField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=18,
        help_text="身份证号：写入完整号码，读出为掩码（如 420702********1234）",
    )
    valid_today = serializers.SerializerMethodField(help_text="今天是否在有效期内")
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法")

    class Meta:
        model = Certificate
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "valid_today",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["retired_at", "retire_reason", "created_at", "updated_at"]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}
        validators: list = []

    def get_valid_today(self, obj) -> bool:
        from django.utils import timezone

        return obj.valid_on(timezone.localdate())

    def get_subject(self, obj) -> str:
        return f"certificates:{obj.pk}"
