from rest_framework import serializers

from xiaoan.construction.forms import FIELDS
from xiaoan.construction.models import ConstructionProject


class ConstructionProjectSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = serializers.SerializerMethodField(
        help_text="按日期计算：planned 未开工，in_progress 施工中，finished 已完工"
    )
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法")

    class Meta:
        model = ConstructionProject
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "status",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["retired_at", "retire_reason", "created_at", "updated_at"]
        validators: list = []

    def get_status(self, obj) -> str:
        return obj.status

    def get_subject(self, obj) -> str:
        return f"construction_projects:{obj.pk}"
