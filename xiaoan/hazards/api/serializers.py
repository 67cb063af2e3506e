"""Hazard API: read shapes (list row, full record) and one request shape per transition.

Requests only parse and type-check; every rule (scope, state, deadlines, photos, who may
verify) lives in `xiaoan.hazards.services`, so empty notes and the like are left for the
service to refuse with its own message.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from xiaoan.core.choices import SafetyDomain
from xiaoan.hazards import criteria
from xiaoan.hazards.choices import ExtensionStatus, HazardLevel, HazardSource, HazardStatus
from xiaoan.hazards.models import (
    ExtensionRequest,
    Hazard,
    HazardEvent,
    HazardPhoto,
    Supervision,
)


def _name(user) -> str | None:
    return user.display_name if user is not None else None


# ---------------------------------------------------------------- read


class HazardListSerializer(serializers.ModelSerializer):
    """One ledger row. Everything here comes from the row and its select_related joins."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    place_label = serializers.CharField(read_only=True)
    domain_display = serializers.CharField(source="get_domain_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    finder_name = serializers.SerializerMethodField()
    owner_unit_name = serializers.CharField(
        source="owner_unit.name", read_only=True, default=None, allow_null=True
    )
    owner_name = serializers.SerializerMethodField()
    age_days = serializers.SerializerMethodField(help_text="自发现之日起的天数")

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "unit",
            "unit_name",
            "place",
            "place_text",
            "place_label",
            "domain",
            "domain_display",
            "category",
            "description",
            "source",
            "source_display",
            "level",
            "level_display",
            "suggested_level",
            "status",
            "status_display",
            "fixed_on_spot",
            "finder",
            "finder_name",
            "found_at",
            "owner_unit",
            "owner_unit_name",
            "owner",
            "owner_name",
            "deadline",
            "rework_count",
            "is_overdue",
            "is_supervised",
            "is_recurring",
            "missed_by_self_check",
            "photo_flagged",
            "fake_rectification",
            "age_days",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def get_finder_name(self, obj: Hazard) -> str:
        return obj.finder.display_name

    def get_owner_name(self, obj: Hazard) -> str | None:
        return _name(obj.owner)

    def get_age_days(self, obj: Hazard) -> int:
        return obj.age_days()


class HazardPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    flags = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        read_only=True,
        help_text="照片核验提示（code、简称 label、说明 message；不阻止办理，供验收人核实）",
    )

    class Meta:
        model = HazardPhoto
        fields = [
            "id",
            "event",
            "kind",
            "kind_display",
            "url",
            "width",
            "height",
            "created_at",
            "taken_at",
            "flags",
        ]
        read_only_fields = fields

    def get_url(self, obj: HazardPhoto) -> str:
        # Served by the API to whoever sees the hazard, never as a public media file.
        return reverse("api:hazard-photo", args=[obj.hazard_id, obj.pk])


class HazardEventSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    actor_name = serializers.SerializerMethodField()
    from_status_display = serializers.CharField(source="get_from_status_display", read_only=True)
    to_status_display = serializers.CharField(source="get_to_status_display", read_only=True)
    data = serializers.DictField(read_only=True)
    photos = serializers.SerializerMethodField(help_text="该步骤上传的照片 id")

    class Meta:
        model = HazardEvent
        fields = [
            "id",
            "action",
            "action_display",
            "actor",
            "actor_name",
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "note",
            "data",
            "photos",
            "created_at",
        ]
        read_only_fields = fields

    def get_actor_name(self, obj: HazardEvent) -> str | None:
        return _name(obj.actor)

    def get_photos(self, obj: HazardEvent) -> list[int]:
        by_event = self.context.get("photos_by_event", {})
        return by_event.get(obj.pk, [])


class SupervisionSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text="督办编号，如 督〔2026〕3号")
    supervising_unit_name = serializers.CharField(source="supervising_unit.name", read_only=True)
    listed_by_name = serializers.SerializerMethodField()
    accepted_by_name = serializers.SerializerMethodField()
    answered_by_name = serializers.SerializerMethodField()
    answer_late = serializers.SerializerMethodField(help_text="逾期未答复")

    class Meta:
        model = Supervision
        fields = [
            "id",
            "supervising_unit",
            "supervising_unit_name",
            "reason",
            "automatic",
            "listed_by",
            "listed_by_name",
            "listed_at",
            "accepted_at",
            "accepted_by",
            "accepted_by_name",
            "number",
            "year",
            "serial",
            "answer_due",
            "answer",
            "answered_at",
            "answered_by",
            "answered_by_name",
            "answer_late",
        ]
        read_only_fields = fields

    def get_listed_by_name(self, obj: Supervision) -> str | None:
        return _name(obj.listed_by)

    def get_answered_by_name(self, obj: Supervision) -> str | None:
        return _name(obj.answered_by)

    def get_answer_late(self, obj: Supervision) -> bool:
        return obj.answer_late()

    def get_accepted_by_name(self, obj: Supervision) -> str | None:
        return _name(obj.accepted_by)


class ExtensionRequestSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    requested_by_name = serializers.SerializerMethodField()
    decided_by_name = serializers.SerializerMethodField()
    can_decide = serializers.SerializerMethodField(help_text="调用者能否审批这份申请")

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "hazard",
            "requested_by",
            "requested_by_name",
            "reason",
            "old_deadline",
            "new_deadline",
            "status",
            "status_display",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_note",
            "created_at",
            "can_decide",
        ]
        read_only_fields = fields

    def get_requested_by_name(self, obj: ExtensionRequest) -> str:
        return obj.requested_by.display_name

    def get_decided_by_name(self, obj: ExtensionRequest) -> str | None:
        return _name(obj.decided_by)

    def get_can_decide(self, obj: ExtensionRequest) -> bool:
        return (
            bool(self.context.get("may_decide_extension")) and obj.status == ExtensionStatus.PENDING
        )


class HazardDetailSerializer(HazardListSerializer):
    """The full record: the loop's fields, its timeline, photos, supervision, extensions and
    what the caller may do next."""

    criterion_title = serializers.SerializerMethodField()
    submitted_by_name = serializers.SerializerMethodField()
    closed_by_name = serializers.SerializerMethodField()
    recurrence_of_number = serializers.CharField(
        source="recurrence_of.number", read_only=True, default=None, allow_null=True
    )
    subject = serializers.SerializerMethodField(help_text="所涉台账记录，如 buildings:12")
    events = HazardEventSerializer(many=True, read_only=True)
    photos = HazardPhotoSerializer(many=True, read_only=True)
    supervisions = SupervisionSerializer(many=True, read_only=True)
    extensions = ExtensionRequestSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text=(
            "调用者现在可以执行的动作：confirm, dismiss, assign, fix_on_spot, start, progress, "
            "control, submit, close（verify passed=true）, reject（verify passed=false）, "
            "extension_request, supervise, supervision_accept（accept-supervision）"
        )
    )

    class Meta(HazardListSerializer.Meta):
        fields = [
            *HazardListSerializer.Meta.fields,
            "criterion",
            "criterion_title",
            "confirmed_at",
            "measures",
            "budget",
            "interim_controls",
            "submitted_by",
            "submitted_by_name",
            "closed_at",
            "closed_by",
            "closed_by_name",
            "recurrence_of",
            "recurrence_of_number",
            "subject",
            "created_at",
            "events",
            "photos",
            "supervisions",
            "extensions",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_criterion_title(self, obj: Hazard) -> str | None:
        item = criteria.BY_CODE.get(obj.criterion) if obj.criterion else None
        return item.summary if item is not None else None

    def get_subject(self, obj: Hazard) -> str | None:
        from xiaoan.core.registers import token_for

        return token_for(obj.subject_type_id, obj.subject_id)

    def get_submitted_by_name(self, obj: Hazard) -> str | None:
        return _name(obj.submitted_by)

    def get_closed_by_name(self, obj: Hazard) -> str | None:
        return _name(obj.closed_by)

    def get_allowed_actions(self, obj: Hazard) -> list[str]:
        return sorted(self.context.get("allowed_actions", ()))


class HazardCountsSerializer(serializers.Serializer):
    class ByStatus(serializers.Serializer):
        reported = serializers.IntegerField(help_text=str(HazardStatus.REPORTED.label))
        confirmed = serializers.IntegerField(help_text=str(HazardStatus.CONFIRMED.label))
        assigned = serializers.IntegerField(help_text=str(HazardStatus.ASSIGNED.label))
        rectifying = serializers.IntegerField(help_text=str(HazardStatus.RECTIFYING.label))
        submitted = serializers.IntegerField(help_text=str(HazardStatus.SUBMITTED.label))
        closed = serializers.IntegerField(help_text=str(HazardStatus.CLOSED.label))
        dismissed = serializers.IntegerField(help_text=str(HazardStatus.DISMISSED.label))

    total = serializers.IntegerField()
    by_status = ByStatus()
    open = serializers.IntegerField(help_text="未销号")
    open_major = serializers.IntegerField(help_text="未销号的重大隐患")
    oldest_open_major_days = serializers.IntegerField(
        allow_null=True, help_text="最早一条未销号重大隐患已发现的天数"
    )
    overdue = serializers.IntegerField(help_text="已逾期（未销号）")
    supervised = serializers.IntegerField(help_text="挂牌督办（未销号）")


# ---------------------------------------------------------------- write


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="读取时的 version；已被他人改动时返回 409",
    )


def _photos_field(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text=help_text
    )


class HazardReportSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="所属单位 id")
    description = serializers.CharField(allow_blank=True, help_text="隐患描述")
    source = serializers.ChoiceField(
        choices=HazardSource.choices, default=HazardSource.SELF_CHECK, help_text="隐患来源"
    )
    domain = serializers.ChoiceField(
        choices=SafetyDomain.choices, required=False, allow_blank=True, default=""
    )
    category = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    place = serializers.IntegerField(required=False, allow_null=True, default=None)
    place_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    found_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    subject = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=80,
        help_text="隐患所涉的台账记录，如 buildings:12（须属于该单位所在学校）",
    )
    idempotency_key = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="也可用请求头 Idempotency-Key；同一把钥匙重试返回同一条隐患（200）",
    )


class HazardReportUploadSerializer(HazardReportSerializer):
    photos = _photos_field("隐患照片（可多张）")


class ConfirmSerializer(_Versioned):
    level = serializers.ChoiceField(choices=HazardLevel.choices)
    domain = serializers.ChoiceField(
        choices=SafetyDomain.choices, required=False, allow_blank=True, default=""
    )
    category = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    place = serializers.IntegerField(required=False, allow_null=True, default=None)
    place_text = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, default=None, max_length=200
    )
    criterion = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        max_length=20,
        help_text="重大隐患判定依据代码；空字符串清除，不传则不变",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(_Versioned):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StartSerializer(NoteSerializer):
    interim_controls = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text="临时管控措施（重大隐患或期限较长的隐患须有；不传则用已登记的）",
    )


class SupervisionDecisionSerializer(NoteSerializer):
    accepted = serializers.BooleanField(
        default=True, help_text="true 认可销号；false 不认可，退回整改"
    )


class AssignSerializer(_Versioned):
    owner_unit = serializers.IntegerField(help_text="整改单位 id")
    owner = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="整改责任人 id"
    )
    measures = serializers.CharField(allow_blank=True)
    deadline = serializers.DateField()
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    interim_controls = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmAssignSerializer(AssignSerializer, ConfirmSerializer):
    """确认 (level …) and 交办 (owner unit, measures, deadline …) in one request."""


class FixOnSpotSerializer(_Versioned):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(
        choices=HazardLevel.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="尚未定级时的等级，默认一般隐患",
    )
    photos = _photos_field("整改后照片（至少一张）")


class ProgressSerializer(NoteSerializer):
    pass


class ProgressUploadSerializer(ProgressSerializer):
    photos = _photos_field("整改过程照片（可多张）")


class SubmitSerializer(_Versioned):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photos = _photos_field("整改后照片（至少一张）")


class ControlSerializer(_Versioned):
    measures = serializers.CharField(required=False, allow_blank=True, default="")


class ControlUploadSerializer(ControlSerializer):
    photos = _photos_field("管控措施照片（警示标识、监测记录等）")


class VerifySerializer(_Versioned):
    passed = serializers.BooleanField(help_text="true 验收通过（销号）；false 退回整改")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VerifyUploadSerializer(VerifySerializer):
    photos = _photos_field("验收照片（可多张）")


class ExtensionCreateSerializer(_Versioned):
    new_deadline = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SuperviseSerializer(_Versioned):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    answer_due = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="被督办单位的答复期限，默认 XIAOAN_SUPERVISION_ANSWER_DAYS 天后",
    )


class SupervisionAnswerSerializer(NoteSerializer):
    pass


class SupervisionAnswerUploadSerializer(SupervisionAnswerSerializer):
    photos = _photos_field("附件照片（可多张）")


class DecideExtensionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 同意；false 不同意")
    note = serializers.CharField(required=False, allow_blank=True, default="")
