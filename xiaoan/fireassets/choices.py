from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    EXTINGUISHER = "extinguisher", _("灭火器")
    HYDRANT = "hydrant", _("消火栓")
    DETECTOR = "detector", _("火灾探测器")
    STATION = "station", _("微型消防站")


class AssetType(models.TextChoices):
    """The type of an asset, each proper to one kind (FireAsset.clean checks the pair)."""

    DRY_POWDER = "dry_powder", _("干粉")
    CO2 = "co2", _("二氧化碳")
    WATER = "water", _("水基")
    FOAM = "foam", _("泡沫")
    INDOOR = "indoor", _("室内消火栓")
    OUTDOOR = "outdoor", _("室外消火栓")
    SMOKE = "smoke", _("烟感")
    HEAT = "heat", _("温感")


TYPES_OF = {
    AssetKind.EXTINGUISHER: (AssetType.DRY_POWDER, AssetType.CO2, AssetType.WATER, AssetType.FOAM),
    AssetKind.HYDRANT: (AssetType.INDOOR, AssetType.OUTDOOR),
    AssetKind.DETECTOR: (AssetType.SMOKE, AssetType.HEAT),
    AssetKind.STATION: (),
}
# Kinds whose type must be given (a station has none).
TYPE_REQUIRED = (AssetKind.EXTINGUISHER, AssetKind.DETECTOR)


class CheckResult(models.TextChoices):
    OK = "ok", _("正常")
    FAILED = "failed", _("异常")


ATTACHMENT_KINDS = [
    ("photo", _("照片")),
    ("report", _("检测/维修报告")),
    ("other", _("其他")),
]
