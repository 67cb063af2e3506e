from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# Quantities: up to 999 999 999.999 in the chemical's unit of measure, three decimals (mg in
# g, mL in L); every amount is quantized to this before it is compared or stored.
QUANTITY_DIGITS = 12
QUANTITY_PLACES = 3
QUANTUM = Decimal("0.001")


class ChemicalClass(models.TextChoices):
    """The classes the catalogue records (a chemical may be in several)."""

    FLAMMABLE = "flammable", _("易燃")
    EXPLOSIVE = "explosive", _("爆炸品")
    TOXIC = "toxic", _("剧毒")
    PRECURSOR = "precursor", _("易制毒")
    EXPLOSIVE_PRECURSOR = "explosive_precursor", _("易制爆")


# Classes under public-security control: every movement needs two signatures (双人双锁).
CONTROLLED_CLASSES = frozenset(
    {
        ChemicalClass.EXPLOSIVE,
        ChemicalClass.TOXIC,
        ChemicalClass.PRECURSOR,
        ChemicalClass.EXPLOSIVE_PRECURSOR,
    }
)


class MeasureUnit(models.TextChoices):
    GRAM = "g", _("克（g）")
    KILOGRAM = "kg", _("千克（kg）")
    MILLILITRE = "mL", _("毫升（mL）")
    LITRE = "L", _("升（L）")
    BOTTLE = "bottle", _("瓶")
    PIECE = "piece", _("支/个")


class StorageKind(models.TextChoices):
    ROOM = "room", _("专室")
    CABINET = "cabinet", _("专柜")


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("入库")
    ISSUE = "issue", _("领用")
    RETURN = "return", _("退回")
    USE = "use", _("使用消耗")
    WASTE = "waste", _("废弃物移交")
    ADJUSTMENT = "adjustment", _("盘点调整")


# The sign of each kind's quantity: +1 into the storage, -1 out of it, 0 either way.
DIRECTION = {
    MovementKind.RECEIPT: 1,
    MovementKind.RETURN: 1,
    MovementKind.ISSUE: -1,
    MovementKind.USE: -1,
    MovementKind.WASTE: -1,
    MovementKind.ADJUSTMENT: 0,
}
INCOMING = [k for k, d in DIRECTION.items() if d > 0]
OUTGOING = [k for k, d in DIRECTION.items() if d < 0]
# Recorded from the movement form; adjustments come only from a stocktake.
RECORDABLE = [k for k in MovementKind if k != MovementKind.ADJUSTMENT]


class MovementStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    POSTED = "posted", _("已入账")
    REJECTED = "rejected", _("已退回")


class MovementAction(models.TextChoices):
    RECORD = "record", _("登记")
    CONFIRM = "confirm", _("复核确认")
    REJECT = "reject", _("复核退回")


CHEMICAL_ATTACHMENTS = [
    ("msds", _("安全技术说明书（MSDS）")),
    ("licence", _("购买许可或备案文件")),
    ("other", _("其他")),
]
STORAGE_ATTACHMENTS = [
    ("photo", _("照片")),
    ("rules", _("管理制度")),
    ("other", _("其他")),
]
