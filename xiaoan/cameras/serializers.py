from rest_framework import serializers

from xiaoan.cameras.forms import ALARM_FIELDS, CAMERA_FIELDS
from xiaoan.cameras.models import AlarmPoint, Camera


class CameraSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    place_name = serializers.CharField(
        source="place.full_name", read_only=True, default=None, allow_null=True
    )
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用的写法，如 cameras:12")

    class Meta:
        model = Camera
        fields = [
            "id",
            *CAMERA_FIELDS,
            "unit_name",
            "place_name",
            "next_check_on",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "next_check_on",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "name": {"required": False, "allow_blank": True},
            "code": {"required": False, "allow_blank": True},
        }
        validators: list = []

    def get_subject(self, obj) -> str:
        return f"cameras:{obj.pk}"


class AlarmPointSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    place_name = serializers.CharField(
        source="place.full_name", read_only=True, default=None, allow_null=True
    )
    subject = serializers.SerializerMethodField(
        help_text="在隐患、检查中引用的写法，如 alarm_points:3"
    )

    class Meta:
        model = AlarmPoint
        fields = [
            "id",
            *ALARM_FIELDS,
            "unit_name",
            "place_name",
            "next_test_on",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "next_test_on",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "name": {"required": False, "allow_blank": True},
            "code": {"required": False, "allow_blank": True},
        }
        validators: list = []

    def get_subject(self, obj) -> str:
        return f"alarm_points:{obj.pk}"


class CameraCoverageRowSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    school_name = serializers.CharField()
    boarding = serializers.BooleanField()
    required = serializers.ListField(child=serializers.CharField())
    covered = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
