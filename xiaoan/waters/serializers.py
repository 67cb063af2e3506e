from rest_framework import serializers

from xiaoan.orgs.models import Unit
from xiaoan.waters.forms import FIELDS
from xiaoan.waters.models import Water, WaterPatrol


class WaterSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    schools = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Unit.objects.filter(kind="school"),
        help_text="关联学校的单位 id（须在所属单位管辖范围内）",
    )
    school_names = serializers.SerializerMethodField()
    due_patrol = serializers.SerializerMethodField(help_text="防溺水季内 14 天未巡查")
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法，如 waters:5")

    class Meta:
        model = Water
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "school_names",
            "last_patrolled_on",
            "due_patrol",
            "open_hazard",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "last_patrolled_on",
            "open_hazard",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"code": {"required": False, "allow_blank": True}}
        validators: list = []

    def get_school_names(self, obj) -> list[str]:
        return [s.name for s in obj.schools.all()]

    def get_due_patrol(self, obj) -> bool:
        return obj.due_patrol()

    def get_subject(self, obj) -> str:
        return f"waters:{obj.pk}"


class PatrolSerializer(serializers.ModelSerializer):
    raise_hazard = serializers.BooleanField(
        required=False, default=False, write_only=True, help_text="发现问题时登记为隐患"
    )
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = WaterPatrol
        fields = [
            "id",
            "patrolled_on",
            "patroller",
            "findings",
            "signs_ok",
            "problem",
            "raise_hazard",
            "hazard",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = ["hazard", "created_at"]
