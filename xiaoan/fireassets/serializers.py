from rest_framework import serializers

from xiaoan.fireassets.choices import CheckResult
from xiaoan.fireassets.forms import FIELDS
from xiaoan.fireassets.models import FireAsset, FireAssetCheck


class FireAssetSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    place_name = serializers.CharField(
        source="place.full_name", read_only=True, default=None, allow_null=True
    )
    is_expired = serializers.BooleanField(read_only=True)
    subject = serializers.SerializerMethodField(
        help_text="在隐患、检查中引用本器材的写法，如 fireassets:12"
    )

    class Meta:
        model = FireAsset
        fields = [
            "id",
            *FIELDS,
            "unit_name",
            "place_name",
            "is_expired",
            "last_checked_on",
            "last_check_result",
            "open_hazard",
            "retired_at",
            "retire_reason",
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
        return f"fireassets:{obj.pk}"


class FireAssetCheckSerializer(serializers.ModelSerializer):
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    checker_name = serializers.CharField(source="checker.display_name", read_only=True)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = FireAssetCheck
        fields = [
            "id",
            "batch",
            "asset",
            "asset_name",
            "unit",
            "checker",
            "checker_name",
            "checked_on",
            "result",
            "note",
            "has_photo",
            "hazard",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class CheckRowSerializer(serializers.Serializer):
    asset = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="器材 id")
    result = serializers.ChoiceField(choices=CheckResult.choices, help_text="ok 正常 / failed 异常")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="异常原因（异常时必填）"
    )


class CheckBatchSerializer(serializers.Serializer):
    place = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="场所 id（可选）",
    )
    checks = CheckRowSerializer(many=True, help_text="每件器材一行")


class CheckBatchResultSerializer(serializers.Serializer):
    batch = serializers.IntegerField()
    replayed = serializers.BooleanField()
    checks = FireAssetCheckSerializer(many=True)
