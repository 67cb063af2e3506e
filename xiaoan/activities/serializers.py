from django.urls import reverse
from rest_framework import serializers

from xiaoan.activities import calendar
from xiaoan.activities.choices import ActivityKind
from xiaoan.activities.models import MAX_PARTICIPANTS, Activity, ActivityPhoto
from xiaoan.core.ids import IdField


class ActivityPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="照片文件（API，JPEG）")

    class Meta:
        model = ActivityPhoto
        fields = ["id", "width", "height", "created_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("api:activity-photo", args=[obj.activity_id, obj.pk])


class ActivitySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    event_name = serializers.CharField(
        read_only=True, help_text="教育日（月）名称；空为学校自主活动"
    )
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)
    photos = ActivityPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id", "unit", "unit_name", "event", "event_name", "window_key", "kind", "title",
            "held_on", "classes", "participants", "summary", "photos", "recorded_by_name",
            "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ActivityWriteSerializer(serializers.Serializer):
    """Create: every field (the unit a school where the caller may record); update: the
    fields to change, with `version` to refuse a stale change (409)."""

    unit = IdField(help_text="学校的单位 id（创建时必填）", required=False)
    event = serializers.ChoiceField(
        choices=[("", "学校自主活动"), *calendar.choices()], required=False, allow_blank=True
    )
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    title = serializers.CharField(max_length=100, required=False)
    held_on = serializers.DateField(required=False)
    classes = serializers.CharField(max_length=200, required=False)
    participants = serializers.IntegerField(min_value=1, max_value=MAX_PARTICIPANTS, required=False)
    summary = serializers.CharField(max_length=1000, required=False)
    photos = serializers.ListField(
        child=serializers.ImageField(),
        required=False,
        write_only=True,
        help_text="活动照片（可多张）",
    )
    version = serializers.IntegerField(required=False, help_text="修改时：读取时的 version")


class ActivityPhotosSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.ImageField(), help_text="照片（可多张）")


class CalendarWindowSerializer(serializers.Serializer):
    key = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField()


class CalendarEventSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    rule = serializers.CharField(help_text="时间规则")
    kinds = serializers.ListField(child=serializers.CharField(), help_text="建议的活动形式")
    windows = CalendarWindowSerializer(many=True, help_text="本年的活动时段")
    open = serializers.BooleanField(help_text="今天在活动时段内")


class CoverageBranchSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    missing = serializers.IntegerField()


class CoverageSchoolSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    done = serializers.BooleanField()
    activities = serializers.ListField(child=serializers.IntegerField(), help_text="活动 id")


class ActivityCoverageSerializer(serializers.Serializer):
    event = serializers.CharField()
    window = CalendarWindowSerializer()
    unit = serializers.IntegerField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    missing = serializers.IntegerField()
    branches = CoverageBranchSerializer(many=True)
    schools = CoverageSchoolSerializer(many=True, help_text="本页学校（每页 100 所，?page=）")
    count = serializers.IntegerField(help_text="学校总数（筛选后）")
