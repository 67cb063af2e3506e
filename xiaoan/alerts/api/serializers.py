from __future__ import annotations

from rest_framework import serializers

from xiaoan.alerts.choices import Disposition, Severity, WarningKind
from xiaoan.alerts.models import Alert, AlertEvent, AlertRule, Bulletin, Silence
from xiaoan.core.ids import IdField


class AlertSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    origin_label = serializers.CharField(source="get_origin_display", read_only=True)
    silenced = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id", "number", "unit", "unit_name", "origin", "origin_label", "rule",
            "source_name", "source", "bulletin", "kind", "severity", "severity_label", "title",
            "place",
            "labels", "first_seen", "last_seen", "repeats", "status", "status_label",
            "version", "ack_due", "handle_due", "disposition", "hazard", "escalated_to",
            "escalated_at", "cleared_at", "silenced",
        ]  # fmt: skip
        read_only_fields = fields

    def get_silenced(self, obj) -> bool:
        return obj.silenced_by_id is not None


class AlertEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = AlertEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "note", "data", "created_at"]  # fmt: skip


class AlertDetailSerializer(AlertSerializer):
    hazard_number = serializers.CharField(source="hazard.number", default=None)
    photos = serializers.SerializerMethodField()
    events = AlertEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(AlertSerializer.Meta):
        fields = [
            *AlertSerializer.Meta.fields, "detail", "url", "acknowledged_by",
            "acknowledged_at", "measures", "handled_by", "handled_at", "hazard_number",
            "closed_by", "closed_at", "photos", "events", "allowed_actions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_photos(self, obj) -> list[str]:
        from django.urls import reverse

        return [reverse("alerts:alert_photo", args=[obj.pk, p.pk]) for p in obj.photos.all()]

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.alerts.workflow import ALERT

        return sorted(ALERT.allowed_names(self.context["request"].user, obj))


class AlertStepSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class AlertHandleSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    note = serializers.CharField(max_length=5000, help_text="处置情况/措施")
    unit = IdField(required=False, allow_null=True, help_text="转交时：接收单位 id")
    hazard_description = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="转为隐患时的描述"
    )
    version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class AlertHandleUploadSerializer(AlertHandleSerializer):
    photos = serializers.ListField(
        child=serializers.ImageField(), required=False, default=list, help_text="现场照片"
    )


class AlertRuleSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = AlertRule
        fields = ["id", "owner", "owner_name", "name", "condition", "thresholds", "severity",
                  "roles", "is_active", "version", "created_at"]  # fmt: skip
        read_only_fields = fields


class AlertRuleInputSerializer(serializers.Serializer):
    owner = IdField()
    name = serializers.CharField(max_length=100)
    condition = serializers.CharField(max_length=60)
    thresholds = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100_000), required=False
    )
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.WARNING)
    roles = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )
    is_active = serializers.BooleanField(default=True)


class AlertRuleUpdateSerializer(AlertRuleInputSerializer):
    owner = None


class SilenceSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Silence
        fields = ["id", "unit", "unit_name", "include_subtree", "place", "kind", "matchers",
                  "starts_at", "ends_at", "reason", "created_by", "created_at"]  # fmt: skip
        read_only_fields = fields


class SilenceInputSerializer(serializers.Serializer):
    unit = IdField()
    include_subtree = serializers.BooleanField(default=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    kind = serializers.CharField(required=False, allow_blank=True, max_length=40)
    matchers = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True), required=False
    )
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=200)


class BulletinSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Bulletin
        fields = ["id", "unit", "unit_name", "kind", "kind_label", "severity", "title",
                  "detail", "valid_until", "schools", "created_by", "created_at"]  # fmt: skip
        read_only_fields = fields


class BulletinProgressRowSerializer(serializers.Serializer):
    alert = serializers.IntegerField(source="pk")
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    status = serializers.CharField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    handled_at = serializers.DateTimeField(allow_null=True)
    measures = serializers.CharField()


class BulletinDetailSerializer(BulletinSerializer):
    acknowledged = serializers.IntegerField(read_only=True)
    handled = serializers.IntegerField(read_only=True)
    progress = BulletinProgressRowSerializer(many=True, read_only=True)

    class Meta(BulletinSerializer.Meta):
        fields = [*BulletinSerializer.Meta.fields, "acknowledged", "handled", "progress"]
        read_only_fields = fields


class BulletinInputSerializer(serializers.Serializer):
    unit = IdField(help_text="发布单位（教育行政部门）id")
    kind = serializers.ChoiceField(choices=WarningKind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.WARNING)
    title = serializers.CharField(max_length=200)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    valid_until = serializers.DateTimeField(required=False, allow_null=True)
