from django.db import models
from django.utils.translation import gettext_lazy as _


class EquipmentKind(models.TextChoices):
    """The kinds of 特种设备 (《特种设备安全法》第二条, 特种设备目录) a school runs."""

    ELEVATOR = "elevator", _("电梯")
    BOILER = "boiler", _("锅炉")
    PRESSURE_VESSEL = "pressure_vessel", _("压力容器")
    PRESSURE_PIPE = "pressure_pipe", _("压力管道")
    CRANE = "crane", _("起重机械")
    VEHICLE = "vehicle", _("场（厂）内专用机动车辆")


class Conclusion(models.TextChoices):
    """定期检验结论 as inspection reports state it (电梯 合格/不合格; 锅炉、压力容器
    符合要求/基本符合要求/不符合要求 read as the same three)."""

    PASSED = "passed", _("合格")
    CONDITIONAL = "conditional", _("基本符合要求")
    FAILED = "failed", _("不合格")


ATTACHMENT_KINDS = [
    ("registration", _("使用登记证")),
    ("report", _("定期检验报告")),
    ("maintenance", _("维保合同与记录")),
    ("photo", _("照片")),
    ("other", _("其他")),
]
