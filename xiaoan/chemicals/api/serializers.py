"""The chemicals API's requests and answers (fields listed explicitly)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from xiaoan.chemicals.choices import (
    QUANTITY_DIGITS,
    QUANTITY_PLACES,
    RECORDABLE,
)
from xiaoan.chemicals.forms import CHEMICAL_FIELDS, STORAGE_FIELDS
from xiaoan.chemicals.models import (
    Balance,
    Chemical,
    StockMovement,
    StockMovementEvent,
    Stocktake,
    StocktakeLine,
    Storage,
)
from xiaoan.core.registers import subject_token


def quantity(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


class ChemicalBalanceSerializer(serializers.ModelSerializer):
    storage_name = serializers.CharField(source="storage.name", read_only=True)

    class Meta:
        model = Balance
        fields = ["storage", "storage_name", "quantity"]


class ChemicalSerializer(serializers.ModelSerializer):
    """A catalogue entry (the register's serializer, xiaoan.chemicals.registers)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    classes = serializers.ListField(
        source="class_labels", child=serializers.CharField(), read_only=True
    )
    balances = ChemicalBalanceSerializer(many=True, read_only=True)
    subject = serializers.SerializerMethodField(help_text="在隐患、检查中引用本条目的写法")

    class Meta:
        model = Chemical
        fields = [
            "id",
            *CHEMICAL_FIELDS,
            "unit_name",
            "controlled",
            "classes",
            "balances",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["controlled", "retired_at", "retire_reason", "created_at", "updated_at"]
        # Uniqueness and cross-field rules are the model's (full_clean in the service).
        validators: list = []

    def get_subject(self, obj) -> str:
        return subject_token(obj)


class StorageSerializer(serializers.ModelSerializer):
    """A 专室/专柜 with its two keyholders (the register's serializer)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    place_name = serializers.CharField(
        source="place.full_name", read_only=True, default=None, allow_null=True
    )
    keeper_one_name = serializers.CharField(source="keeper_one.display_name", read_only=True)
    keeper_two_name = serializers.CharField(source="keeper_two.display_name", read_only=True)
    subject = serializers.SerializerMethodField(
        help_text="在隐患、检查中引用本存放点的写法，如 chemical-storages:3"
    )

    class Meta:
        model = Storage
        fields = [
            "id",
            *STORAGE_FIELDS,
            "unit_name",
            "place_name",
            "keeper_one_name",
            "keeper_two_name",
            "next_stocktake_on",
            "retired_at",
            "retire_reason",
            "subject",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "next_stocktake_on",
            "retired_at",
            "retire_reason",
            "created_at",
            "updated_at",
        ]
        validators: list = []

    def get_subject(self, obj) -> str:
        return subject_token(obj)


class MovementEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", read_only=True, default="")

    class Meta:
        model = StockMovementEvent
        fields = ["action", "actor", "actor_name", "from_status", "to_status", "note", "created_at"]


class MovementSerializer(serializers.ModelSerializer):
    chemical_name = serializers.CharField(source="chemical.name", read_only=True)
    storage_name = serializers.CharField(source="storage.name", read_only=True)
    actor_name = serializers.CharField(source="actor.display_name", read_only=True)
    second_signer_name = serializers.CharField(
        source="second_signer.display_name", read_only=True, default=""
    )
    quantity = quantity(read_only=True, help_text="带符号：入库为正，出库为负")

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "unit",
            "chemical",
            "chemical_name",
            "storage",
            "storage_name",
            "kind",
            "quantity",
            "occurred_on",
            "status",
            "version",
            "needs_second",
            "recipient_name",
            "purpose",
            "disposer_name",
            "disposer_licence",
            "reason",
            "actor",
            "actor_name",
            "second_signer",
            "second_signer_name",
            "signed_at",
            "balance_after",
            "posted_at",
            "stocktake",
            "created_at",
        ]


class MovementDetailSerializer(MovementSerializer):
    events = MovementEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(MovementSerializer.Meta):
        fields = [*MovementSerializer.Meta.fields, "events", "allowed_actions"]

    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(self.context.get("allowed_actions", ()))


class MovementInputSerializer(serializers.Serializer):
    chemical = serializers.IntegerField()
    storage = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in RECORDABLE])
    quantity = quantity(min_value=Decimal("0.001"), help_text="不带符号，方向由 kind 决定")
    occurred_on = serializers.DateField(required=False, allow_null=True)
    recipient_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)
    disposer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    disposer_licence = serializers.CharField(max_length=60, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    idempotency_key = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="也可用请求头 Idempotency-Key；同一把钥匙重试返回同一笔记录（200）",
    )


class MovementConfirmSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MovementRejectSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    note = serializers.CharField(max_length=200)


class StocktakeLineSerializer(serializers.ModelSerializer):
    chemical_name = serializers.CharField(source="chemical.name", read_only=True)
    movement_status = serializers.CharField(source="movement.status", read_only=True, default=None)

    class Meta:
        model = StocktakeLine
        fields = [
            "chemical",
            "chemical_name",
            "book_quantity",
            "counted_quantity",
            "difference",
            "reason",
            "movement",
            "movement_status",
        ]


class StocktakeSerializer(serializers.ModelSerializer):
    storage_name = serializers.CharField(source="storage.name", read_only=True)
    actor_name = serializers.CharField(source="actor.display_name", read_only=True)
    lines = StocktakeLineSerializer(many=True, read_only=True)

    class Meta:
        model = Stocktake
        fields = [
            "id",
            "unit",
            "storage",
            "storage_name",
            "taken_on",
            "actor",
            "actor_name",
            "note",
            "lines",
            "created_at",
        ]


class StocktakeLineInputSerializer(serializers.Serializer):
    chemical = serializers.IntegerField()
    counted_quantity = quantity(min_value=Decimal("0"))
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StocktakeInputSerializer(serializers.Serializer):
    storage = serializers.IntegerField()
    taken_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    lines = StocktakeLineInputSerializer(many=True, allow_empty=False, max_length=500)
