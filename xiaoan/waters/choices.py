from django.db import models
from django.utils.translation import gettext_lazy as _


class WaterKind(models.TextChoices):
    RIVER = "river", _("河流")
    RESERVOIR = "reservoir", _("水库")
    POND = "pond", _("池塘")
    DITCH = "ditch", _("沟渠")
    LAKE = "lake", _("湖泊")
    PIT = "pit", _("坑塘/矿坑")
    OTHER = "other", _("其他")


ATTACHMENT_KINDS = [("photo", _("现场照片")), ("map", _("位置图")), ("other", _("其他"))]
