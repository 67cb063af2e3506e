from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xiaoan.buses.choices import CHECK_KEYS, CheckResult
from xiaoan.buses.forms import FIELDS
from xiaoan.buses.models import Bus, BusCheck


class CrewSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="证书 id（/api/certificates/）")
    name = serializers.CharField(help_text="姓名")
    code = serializers.CharField(help_text="证书编号")
    kind = serializers.CharField(help_text="证书类别")
    valid_until = serializers.DateField(allow_null=True, help_text="有效期至（空：长期）")
    status = serializers.CharField(
        help_text="valid 有效、expiring 30天内到期、expired 已过期、not_yet 未生效、retired 已注销"
    )


@extend_schema_field({"type": "array", "items": {"type": "integer"}, "description": "证书 id 列表"})
class CertificateIdsField(serializers.ListField):
    """Certificate ids written in; read out as ids (the summaries are `*_detail`)."""

    child = serializers.IntegerField(min_value=1)

    def to_representation(self, data):
        return sorted(c.pk for c in data.all())  # prefetched


class BusSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    drivers = CertificateIdsField(
        required=False, max_length=10, help_text="驾驶人：本单位在用的机动车驾驶证证书 id"
    )
    escorts = CertificateIdsField(
        required=False,
        max_length=10,
        help_text="随车照管员：本单位在用的随车照管员培训合格证明证书 id",
    )
    drivers_detail = serializers.SerializerMethodField(help_text="驾驶人证书摘要")
    escorts_detail = serializers.SerializerMethodField(help_text="随车照管员证书摘要")
    subject = serializers.SerializerMethodField(
        help_text="在隐患、检查中引用本校车的写法，如 buses:12"
    )

    class Meta:
        model = Bus
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "last_checked_on",
            "last_check_result",
            "open_hazard",
            "retired_at",
            "retire_reason",
            "drivers_detail",
            "escorts_detail",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "last_checked_on",
            "last_check_result",
            "open_hazard",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        # Uniqueness and cross-field rules are the model's (full_clean in the service).
        validators: list = []
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}

    def get_subject(self, obj) -> str:
        return f"buses:{obj.pk}"

    def _detail(self, obj, role) -> list[dict]:
        from xiaoan.buses.crew import rows

        keys = CrewSummarySerializer().fields
        return [{k: r[k] for k in keys} for r in rows(obj, role)]

    @extend_schema_field(CrewSummarySerializer(many=True))
    def get_drivers_detail(self, obj) -> list[dict]:
        from xiaoan.buses.crew import DRIVERS

        return self._detail(obj, DRIVERS)

    @extend_schema_field(CrewSummarySerializer(many=True))
    def get_escorts_detail(self, obj) -> list[dict]:
        from xiaoan.buses.crew import ESCORTS

        return self._detail(obj, ESCORTS)


class BusCheckSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="bus.plate", read_only=True)
    checker_name = serializers.CharField(source="checker.display_name", read_only=True)
    failed = serializers.SerializerMethodField(help_text="异常项目（名称）")
    has_photo = serializers.SerializerMethodField()
    replayed = serializers.SerializerMethodField(help_text="重试：这是同一幂等键第一次提交的记录")

    class Meta:
        model = BusCheck
        fields = [
            "id",
            "bus",
            "plate",
            "unit",
            "checker",
            "checker_name",
            "checked_on",
            "checked_at",
            "items",
            "result",
            "failed",
            "note",
            "has_photo",
            "hazard",
            "replayed",
        ]
        read_only_fields = fields

    def get_failed(self, obj) -> list[str]:
        return obj.failed_labels()

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)

    def get_replayed(self, obj) -> bool:
        return bool(getattr(obj, "replayed", False))


class BusCheckCreateSerializer(serializers.Serializer):
    bus = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="校车 id")
    items = serializers.DictField(
        child=serializers.ChoiceField(choices=CheckResult.choices),
        help_text="每个检查项目一个结果："
        + "、".join(f"{k}" for k in CHECK_KEYS)
        + "；ok 正常 / failed 异常",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="异常情况说明（有异常项时必填）"
    )
    photo = serializers.FileField(required=False, help_text="照片（multipart，可选；JPEG/PNG）")
