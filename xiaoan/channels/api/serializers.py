from __future__ import annotations

from rest_framework import serializers

from xiaoan.channels import services
from xiaoan.channels.choices import Category, ChannelKind, Severity
from xiaoan.channels.models import Channel, Delivery
from xiaoan.core.ids import IdField


class ChannelSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    target_masked = serializers.SerializerMethodField(help_text="地址（已隐藏密钥或号码中间位）")
    has_secret = serializers.SerializerMethodField(help_text="是否已设置加签密钥")

    class Meta:
        model = Channel
        fields = [
            "id",
            "unit",
            "unit_name",
            "kind",
            "name",
            "target_masked",
            "has_secret",
            "min_severity",
            "categories",
            "include_subtree",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_target_masked(self, obj: Channel) -> str:
        return services.masked_target(obj)

    def get_has_secret(self, obj: Channel) -> bool:
        return bool(obj.secret)


class _ChannelInput(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    target = serializers.CharField(
        max_length=1000, write_only=True, help_text="Webhook 地址，或手机号（逗号分隔）；只写"
    )
    secret = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="加签密钥；只写",
    )
    min_severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.WARNING)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices),
        required=False,
        max_length=len(Category.choices),
        help_text="接收类别；空表示全部",
    )
    include_subtree = serializers.BooleanField(default=False)
    is_active = serializers.BooleanField(default=True)


class ChannelCreateSerializer(_ChannelInput):
    unit = IdField()
    kind = serializers.ChoiceField(choices=ChannelKind.choices)


class ChannelUpdateSerializer(_ChannelInput):
    """Only the fields sent change; `target` and `secret` sent empty keep the stored value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty
        self.fields["target"].allow_blank = True

    clear_secret = serializers.BooleanField(required=False, help_text="清除已保存的加签密钥")


class DeliverySerializer(serializers.ModelSerializer):
    channel_name = serializers.CharField(source="channel.name", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "channel",
            "channel_name",
            "unit",
            "category",
            "severity",
            "subject",
            "body",
            "url",
            "ref",
            "key",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "response_code",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields
