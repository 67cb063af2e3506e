from rest_framework import serializers

from xiaoan.core.ids import IdField
from xiaoan.incidents.choices import Classification, IncidentKind, Severity
from xiaoan.incidents.models import Finding, FollowUp, Incident, IncidentEvent


class IncidentSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    deadline = serializers.DateTimeField(read_only=True, help_text="首报时限（发生后 2 小时）")
    minutes_late = serializers.IntegerField(read_only=True, help_text="较大及以上事件超时分钟数")

    class Meta:
        model = Incident
        fields = [
            "id", "number", "unit", "unit_name", "kind", "kind_label", "severity",
            "severity_label", "occurred_at", "place", "injured", "dead", "summary", "measures",
            "reported_by", "first_reported_at", "deadline", "late", "minutes_late", "status",
            "status_label", "version", "classification", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class IncidentEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = IncidentEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "note", "created_at"]  # fmt: skip


class IncidentFollowUpSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.display_name", default=None)

    class Meta:
        model = FollowUp
        fields = ["id", "text", "at", "by", "by_name"]


class IncidentFindingSerializer(serializers.ModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", default=None)
    owner_name = serializers.CharField(source="owner.display_name", default=None)

    class Meta:
        model = Finding
        fields = ["id", "seq", "text", "measure", "hazard", "hazard_number", "owner",
                  "owner_name", "due", "done_at", "done_by", "done_note"]  # fmt: skip


class IncidentDutySerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    leader = serializers.CharField()
    leader_phone = serializers.CharField()
    duty_date = serializers.DateField()
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()


class IncidentDetailSerializer(IncidentSerializer):
    follow_ups = IncidentFollowUpSerializer(many=True, read_only=True)
    findings = IncidentFindingSerializer(many=True, read_only=True)
    events = IncidentEventSerializer(many=True, read_only=True)
    on_duty = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [
            *IncidentSerializer.Meta.fields, "classification_note", "classified_by",
            "classified_at", "review_summary", "reviewed_by", "reviewed_at", "closed_at",
            "follow_ups", "findings", "events", "on_duty", "allowed_actions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_on_duty(self, obj) -> list[dict]:
        from xiaoan.incidents.services import on_duty

        return IncidentDutySerializer(on_duty(obj.unit, obj.occurred_at), many=True).data

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.incidents.workflow import INCIDENT

        request = self.context.get("request")
        return sorted(INCIDENT.allowed_names(request.user, obj)) if request else []


class IncidentReportSerializer(serializers.Serializer):
    unit = IdField(help_text="单位 id")
    kind = serializers.ChoiceField(choices=IncidentKind.choices, help_text="事件类型")
    severity = serializers.ChoiceField(
        choices=Severity.choices, required=False, default=Severity.GENERAL
    )
    occurred_at = serializers.DateTimeField(help_text="发生时间")
    first_reported_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="首报时间；不填为现在"
    )
    place = serializers.CharField(max_length=200)
    injured = serializers.IntegerField(min_value=0, max_value=100_000, required=False, default=0)
    dead = serializers.IntegerField(min_value=0, max_value=100_000, required=False, default=0)
    summary = serializers.CharField(max_length=5000)
    measures = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="读取时的 version；不符时 409"
    )


class IncidentFollowUpInputSerializer(_Versioned):
    text = serializers.CharField(max_length=5000, help_text="续报内容")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class IncidentClassifySerializer(_Versioned):
    classification = serializers.ChoiceField(choices=Classification.choices)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class IncidentFindingInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, help_text="存在的问题")
    measure = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    hazard = serializers.BooleanField(required=False, default=False, help_text="登记为隐患")


class IncidentReviewSerializer(_Versioned):
    summary = serializers.CharField(max_length=5000, help_text="复盘结论")
    findings = IncidentFindingInputSerializer(
        many=True, required=False, default=list, max_length=30
    )


class IncidentToHazardSerializer(_Versioned):
    finding = IdField(help_text="复盘问题 id")


class IncidentEditSerializer(_Versioned):
    """Only the fields given are corrected."""

    kind = serializers.ChoiceField(choices=IncidentKind.choices, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    occurred_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False)
    injured = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    dead = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    summary = serializers.CharField(max_length=5000, required=False)
    measures = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class IncidentAssignFindingSerializer(_Versioned):
    finding = IdField(help_text="复盘问题 id")
    owner = IdField(help_text="整改责任人（本单位人员）id")
    due = serializers.DateField(help_text="整改期限")


class IncidentFinishFindingSerializer(_Versioned):
    finding = IdField(help_text="复盘问题 id")
    note = serializers.CharField(max_length=2000, help_text="落实情况")


class IncidentCloseSerializer(_Versioned):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
