from rest_framework import serializers

from xiaoan.publicreports.choices import ReportCategory
from xiaoan.publicreports.models import PublicReport, PublicReportEvent


class PublicReportSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    phone = serializers.SerializerMethodField(help_text="联系电话；无查看权限时为掩码")
    photo_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = PublicReport
        fields = [
            "id", "number", "unit", "unit_name", "category", "category_label", "description",
            "place", "phone", "status", "status_label", "version", "reason", "hazard",
            "duplicate_of", "handled_at", "photo_count", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_phone(self, obj) -> str:
        from xiaoan.publicreports.services import masked_phone, phone_for

        request = self.context.get("request")
        return phone_for(request.user, obj) if request else masked_phone(obj.phone)


class PublicReportEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = PublicReportEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "note", "created_at"]  # fmt: skip


class PublicReportDetailSerializer(PublicReportSerializer):
    hazard_number = serializers.CharField(source="hazard.number", default=None)
    photos = serializers.SerializerMethodField()
    events = PublicReportEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(PublicReportSerializer.Meta):
        fields = [*PublicReportSerializer.Meta.fields, "hazard_number", "photos", "events",
                  "allowed_actions"]  # fmt: skip
        read_only_fields = fields

    def get_photos(self, obj) -> list[dict]:
        from django.urls import reverse

        return [
            {
                "id": p.pk,
                "url": reverse("publicreports:publicreport_photo", args=[obj.pk, p.pk]),
                "taken_at": p.taken_at,
                "flags": p.flags,
            }
            for p in obj.photos.all()
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.publicreports.workflow import PUBLIC_REPORT

        request = self.context.get("request")
        return sorted(PUBLIC_REPORT.allowed_names(request.user, obj)) if request else []


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="读取时的 version；不符时 409"
    )


class AcceptSerializer(_Versioned):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class RejectSerializer(_Versioned):
    reason = serializers.CharField(max_length=500, help_text="不予受理的理由（举报人可见）")


class DuplicateSerializer(_Versioned):
    duplicate_of = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40, help_text="重复的举报编号或 id"
    )
    hazard = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40, help_text="重复的隐患编号或 id"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


# ---------------------------------------------------------------- public (no account)


class PublicFormSerializer(serializers.Serializer):
    school_name = serializers.CharField()
    form_token = serializers.CharField(help_text="提交时原样带回；签发后须至少等待几秒才能提交")
    categories = serializers.DictField(child=serializers.CharField())
    max_photos = serializers.IntegerField()


class PublicSubmitSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ReportCategory.choices)
    description = serializers.CharField(max_length=1000)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    form_token = serializers.CharField(max_length=500)
    website = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="须留空"
    )
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=3
    )


class PublicReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField(help_text="回执码，请妥善保存，仅显示一次")
    number = serializers.CharField()
    status_label = serializers.CharField()


class ReceiptQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class ReceiptViewSerializer(serializers.Serializer):
    number = serializers.CharField()
    received_at = serializers.DateTimeField()
    category = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField()
    progress = serializers.CharField()
