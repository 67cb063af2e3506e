"""/api/closure-samples/: requests only parse; rules live in xiaoan.closure.services."""

from __future__ import annotations

from rest_framework import serializers

from xiaoan.closure.models import ClosureReview, ClosureSample
from xiaoan.core.ids import IdField


class ClosureReviewSerializer(serializers.ModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", read_only=True)
    hazard_status = serializers.CharField(source="hazard.status", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.display_name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ClosureReview
        fields = [
            "id",
            "hazard",
            "hazard_number",
            "hazard_status",
            "unit",
            "unit_name",
            "reviewer",
            "reviewer_name",
            "due_on",
            "status",
            "status_display",
            "note",
            "reviewed_at",
            "version",
        ]
        read_only_fields = fields


class ClosureSampleSerializer(serializers.ModelSerializer):
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)

    class Meta:
        model = ClosureSample
        fields = [
            "id",
            "organiser",
            "organiser_name",
            "month",
            "title",
            "size",
            "seed",
            "picked",
            "due_on",
            "created_at",
        ]
        read_only_fields = fields


class ClosureSampleDetailSerializer(ClosureSampleSerializer):
    population = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    weights = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    reproducible = serializers.SerializerMethodField(
        help_text="按记录的候选、权重和种子重新抽取，结果与记录一致"
    )
    reviews = serializers.SerializerMethodField()

    class Meta(ClosureSampleSerializer.Meta):
        fields = [
            *ClosureSampleSerializer.Meta.fields,
            "population",
            "weights",
            "reproducible",
            "reviews",
        ]
        read_only_fields = fields

    def get_reproducible(self, obj: ClosureSample) -> bool:
        from xiaoan.closure.services import verify

        return verify(obj).ok

    def get_reviews(self, obj: ClosureSample) -> list[dict]:
        reviews = self.context.get("reviews", [])
        return ClosureReviewSerializer(reviews, many=True).data


class ClosureSampleCreateSerializer(serializers.Serializer):
    organiser = IdField(help_text="组织单位（教育主管部门）id")
    month = serializers.CharField(max_length=7, help_text="销号月份 YYYY-MM")
    size = serializers.IntegerField(min_value=1, max_value=200)
    reviewer = IdField(help_text="复核人 id")
    due_on = serializers.DateField()
    seed = serializers.IntegerField(required=False, min_value=0, max_value=2**63 - 1)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ClosureReviewRecordSerializer(serializers.Serializer):
    passed = serializers.BooleanField(
        help_text="true 复核合格；false 不合格（隐患退回整改，记为假整改）"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="现场照片（不合格时至少一张）",
    )
