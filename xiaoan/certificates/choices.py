from django.db import models
from django.utils.translation import gettext_lazy as _


class Post(models.TextChoices):
    """The posts that need a certificate to work (持证上岗)."""

    GUARD = "guard", _("保安")
    CANTEEN = "canteen", _("食堂从业人员")
    DRIVER = "driver", _("驾驶员")
    ELECTRICIAN = "electrician", _("电工")
    WELDER = "welder", _("焊工")
    BOILER = "boiler", _("锅炉操作人员")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备作业人员")
    FIRE_TEAM = "fire_team", _("消防队员")
    BUS_ESCORT = "bus_escort", _("校车随车照管员")
    OTHER = "other", _("其他")


class CertificateKind(models.TextChoices):
    SECURITY_GUARD = "security_guard", _("保安员证")
    HEALTH = "health", _("健康证")
    DRIVING = "driving", _("机动车驾驶证")
    ELECTRICIAN = "electrician", _("特种作业操作证（电工作业）")
    WELDING = "welding", _("特种作业操作证（焊接与热切割作业）")
    BOILER = "boiler", _("特种设备作业人员证（锅炉作业）")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备作业人员证")
    FIRE = "fire", _("消防设施操作员证")
    # 校车条例: escorts are trained and certified by the school (or its bus operator).
    BUS_ESCORT = "bus_escort", _("随车照管员培训合格证明")
    OTHER = "other", _("其他")


ATTACHMENT_KINDS = [
    ("scan", _("证书扫描件")),
    ("other", _("其他")),
]
