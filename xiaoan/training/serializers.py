from rest_framework import serializers

from xiaoan.core.choices import SafetyDomain
from xiaoan.orgs.models import Unit
from xiaoan.training.choices import audience_role_choices
from xiaoan.training.forms import SESSION_FIELDS
from xiaoan.training.models import Attendance, TrainingSession


class TrainingSessionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    domain = serializers.ChoiceField(choices=SafetyDomain.choices, help_text="领域")
    audience_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=audience_role_choices()),
        required=False,
        help_text="参训角色（内置角色代码，如 unit_head、safety_officer）",
    )
    audience_kinds = serializers.ListField(
        child=serializers.CharField(max_length=30),
        required=False,
        help_text="参训人员类别（按职务匹配，如 保安、食堂从业人员）",
    )
    covers = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Unit.objects.all(),
        required=False,
        help_text="覆盖单位 id（组织单位或其下级；不填为组织单位及全部下级）",
    )
    checkin_open = serializers.SerializerMethodField(help_text="扫码签到是否开放")

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            *SESSION_FIELDS,
            "unit_name",
            "attendee_count",
            "checkin_open",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "attendee_count",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"name": {"help_text": "培训主题"}}
        validators: list = []

    def get_checkin_open(self, obj) -> bool:
        return bool(obj.checkin_token)


class TrainingAttendanceSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    outsider = serializers.BooleanField(source="is_outsider", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "user",
            "name",
            "unit",
            "unit_name",
            "employer",
            "kind",
            "certificate_no",
            "outsider",
            "method",
            "method_label",
            "recorded_at",
        ]
        read_only_fields = fields


class TrainingOutsiderSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, help_text="姓名")
    employer = serializers.CharField(max_length=100, help_text="工作单位（如保安公司、餐饮公司）")
    kind = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    certificate_no = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", help_text="证书编号"
    )


class TrainingMarkSerializer(serializers.Serializer):
    users = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=5000,
        help_text="参训人员的用户 id（须为覆盖单位的人员）",
    )
    outsiders = TrainingOutsiderSerializer(many=True, required=False, default=list)
    replace = serializers.BooleanField(
        required=False,
        default=False,
        help_text="为 true 时 users 即为全部平台参训人员（未列出的移除）；外来人员只增加",
    )


class TrainingMarkResultSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    outsiders = serializers.IntegerField()
    total = serializers.IntegerField()


class TrainingSheetSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="签到表（.xlsx）：姓名、单位；外来人员另填工作单位")
    dry_run = serializers.BooleanField(required=False, default=False, help_text="只检查，不导入")


class TrainingSheetErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    message = serializers.CharField()


class TrainingSheetResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    people = serializers.IntegerField()
    outsiders = serializers.IntegerField()
    added = serializers.IntegerField()
    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    errors = TrainingSheetErrorSerializer(many=True)


class TrainingCheckinSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text="签到二维码中的签到码")


class TrainingCheckinResultSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    name = serializers.CharField()
    recorded = serializers.BooleanField(help_text="本次新登记为 true，已签到过为 false")
