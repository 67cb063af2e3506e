"""The duty API's requests and answers."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from xiaoan.duties.choices import (
    DueRule,
    DutyRecurrence,
    DutyTarget,
    ProofKind,
    RecordKind,
)
from xiaoan.duties.models import Duty, DutyEvent, DutyRecord, Obligation, ObligationEvent
from xiaoan.inspections.choices import InspectionKind
from xiaoan.orgs.choices import UnitKind


class DutySerializer(serializers.ModelSerializer):
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    is_active = serializers.BooleanField(
        read_only=True, help_text="status 为 active（兼容旧字段，只读；停用、恢复请用 stop/resume）"
    )

    class Meta:
        model = Duty
        fields = [
            "id",
            "name",
            "description",
            "issuer",
            "issuer_name",
            "target",
            "target_kind",
            "recurrence",
            "due_rule",
            "due_days",
            "due_dates",
            "required_count",
            "proof",
            "inspection_kind",
            "record_kind",
            "proof_code",
            "source_ref",
            "task",
            "starts_on",
            "ends_on",
            "builtin_code",
            "requires_review",
            "status",
            "is_active",
            "version",
            "created_at",
        ]


class DutyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    issuer = serializers.IntegerField(help_text="发布单位 id")
    target = serializers.ChoiceField(choices=DutyTarget.choices, default=DutyTarget.SCHOOLS)
    target_kind = serializers.ChoiceField(
        choices=UnitKind.choices, required=False, allow_blank=True, default=""
    )
    recurrence = serializers.ChoiceField(choices=DutyRecurrence.choices)
    due_rule = serializers.ChoiceField(choices=DueRule.choices, default=DueRule.PERIOD_END)
    due_days = serializers.IntegerField(min_value=0, max_value=366, default=0)
    due_dates = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, help_text="如 06-30,12-31"
    )
    required_count = serializers.IntegerField(min_value=1, max_value=100, default=1)
    proof = serializers.ChoiceField(choices=ProofKind.choices)
    inspection_kind = serializers.ChoiceField(
        choices=InspectionKind.choices, required=False, allow_blank=True, default=""
    )
    record_kind = serializers.ChoiceField(
        choices=RecordKind.choices, required=False, allow_blank=True, default=""
    )
    proof_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=40,
        help_text="完成依据为 drill/activity 时要求的演练类型或教育活动代码；空：任意",
    )
    source_ref = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    task = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="来源方案任务 id（可选）"
    )
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(
        default=True, help_text="false：发布为已停用（status stopped）"
    )
    requires_review = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="报送记录须经发布单位审核；不填：上级发给下级的“上传记录”类任务须审核，其余不须",
    )


class DutyEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = DutyEvent
        fields = ["id", "action", "actor", "actor_name", "from_status", "to_status", "note",
                  "data", "created_at"]  # fmt: skip

    def get_actor_name(self, obj) -> str | None:
        return obj.actor.display_name if obj.actor_id else None


class DutyDetailSerializer(DutySerializer):
    events = DutyEventSerializer(many=True, read_only=True, help_text="记录（只增不改）")
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者现在可以执行的动作：stop（停用）、resume（恢复启用）"
    )

    class Meta(DutySerializer.Meta):
        fields = [*DutySerializer.Meta.fields, "events", "allowed_actions"]

    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(self.context.get("allowed_actions", ()))


class DutyActionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="说明；停用时必填（停用理由）"
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="读取时的 version；已被他人改动时返回 409",
    )


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="审核意见；退回时必填（退回理由）"
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="读取时的 version；已被他人改动时返回 409",
    )


class BuiltinInputSerializer(serializers.Serializer):
    issuer = serializers.IntegerField(help_text="发布单位 id（其下全部学校）")


class RecordSerializer(serializers.ModelSerializer):
    submitted_by_name = serializers.CharField(source="submitted_by.display_name", read_only=True)
    evidence_url = serializers.SerializerMethodField(help_text="佐证材料下载地址")

    class Meta:
        model = DutyRecord
        fields = [
            "id",
            "kind",
            "note",
            "evidence_name",
            "evidence_url",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "review",
            "review_note",
            "reviewed_by",
            "reviewed_at",
        ]

    def get_evidence_url(self, obj) -> str:
        return reverse("duties:record_file", args=[obj.pk])


class ObligationSerializer(serializers.ModelSerializer):
    duty_name = serializers.CharField(source="duty.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    proof = serializers.CharField(source="duty.proof", read_only=True)

    class Meta:
        model = Obligation
        fields = [
            "id",
            "duty",
            "duty_name",
            "unit",
            "unit_name",
            "period_key",
            "period_label",
            "period_start",
            "period_end",
            "due_on",
            "required_count",
            "status",
            "met_at",
            "met_by",
            "resubmit_by",
            "proof",
            "version",
        ]


class EventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ObligationEvent
        fields = ["id", "action", "actor", "actor_name", "from_status", "to_status", "note",
                  "data", "created_at"]  # fmt: skip

    def get_actor_name(self, obj) -> str | None:
        return obj.actor.display_name if obj.actor_id else None


class ObligationDetailSerializer(ObligationSerializer):
    records = RecordSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True, help_text="处置记录（只增不改）")
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者现在可以执行的动作：record（报送记录，仅以上传记录为依据的事项）、"
        "accept（审核通过）、return（退回）"
    )

    class Meta(ObligationSerializer.Meta):
        fields = [*ObligationSerializer.Meta.fields, "records", "events", "allowed_actions"]

    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(self.context.get("allowed_actions", ()))


class RecordInputSerializer(serializers.Serializer):
    evidence = serializers.FileField(help_text="佐证材料（PDF、Word、Excel、图片、压缩包，≤20 MB）")
    kind = serializers.ChoiceField(
        choices=RecordKind.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="读取时的 version；已被他人改动时返回 409",
    )


class CountsSerializer(serializers.Serializer):
    met = serializers.IntegerField(help_text="已完成（须审核的，审核通过才计入）")
    review = serializers.IntegerField(help_text="已报送、待发布单位审核")
    pending = serializers.IntegerField()
    missed = serializers.IntegerField()


class CellSerializer(CountsSerializer):
    duty = serializers.IntegerField()


class OverviewRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    totals = CountsSerializer()
    cells = CellSerializer(many=True, help_text="该单位各项任务的应办事项数（按状态）")


class OverviewDutySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OverviewSerializer(serializers.Serializer):
    period = serializers.CharField()
    period_label = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    unit = serializers.IntegerField(allow_null=True)
    duties = OverviewDutySerializer(many=True)
    totals = CountsSerializer()
    rows = OverviewRowSerializer(many=True, help_text="按单位树顺序")
