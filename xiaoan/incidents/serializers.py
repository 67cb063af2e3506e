from rest_framework import serializers

from xiaoan.incidents.forms import SHIFT_FIELDS
from xiaoan.incidents.models import DutyShift


class DutyShiftSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = DutyShift
        fields = ["id", *SHIFT_FIELDS, "unit_name", "retired_at", "retire_reason", "created_at"]
        read_only_fields = ["user", "retired_at", "retire_reason", "created_at"]
        validators: list = []
