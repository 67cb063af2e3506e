from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xiaoan.accountability.choices import DecisionKind
from xiaoan.accountability.models import (
    Commitment,
    CommitmentEvent,
    Decision,
    DecisionEntry,
    DecisionEvent,
)
from xiaoan.core.ids import IdField


class AccVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="读取时的 version；不符时 409"
    )


class DecisionCreateSerializer(serializers.Serializer):
    unit = IdField(help_text="决定单位（教育行政部门）id")
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    title = serializers.CharField(max_length=200)
    decided_on = serializers.DateField()
    basis = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DecisionEditSerializer(AccVersionSerializer):
    kind = serializers.ChoiceField(choices=DecisionKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    decided_on = serializers.DateField(required=False)
    basis = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AccAddEntrySerializer(AccVersionSerializer):
    target = IdField(help_text="对象单位 id（本单位的下级单位）")
    reason = serializers.CharField(max_length=5000)


class AccEntryRefSerializer(AccVersionSerializer):
    entry = IdField(help_text="名单条目 id")


class AccMeetingSerializer(AccVersionSerializer):
    meeting_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    attendees = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    minutes = serializers.CharField(max_length=5000)


class AccCommitSerializer(AccVersionSerializer):
    entry = IdField(help_text="名单条目 id")
    text = serializers.CharField(max_length=5000)
    due_on = serializers.DateField()


class AccNoteSerializer(AccVersionSerializer):
    note = serializers.CharField(max_length=5000, help_text="说明")


class AccOptionalNoteSerializer(AccVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AccFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(allow_null=True)


class AccEvidenceRowSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    figures = AccFigureSerializer(many=True)


class AccSnapshotSerializer(AccEvidenceRowSerializer):
    on = serializers.DateField(help_text="取数日期")
    rank = serializers.CharField()


class AccEvidenceSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    kind = serializers.CharField()
    rank = serializers.CharField()
    on = serializers.DateField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = AccEvidenceRowSerializer(many=True)


class CommitmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    decision = serializers.IntegerField(source="entry.decision_id", read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id", "decision", "entry", "unit", "unit_name", "authority", "text", "due_on",
            "status", "status_label", "version", "report_note", "reported_at", "accepted_at",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class CommitmentEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = CommitmentEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "note", "created_at"]  # fmt: skip


class CommitmentDetailSerializer(CommitmentSerializer):
    events = CommitmentEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(CommitmentSerializer.Meta):
        fields = [*CommitmentSerializer.Meta.fields, "events", "allowed_actions"]

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.accountability.workflow import COMMITMENT

        return sorted(COMMITMENT.allowed_names(self.context["request"].user, obj))


class AccEntrySerializer(serializers.ModelSerializer):
    target_name = serializers.CharField(source="target.name", read_only=True)
    evidence = AccSnapshotSerializer(read_only=True)

    class Meta:
        model = DecisionEntry
        fields = ["id", "target", "target_name", "reason", "evidence", "created_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id", "number", "unit", "unit_name", "kind", "kind_label", "title", "decided_on",
            "basis", "status", "status_label", "version", "issued_at", "meeting_at", "place",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class DecisionEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = DecisionEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "note", "data", "created_at"]  # fmt: skip


class DecisionDetailSerializer(DecisionSerializer):
    entries = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(DecisionSerializer.Meta):
        fields = [
            *DecisionSerializer.Meta.fields, "attendees", "minutes", "entries", "commitments",
            "events", "allowed_actions",
        ]  # fmt: skip

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(AccEntrySerializer(many=True))
    def get_entries(self, obj):
        from xiaoan.accountability import services

        return AccEntrySerializer(services.entries_of(self._user(), obj), many=True).data

    @extend_schema_field(CommitmentSerializer(many=True))
    def get_commitments(self, obj):
        from xiaoan.accountability import services

        return CommitmentSerializer(services.commitments_of(self._user(), obj), many=True).data

    @extend_schema_field(DecisionEventSerializer(many=True))
    def get_events(self, obj):
        from xiaoan.accountability import services

        events = services.events_of(self._user(), obj)
        return DecisionEventSerializer(events, many=True).data

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.accountability.workflow import DECISION

        return sorted(DECISION.allowed_names(self._user(), obj))
