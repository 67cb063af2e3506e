from __future__ import annotations

from rest_framework import serializers

from xiaoan.orgs.models import Unit

UNIT_FIELDS = [
    "name",
    "kind",
    "school_type",
    "code",
    "aliases",
    "enrolment",
    "boarding",
    "boarding_students",
    "staff_count",
    "address",
    "phone",
    "longitude",
    "latitude",
    "is_active",
]


class UnitListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        units = list(data.all() if hasattr(data, "all") else data)
        parent_paths = {u.path[: -Unit.steplen] for u in units if u.depth > 1}
        parents = (
            dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "id"))
            if parent_paths
            else {}
        )
        self.child.context["parent_ids"] = parents
        return [self.child.to_representation(u) for u in units]


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    school_type_display = serializers.CharField(source="get_school_type_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "parent",
            "depth",
            *UNIT_FIELDS,
            "kind_display",
            "school_type_display",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "depth", "created_at", "updated_at"]
        list_serializer_class = UnitListSerializer

    def get_parent(self, obj: Unit) -> int | None:
        if obj.depth <= 1:
            return None
        parent_path = obj.path[: -Unit.steplen]
        cached = self.context.get("parent_ids")
        if cached is not None and parent_path in cached:
            return cached[parent_path]
        return Unit.objects.filter(path=parent_path).values_list("id", flat=True).first()


class UnitCreateSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(allow_null=True, help_text="上级单位 id；顶层单位为 null")

    class Meta:
        model = Unit
        fields = ["parent", *UNIT_FIELDS]


class UnitUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = UNIT_FIELDS


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    action = serializers.CharField()
    reason = serializers.CharField()
    changes = HistoryChangeSerializer(many=True)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)
