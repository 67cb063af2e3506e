from rest_framework import serializers

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.ids import IdField
from xiaoan.risks.choices import CheckResult, ControlLevel, Frequency, MeasureKind
from xiaoan.risks.models import (
    ControlCheck,
    ControlMeasure,
    RiskAssessment,
    RiskEvent,
    RiskPoint,
)


def _version():
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2**31 - 1,
        help_text="记录的 version；不符时返回 409",
    )  # fmt: skip


class RiskPointSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    place_name = serializers.CharField(source="place.name", default=None, read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", default=None, read_only=True)
    domain_label = serializers.CharField(source="get_domain_display", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    colour = serializers.CharField(read_only=True)

    class Meta:
        model = RiskPoint
        fields = [
            "id", "unit", "unit_name", "place", "place_name", "location", "domain",
            "domain_label", "name", "hazardous_event", "status", "status_label", "grade",
            "grade_label", "colour", "method", "method_label", "risk_value", "assessed_at",
            "owner", "owner_name", "reassessment_due", "reassessment_reason", "version",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class RiskAssessmentSerializer(serializers.ModelSerializer):
    assessed_by_name = serializers.CharField(source="assessed_by.display_name", default=None)
    grade_label = serializers.CharField(source="get_grade_display")

    class Meta:
        model = RiskAssessment
        fields = ["id", "method", "likelihood", "severity", "exposure", "consequence", "value",
                  "grade", "grade_label", "note", "assessed_by", "assessed_by_name",
                  "assessed_at"]  # fmt: skip


class ControlMeasureSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.display_name", default=None)
    kind_label = serializers.CharField(source="get_kind_display")
    level_label = serializers.CharField(source="get_level_display")
    frequency_label = serializers.CharField(source="get_frequency_display")

    class Meta:
        model = ControlMeasure
        fields = ["id", "kind", "kind_label", "text", "level", "level_label", "owner",
                  "owner_name", "frequency", "frequency_label", "active", "next_due",
                  "last_checked_at"]  # fmt: skip


class ControlCheckSerializer(serializers.ModelSerializer):
    checked_by_name = serializers.CharField(source="checked_by.display_name", default=None)
    hazard_number = serializers.CharField(source="hazard.number", default=None)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = ControlCheck
        fields = ["id", "measure", "result", "note", "has_photo", "checked_by",
                  "checked_by_name", "checked_at", "hazard", "hazard_number"]  # fmt: skip

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class RiskEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = RiskEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "note",
                  "created_at"]  # fmt: skip


class RiskPointDetailSerializer(RiskPointSerializer):
    assessments = RiskAssessmentSerializer(many=True, read_only=True)
    measures = ControlMeasureSerializer(many=True, read_only=True)
    checks = serializers.SerializerMethodField()
    events = RiskEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(RiskPointSerializer.Meta):
        fields = [*RiskPointSerializer.Meta.fields, "assessments", "measures", "checks",
                  "events", "allowed_actions"]  # fmt: skip
        read_only_fields = fields

    def get_checks(self, obj) -> list[dict]:
        rows = obj.checks.select_related("checked_by", "hazard")[:100]
        return ControlCheckSerializer(rows, many=True).data

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.risks.workflow import RISK_POINT

        request = self.context.get("request")
        if request is None:
            return []
        return sorted(RISK_POINT.allowed_names(request.user, obj))


class RiskPointCreateSerializer(serializers.Serializer):
    unit = IdField(help_text="单位 id")
    name = serializers.CharField(max_length=100)
    domain = serializers.ChoiceField(choices=SafetyDomain.choices)
    hazardous_event = serializers.CharField(max_length=1000)
    place = IdField(required=False, allow_null=True, help_text="场所 id")
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    owner = IdField(required=False, allow_null=True, help_text="风险点责任人（用户 id）")


class RiskPointEditSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=100)
    domain = serializers.ChoiceField(required=False, choices=SafetyDomain.choices)
    hazardous_event = serializers.CharField(required=False, max_length=1000)
    place = IdField(required=False, allow_null=True)
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    owner = IdField(required=False, allow_null=True)
    version = _version()


class AssessSerializer(serializers.Serializer):
    likelihood = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="L")
    severity = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=5, help_text="S（LS 法）"
    )
    exposure = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, help_text="E（LEC 法）"
    )
    consequence = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=100, help_text="C（LEC 法）"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = _version()


class MeasureInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    text = serializers.CharField(max_length=1000)
    level = serializers.ChoiceField(choices=ControlLevel.choices)
    owner = IdField(help_text="责任人（用户 id）")
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    version = _version()


class ChangeMeasureSerializer(serializers.Serializer):
    measure = IdField(help_text="管控措施 id")
    owner = IdField(help_text="责任人（用户 id）")
    level = serializers.ChoiceField(choices=ControlLevel.choices)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    text = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    version = _version()


class RemoveMeasureSerializer(serializers.Serializer):
    measure = IdField(help_text="管控措施 id")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    version = _version()


class CheckInputSerializer(serializers.Serializer):
    measure = IdField(help_text="管控措施 id")
    result = serializers.ChoiceField(choices=CheckResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    idempotency_key = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text="重试时相同的标识只记录一次"
    )
    version = _version()


class CheckUploadSerializer(CheckInputSerializer):
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="照片（至多一张）"
    )


class RiskNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    version = _version()
