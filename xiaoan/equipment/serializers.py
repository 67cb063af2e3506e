from rest_framework import serializers

from xiaoan.equipment.forms import FIELDS
from xiaoan.equipment.models import Equipment


class OperatorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=30, help_text="姓名")
    certificate = serializers.CharField(
        max_length=40, allow_blank=True, required=False, help_text="作业人员证书编号"
    )


class EquipmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    place_name = serializers.CharField(
        source="place.full_name", read_only=True, default=None, allow_null=True
    )
    operators = OperatorSerializer(
        many=True, required=False, help_text="作业人员及其证书编号（持证上岗台账建成后关联）"
    )
    subject = serializers.SerializerMethodField(
        help_text="在隐患、检查中引用本设备的写法，如 equipment:12"
    )

    class Meta:
        model = Equipment
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "place_name",
            "overdue_hazard",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "overdue_hazard",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"code": {"help_text": "使用登记证编号：本单位内唯一，导入时据此更新"}}
        # Uniqueness and cross-field rules are the model's (full_clean in the service).
        validators: list = []

    def get_subject(self, obj) -> str:
        return f"equipment:{obj.pk}"


class InspectionSerializer(serializers.Serializer):
    inspected_on = serializers.DateField(help_text="本次定期检验日期")
    conclusion = serializers.CharField(
        help_text="检验结论：passed 合格、conditional 基本符合要求、failed 不合格"
    )
    next_inspection_on = serializers.DateField(help_text="下次定期检验日期（见检验报告）")
