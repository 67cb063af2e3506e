from rest_framework import serializers

from xiaoan.traffic.forms import FIELDS
from xiaoan.traffic.models import TrafficAgreement


class TrafficAgreementSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    share = serializers.IntegerField(read_only=True, help_text="回收率（%，向下取整）")

    class Meta:
        model = TrafficAgreement
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "share",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["retired_at", "retire_reason", "created_at", "updated_at"]
        validators: list = []
