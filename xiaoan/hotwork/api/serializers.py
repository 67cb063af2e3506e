from rest_framework import serializers

from xiaoan.hotwork.choices import WorkType
from xiaoan.hotwork.models import HotWorkEvent, HotWorkPermit


class HotWorkEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.CharField(source="get_action_display")
    photos = serializers.SerializerMethodField()

    class Meta:
        model = HotWorkEvent
        fields = ["id", "action", "action_label", "actor", "actor_name", "from_status",
                  "to_status", "note", "created_at", "photos"]  # fmt: skip

    def get_photos(self, obj) -> list[int]:
        return [p.pk for p in obj.photos.all()]


class HotWorkPermitSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    operator_name = serializers.CharField(source="operator.name", read_only=True)
    operator_certificate = serializers.CharField(source="operator.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    supervisor_name = serializers.CharField(
        source="supervisor.display_name", read_only=True, default=None
    )

    class Meta:
        model = HotWorkPermit
        fields = [
            "id", "number", "unit", "unit_name", "place", "location", "work_type",
            "description", "precautions", "starts_at", "ends_at", "operator", "operator_name",
            "operator_certificate", "status", "status_label", "version", "requested_by",
            "supervisor", "supervisor_name", "approved_by", "approved_at", "started_at",
            "finished_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class HotWorkPermitDetailSerializer(HotWorkPermitSerializer):
    events = HotWorkEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(HotWorkPermitSerializer.Meta):
        fields = [*HotWorkPermitSerializer.Meta.fields, "events", "allowed_actions"]
        read_only_fields = fields

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.hotwork.workflow import PERMIT

        request = self.context.get("request")
        return sorted(PERMIT.allowed_names(request.user, obj)) if request else []


class HotWorkRequestSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="单位 id")
    place = serializers.IntegerField(required=False, allow_null=True, default=None)
    location = serializers.CharField(max_length=200, help_text="动火地点")
    work_type = serializers.ChoiceField(choices=WorkType.choices, help_text="动火类别")
    description = serializers.CharField(help_text="作业内容")
    precautions = serializers.CharField(required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField(help_text="动火开始时间")
    ends_at = serializers.DateTimeField(help_text="动火结束时间")
    operator = serializers.IntegerField(help_text="动火作业人员：持证上岗台账中的证书 id")


class _HotWorkVersioned(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="读取时的 version；不符时 409"
    )


class HotWorkApproveSerializer(_HotWorkVersioned):
    supervisor = serializers.IntegerField(help_text="现场监护人（用户 id）")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HotWorkNoteSerializer(_HotWorkVersioned):
    note = serializers.CharField(help_text="理由")


class HotWorkPhotoStepSerializer(_HotWorkVersioned):
    photos = serializers.ListField(
        child=serializers.ImageField(), help_text="现场照片（multipart，可多张）"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
