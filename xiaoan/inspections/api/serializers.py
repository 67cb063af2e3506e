"""Inspection and checklist API shapes. Requests only parse and type-check; every rule lives
in `xiaoan.inspections.services`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xiaoan.core.ids import IdField
from xiaoan.inspections.choices import InspectionKind, InviteRole, ResultValue
from xiaoan.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionInvite,
    ItemResult,
)

# ---------------------------------------------------------------- checklists


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "seq", "code", "section", "text", "guidance", "photo_required", "criterion"]


class ChecklistVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistVersion
        fields = ["id", "number", "is_frozen", "note", "created_at"]


class ChecklistListSerializer(serializers.ModelSerializer):
    domain_display = serializers.CharField(source="get_domain_display", read_only=True)
    owner_unit_name = serializers.CharField(
        source="owner_unit.name", read_only=True, default=None, allow_null=True
    )
    is_builtin = serializers.BooleanField(read_only=True)
    current_version_number = serializers.IntegerField(
        source="current_version.number", read_only=True, default=None, allow_null=True
    )
    item_count = serializers.IntegerField(read_only=True, help_text="当前版本的检查项数")

    class Meta:
        model = ChecklistTemplate
        fields = [
            "id",
            "code",
            "name",
            "domain",
            "domain_display",
            "description",
            "owner_unit",
            "owner_unit_name",
            "is_builtin",
            "copied_from",
            "is_active",
            "current_version",
            "current_version_number",
            "item_count",
        ]


class ChecklistDetailSerializer(ChecklistListSerializer):
    items = serializers.SerializerMethodField()
    versions = ChecklistVersionSerializer(many=True, read_only=True)

    class Meta(ChecklistListSerializer.Meta):
        fields = [*ChecklistListSerializer.Meta.fields, "items", "versions"]

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_items(self, obj) -> list[dict]:
        version = obj.current_version
        if version is None:
            return []
        return ChecklistItemSerializer(version.items.order_by("seq"), many=True).data


class ChecklistCopySerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="副本所属单位 id")
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class ItemInputSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    section = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    text = serializers.CharField(allow_blank=True)
    guidance = serializers.CharField(required=False, allow_blank=True, default="")
    photo_required = serializers.BooleanField(required=False, default=False)
    criterion = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default="", max_length=20
    )


class ChecklistReviseSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)
    items = ItemInputSerializer(
        many=True, required=False, help_text="全部检查项（按顺序）；有变化时生成新版本"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


# ---------------------------------------------------------------- inspections


class InspectionListSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    checklist_template = serializers.IntegerField(source="checklist.template_id", read_only=True)
    checklist_name = serializers.CharField(source="checklist.template.name", read_only=True)
    checklist_version = serializers.IntegerField(source="checklist.number", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "number",
            "kind",
            "kind_display",
            "title",
            "unit",
            "unit_name",
            "organiser",
            "organiser_name",
            "checklist",
            "checklist_template",
            "checklist_name",
            "checklist_version",
            "scheduled_on",
            "due_on",
            "period",
            "status",
            "status_display",
            "submitted_at",
            "version",
        ]


class ResultSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)
    photos = serializers.SerializerMethodField()
    hazard_number = serializers.CharField(
        source="hazard.number", read_only=True, default=None, allow_null=True
    )
    hazard_level = serializers.CharField(
        source="hazard.level", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = ItemResult
        fields = [
            "item",
            "code",
            "result",
            "note",
            "photos",
            "hazard",
            "hazard_number",
            "hazard_level",
            "missed_by_self_check",
        ]

    def get_photos(self, obj) -> list[int]:
        return [p.pk for p in obj.photos.all()]


class InviteSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = InspectionInvite
        fields = ["user", "user_name", "role", "role_display", "created_at"]


class TeamPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", default="", read_only=True)


class InspectionDetailSerializer(InspectionListSerializer):
    items = ChecklistItemSerializer(source="checklist.items", many=True, read_only=True)
    results = ResultSerializer(many=True, read_only=True)
    invites = InviteSerializer(many=True, read_only=True)
    leader = TeamPersonSerializer(read_only=True, allow_null=True, help_text="带队领导")
    members = TeamPersonSerializer(many=True, read_only=True, help_text="检查组成员")
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者现在可以执行的动作：save_draft（draft）, submit, invite, team, close"
    )
    subject = serializers.SerializerMethodField(help_text="检查的台账记录，如 buildings:12")

    class Meta(InspectionListSerializer.Meta):
        fields = [
            *InspectionListSerializer.Meta.fields,
            "subject",
            "summary",
            "started_at",
            "submitted_by",
            "closed_at",
            "created_by",
            "leader",
            "members",
            "outside_members",
            "items",
            "results",
            "invites",
            "allowed_actions",
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(self.context.get("allowed_actions", ()))

    def get_subject(self, obj) -> str | None:
        from xiaoan.core.registers import token_for

        return token_for(obj.subject_type_id, obj.subject_id)


class InspectionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    unit = serializers.IntegerField(help_text="被检查单位 id")
    checklist = serializers.IntegerField(help_text="检查表 id（使用其当前版本）")
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    scheduled_on = serializers.DateField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    organiser = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="组织单位 id；留空自动确定"
    )
    leader = IdField(required=False, allow_null=True, default=None, help_text="带队领导的用户 id")
    members = serializers.ListField(
        child=IdField(), required=False, default=list, help_text="检查组成员的用户 id"
    )
    outside_members = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500, help_text="校外成员（无账号）"
    )
    subject = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=80,
        help_text="检查的台账记录，如 buildings:12（须属于被检查单位所在学校）",
    )


class ResultInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="检查项 id（本检查所用版本中的）")
    result = serializers.ChoiceField(
        choices=ResultValue.choices, required=False, allow_blank=True, help_text="留空表示未填"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="读取时的 version；已被改动时返回 409",
    )


class InspectionDraftSerializer(_Versioned):
    results = ResultInputSerializer(many=True, required=False, default=list)
    summary = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    remove_photos = serializers.ListField(
        child=IdField(), required=False, default=list, help_text="要删除的照片 id"
    )


class InspectionSubmitSerializer(_Versioned):
    results = ResultInputSerializer(many=True, required=False, default=list)
    summary = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(), help_text="照片（可多张）")


class InviteCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", default="", read_only=True)
    expert = serializers.SerializerMethodField(help_text="平台专家库（无所属单位）")

    def get_expert(self, user) -> bool:
        return user.unit_id is None


class InviteInputSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=150, help_text="受邀人的用户 id、用户名或手机号")
    role = serializers.ChoiceField(choices=InviteRole.choices, required=False, default="inspector")


class InspectionTeamSerializer(serializers.Serializer):
    leader = IdField(required=False, allow_null=True, default=None, help_text="带队领导的用户 id")
    members = serializers.ListField(
        child=IdField(), required=False, default=list, help_text="检查组成员的用户 id"
    )
    outside_members = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500, help_text="校外成员（无账号）"
    )


class InspectionCloseSerializer(_Versioned):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MissedCountSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    count = serializers.IntegerField(help_text="自查未发现的不符合项数")
