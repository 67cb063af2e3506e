from rest_framework import serializers

from xiaoan.vehicles.choices import ViolationKind
from xiaoan.vehicles.forms import FIELDS
from xiaoan.vehicles.models import Blacklisting, CampusVehicle, Violation


class CampusVehicleSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    may_enter = serializers.SerializerMethodField(help_text="今天是否准予通行")
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法")

    class Meta:
        model = CampusVehicle
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "blacklisted",
            "blacklisted_on",
            "may_enter",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "blacklisted",
            "blacklisted_on",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        validators: list = []

    def get_may_enter(self, obj) -> bool:
        return obj.may_enter()

    def get_subject(self, obj) -> str:
        return f"campus_vehicles:{obj.pk}"


class ViolationSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="vehicle.name", read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = Violation
        fields = [
            "id",
            "vehicle",
            "plate",
            "unit",
            "occurred_on",
            "kind",
            "note",
            "recorded_by",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = fields


class ViolationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ViolationKind.choices, help_text="违规类型")
    occurred_on = serializers.DateField(required=False, allow_null=True, help_text="默认今天")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ViolationResultSerializer(serializers.Serializer):
    violation = ViolationSerializer()
    blacklisted = serializers.BooleanField(help_text="登记后车辆是否在黑名单中")


class LiftSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="解除原因")


class BlacklistingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Blacklisting
        fields = [
            "id",
            "started_at",
            "violations",
            "threshold",
            "window_days",
            "lifted_at",
            "lifted_by",
            "lift_reason",
        ]
        read_only_fields = fields
