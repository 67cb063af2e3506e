from rest_framework import serializers

from xiaoan.buildings.forms import FIELDS
from xiaoan.buildings.models import BuildingFile
from xiaoan.core.registers import token_for


class BuildingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    place_name = serializers.CharField(
        source="place.full_name", read_only=True, default=None, allow_null=True
    )
    subject = serializers.SerializerMethodField(
        help_text="在隐患、检查中引用本楼栋的写法，如 buildings:12"
    )

    class Meta:
        model = BuildingFile
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "place_name",
            "is_high_rise",
            "danger_hazard",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "is_high_rise",
            "danger_hazard",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        # Uniqueness and cross-field rules are the model's (full_clean in the service).
        validators: list = []

    def get_subject(self, obj) -> str:
        return f"buildings:{obj.pk}"


__all__ = ["BuildingSerializer", "token_for"]
