from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xiaoan.equipment.forms import FIELDS
from xiaoan.equipment.models import Equipment


class OperatorSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="证书 id（/api/certificates/）")
    name = serializers.CharField(help_text="姓名")
    code = serializers.CharField(help_text="证书编号")
    kind = serializers.CharField(help_text="证书类别")
    valid_until = serializers.DateField(allow_null=True, help_text="有效期至（空：长期）")
    status = serializers.CharField(
        help_text="valid 有效、expiring 30天内到期、expired 已过期、not_yet 未生效、retired 已注销"
    )


@extend_schema_field(
    {"type": "array", "items": {"type": "integer"}, "description": "作业人员证书 id 列表"},
)
class OperatorIdsField(serializers.ListField):
    """Certificate ids written in; read out as summaries (see `operators_detail`)."""

    child = serializers.IntegerField(min_value=1)

    def to_representation(self, data):
        return sorted(c.pk for c in data.all())  # prefetched


class EquipmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    place_name = serializers.CharField(
        source="place.full_name", read_only=True, default=None, allow_null=True
    )
    operators = OperatorIdsField(
        required=False,
        max_length=30,
        help_text="作业人员：本单位在用的特种设备作业人员证书 id（锅炉须锅炉作业证书）",
    )
    operators_detail = serializers.SerializerMethodField(help_text="作业人员证书摘要")
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
            "operators_detail",
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

    @extend_schema_field(OperatorSummarySerializer(many=True))
    def get_operators_detail(self, obj) -> list[dict]:
        from xiaoan.equipment.operators import rows

        return [{k: r[k] for k in OperatorSummarySerializer().fields} for r in rows(obj)]


class InspectionSerializer(serializers.Serializer):
    inspected_on = serializers.DateField(help_text="本次定期检验日期")
    conclusion = serializers.CharField(
        help_text="检验结论：passed 合格、conditional 基本符合要求、failed 不合格"
    )
    next_inspection_on = serializers.DateField(help_text="下次定期检验日期（见检验报告）")
