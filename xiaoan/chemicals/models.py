"""The hazardous-chemicals ledger (危化品台账): catalogue, storages (专室/专柜) with their two
keyholders, balances per chemical and storage, stock movements and stocktakes (盘点).

The ledger's invariants live in the database as well as in the service: a balance is never
negative (CHECK), a movement's quantity is signed by its kind (CHECK), and a posted
movement carries the balance it left (`balance_after`), written under the balance row's lock
(`xiaoan.chemicals.services.post`), so the 台账 reads 结存 straight from its rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from xiaoan.chemicals.choices import (
    INCOMING,
    OUTGOING,
    QUANTITY_DIGITS,
    QUANTITY_PLACES,
    ChemicalClass,
    MeasureUnit,
    MovementAction,
    MovementKind,
    MovementStatus,
    StorageKind,
)
from xiaoan.core.models import RegisterItem, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet

HALF_QUANTUM = Value(Decimal("0.0005"), output_field=models.DecimalField())


def quantity_field(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


# The class flags, in the order the catalogue shows them.
CLASS_FIELDS = {
    ChemicalClass.FLAMMABLE: "is_flammable",
    ChemicalClass.EXPLOSIVE: "is_explosive",
    ChemicalClass.TOXIC: "is_toxic",
    ChemicalClass.PRECURSOR: "is_precursor",
    ChemicalClass.EXPLOSIVE_PRECURSOR: "is_explosive_precursor",
}


class Chemical(RegisterItem):
    """A catalogue entry of one unit (a school's lab keeps its own catalogue), a register
    item (xiaoan.chemicals.registers): name, code, note and retirement come from it."""

    cas_number = models.CharField(_("CAS 号"), max_length=20, blank=True)
    spec = models.CharField(_("规格"), max_length=100, blank=True, help_text=_("如 500mL/瓶，AR"))
    measure = models.CharField(
        _("计量单位"), max_length=10, choices=MeasureUnit.choices, default=MeasureUnit.BOTTLE
    )
    is_flammable = models.BooleanField(_("易燃"), default=False)
    is_explosive = models.BooleanField(_("爆炸品"), default=False)
    is_toxic = models.BooleanField(_("剧毒"), default=False)
    is_precursor = models.BooleanField(_("易制毒"), default=False)
    is_explosive_precursor = models.BooleanField(_("易制爆"), default=False)
    # Derived from the flags on save (indexed for the dashboard and the list filter).
    controlled = models.BooleanField(_("管制类（双人双锁）"), default=False, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("危化品")
        verbose_name_plural = _("危化品")
        constraints = [
            *RegisterItem.Meta.constraints,
            models.UniqueConstraint(
                fields=["unit", "name", "spec"],
                name="chemical_unique_name_spec_per_unit",
                violation_error_message=_("本单位已有同名同规格的危化品。"),
            ),
        ]
        indexes = [models.Index(fields=["unit", "controlled"], name="chemical_unit_controlled")]

    def __str__(self) -> str:
        return f"{self.name}（{self.spec}）" if self.spec else self.name

    def clean(self) -> None:
        self.name = (self.name or "").strip()
        self.spec = (self.spec or "").strip()
        self.cas_number = (self.cas_number or "").strip()
        if not self.name:
            raise ValidationError({"name": _("名称不能为空。")})

    def save(self, *args, **kwargs) -> None:
        self.controlled = self.is_controlled()
        super().save(*args, **kwargs)

    def is_controlled(self) -> bool:
        from xiaoan.chemicals.choices import CONTROLLED_CLASSES

        return any(getattr(self, CLASS_FIELDS[c]) for c in CONTROLLED_CLASSES)

    @property
    def class_labels(self) -> list[str]:
        return [str(c.label) for c, f in CLASS_FIELDS.items() if getattr(self, f)]


class Storage(RegisterItem):
    """A 专室 or 专柜 of a unit; its two keyholders each hold one of the two locks. A
    register item (xiaoan.chemicals.registers), so an inspection or a hazard can name it.

    `next_stocktake_on` is derived by the ledger (xiaoan.chemicals.rules): a storage
    holding any controlled chemical is counted monthly."""

    kind = models.CharField(_("类型"), max_length=10, choices=StorageKind.choices)
    keeper_one = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保管人（钥匙一）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    keeper_two = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保管人（钥匙二）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    next_stocktake_on = models.DateField(_("下次盘点日期"), null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("存放点")
        verbose_name_plural = _("存放点")
        constraints = [
            *RegisterItem.Meta.constraints,
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="storage_unique_name_per_unit",
                violation_error_message=_("本单位已有同名的存放点。"),
            ),
            models.CheckConstraint(
                condition=~Q(keeper_one=F("keeper_two")), name="storage_two_keyholders"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def clean(self) -> None:
        """Both keyholders are serving staff of the storage's unit (its departments
        included), and two different people (双人双锁)."""
        self.name = (self.name or "").strip()
        errors: dict[str, str] = {}
        unit = self.unit if self.unit_id else None
        for field in ("keeper_one", "keeper_two"):
            if getattr(self, f"{field}_id") is None or unit is None:
                continue
            keeper = getattr(self, field)
            if (
                not keeper.is_active
                or keeper.unit_id is None
                or not keeper.unit.path.startswith(unit.path)
            ):
                errors[field] = _("保管人须是本单位（含内设部门）在职人员。")
        if (
            not errors
            and self.keeper_one_id is not None
            and self.keeper_one_id == self.keeper_two_id
        ):
            errors["keeper_two"] = _("两把钥匙须由两个不同的人保管（双人双锁）。")
        if errors:
            raise ValidationError(errors)


class Balance(models.Model):
    """The stock of one chemical in one storage: the sum of its posted movements."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    chemical = models.ForeignKey(
        Chemical, verbose_name=_("危化品"), on_delete=models.PROTECT, related_name="balances"
    )
    storage = models.ForeignKey(
        Storage, verbose_name=_("存放点"), on_delete=models.PROTECT, related_name="balances"
    )
    quantity = quantity_field(_("结存"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        constraints = [
            models.UniqueConstraint(fields=["chemical", "storage"], name="balance_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.chemical} @ {self.storage}: {self.quantity}"


class StockMovement(models.Model):
    """One line of the ledger (出入库记录). `quantity` is signed: positive into the storage,
    negative out of it. A movement of a controlled chemical waits for a second, different
    person's signature (复核) before it changes the balance."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    chemical = models.ForeignKey(
        Chemical, verbose_name=_("危化品"), on_delete=models.PROTECT, related_name="movements"
    )
    storage = models.ForeignKey(
        Storage, verbose_name=_("存放点"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=MovementKind.choices)
    quantity = quantity_field(_("数量"))
    occurred_on = models.DateField(_("日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=MovementStatus.choices, default=MovementStatus.PENDING
    )
    version = models.PositiveIntegerField(default=0)
    needs_second = models.BooleanField(_("须双人复核"), default=False)
    # Teachers and lab staff who take a bottle often have no account: the name as signed.
    recipient_name = models.CharField(_("领用人"), max_length=50, blank=True)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    disposer_name = models.CharField(_("处置单位"), max_length=100, blank=True)
    disposer_licence = models.CharField(_("危险废物经营许可证号"), max_length=60, blank=True)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    balance_after = quantity_field(_("结存"), null=True, blank=True)
    posted_at = models.DateTimeField(_("入账时间"), null=True, blank=True)
    stocktake = models.ForeignKey(
        "Stocktake",
        verbose_name=_("盘点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # A phone at the cabinet retries on a bad connection: a retry with the same key is the
    # same movement, never a second issue (xiaoan.core.idempotency).
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    replayed = False  # set on the movement a retry returns

    class Meta:
        verbose_name = _("出入库记录")
        verbose_name_plural = _("出入库记录")
        ordering = ["-created_at", "-pk"]
        permissions = [("confirm_stockmovement", _("复核危化品出入库（双人双锁）"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=INCOMING, quantity__gt=0)
                | Q(kind__in=OUTGOING, quantity__lt=0)
                | (Q(kind=MovementKind.ADJUSTMENT) & ~Q(quantity=0)),
                name="movement_quantity_signed_by_kind",
            ),
            models.UniqueConstraint(
                fields=["actor", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="movement_idempotency",
            ),
            models.CheckConstraint(
                condition=Q(second_signer__isnull=True) | ~Q(second_signer=F("actor")),
                name="movement_second_signer_differs",
            ),
            models.CheckConstraint(
                condition=~Q(status=MovementStatus.POSTED)
                | Q(balance_after__isnull=False, balance_after__gte=0, posted_at__isnull=False),
                name="movement_posted_has_balance",
            ),
        ]
        indexes = [
            models.Index(fields=["chemical", "storage", "posted_at"], name="movement_ledger"),
            models.Index(fields=["unit", "status"], name="movement_unit_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.chemical} {self.quantity}"

    @property
    def amount(self):
        """The quantity without its sign, as the forms and the 台账 columns show it."""
        return abs(self.quantity)


class StockMovementEvent(WorkflowEvent):
    stockmovement = models.ForeignKey(
        StockMovement, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("动作"), max_length=30, choices=MovementAction.choices)
    from_status = models.CharField(max_length=20, blank=True, choices=MovementStatus.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=MovementStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("出入库记录步骤")
        verbose_name_plural = _("出入库记录步骤")


class Stocktake(models.Model):
    """A count (盘点) of one storage: each line the book and the counted quantity; every
    difference is posted as an explained adjustment movement."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    storage = models.ForeignKey(
        Storage, verbose_name=_("存放点"), on_delete=models.PROTECT, related_name="stocktakes"
    )
    taken_on = models.DateField(_("盘点日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("盘点人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("盘点")
        verbose_name_plural = _("盘点")
        ordering = ["-taken_on", "-pk"]
        indexes = [models.Index(fields=["unit", "taken_on"], name="stocktake_unit_date")]

    def __str__(self) -> str:
        return f"{self.storage.name} {self.taken_on:%Y-%m-%d}"


class StocktakeLine(models.Model):
    stocktake = models.ForeignKey(
        Stocktake, verbose_name=_("盘点"), on_delete=models.CASCADE, related_name="lines"
    )
    chemical = models.ForeignKey(
        Chemical, verbose_name=_("危化品"), on_delete=models.PROTECT, related_name="+"
    )
    book_quantity = quantity_field(_("账面数"))
    counted_quantity = quantity_field(_("实盘数"))
    difference = quantity_field(_("差异"))
    reason = models.CharField(_("差异原因"), max_length=200, blank=True)
    movement = models.OneToOneField(
        StockMovement,
        verbose_name=_("调整记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stocktake_line",
    )

    class Meta:
        verbose_name = _("盘点明细")
        verbose_name_plural = _("盘点明细")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "chemical"], name="stocktake_line_unique"),
            models.CheckConstraint(
                condition=Q(counted_quantity__gte=0), name="stocktake_counted_not_negative"
            ),
            # Within half a unit of the last place: SQLite computes in binary floating point.
            models.CheckConstraint(
                condition=Q(
                    difference__gte=F("counted_quantity") - F("book_quantity") - HALF_QUANTUM,
                    difference__lte=F("counted_quantity") - F("book_quantity") + HALF_QUANTUM,
                ),
                name="stocktake_difference_is_count_minus_book",
            ),
            models.CheckConstraint(
                condition=Q(difference=0) | ~Q(reason=""), name="stocktake_difference_explained"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chemical_id}: {self.counted_quantity}"
