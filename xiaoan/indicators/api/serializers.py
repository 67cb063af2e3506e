from __future__ import annotations

from rest_framework import serializers

from xiaoan.indicators.choices import Direction, Rollup
from xiaoan.indicators.models import Indicator, IndicatorValue


class VersionMixin(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="读取时的 version；已被他人改动时返回 409",
    )


class IndicatorReviewSerializer(VersionMixin):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="审核意见；退回时必填（退回理由）"
    )


class ResubmitSerializer(VersionMixin):
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    note = serializers.CharField(help_text="佐证说明")
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class ReportSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    unit = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="填报的学校")
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    note = serializers.CharField(help_text="佐证说明（必填）")
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class IndicatorInputSerializer(serializers.Serializer):
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=100)
    measure = serializers.CharField(max_length=20)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.HIGHER)
    rollup = serializers.ChoiceField(choices=Rollup.choices, default=Rollup.MEAN)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class TargetInputSerializer(serializers.Serializer):
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class IndicatorSerializer(serializers.ModelSerializer):
    owner = UnitRefSerializer(read_only=True, allow_null=True)
    source = serializers.CharField(
        read_only=True, help_text="provider 系统计算 / reported 单位填报"
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "measure",
            "direction",
            "rollup",
            "source",
            "description",
            "owner",
            "is_active",
        ]


class IndicatorCellSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    standing = serializers.CharField(
        help_text="met 已达标 / behind 未达标 / missing 未填报 / no_target"
    )
    schools = serializers.IntegerField(help_text="计入的学校数")
    counted = serializers.IntegerField(help_text="其中有数值的学校数")


class IndicatorStandingSerializer(serializers.Serializer):
    indicator = IndicatorSerializer()
    year = serializers.IntegerField()
    current = IndicatorCellSerializer()
    units = IndicatorCellSerializer(many=True, help_text="下一级各单位（详情中）")


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SerializerMethodField()
    unit = UnitRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    evidence_url = serializers.SerializerMethodField()
    reported_by = serializers.CharField(source="reported_by.display_name", read_only=True)
    reviewed_by = serializers.CharField(
        source="reviewed_by.display_name", read_only=True, allow_null=True, default=None
    )
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "unit",
            "year",
            "value",
            "note",
            "status",
            "status_label",
            "evidence_name",
            "evidence_url",
            "reported_by",
            "reported_at",
            "review_note",
            "reviewed_by",
            "reviewed_at",
            "version",
            "allowed_actions",
        ]

    def get_indicator(self, obj) -> dict:
        return {"id": obj.indicator_id, "code": obj.indicator.code, "name": obj.indicator.name}

    def get_evidence_url(self, obj) -> str:
        from django.urls import reverse

        if not obj.evidence:
            return ""
        return reverse("indicators:indicatorvalue_file", args=[obj.pk])

    def get_allowed_actions(self, obj) -> list[str]:
        from xiaoan.core.workflow import workflow_of

        request = self.context.get("request")
        if request is None:
            return []
        return sorted(workflow_of(IndicatorValue).allowed_names(request.user, obj))
