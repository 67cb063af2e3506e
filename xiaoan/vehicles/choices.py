from django.db import models
from django.utils.translation import gettext_lazy as _


class VehicleClass(models.TextChoices):
    STAFF = "staff", _("教职工车辆")
    SERVICE = "service", _("服务车辆（送餐、维修等）")
    VISITOR = "visitor", _("访客车辆")
    EBIKE = "ebike", _("电动自行车")


class AccessStatus(models.TextChoices):
    ALLOWED = "allowed", _("准予通行")
    SUSPENDED = "suspended", _("暂停通行")


class ViolationKind(models.TextChoices):
    SPEEDING = "speeding", _("超速")
    PARKING = "parking", _("乱停放")
    UNREGISTERED = "unregistered", _("未登记进校")
    EBIKE_INDOORS = "ebike_indoors", _("电动车进楼/楼道充电")
    OTHER = "other", _("其他")


ATTACHMENT_KINDS = [
    ("licence", _("行驶证/车牌照片")),
    ("permit", _("通行证")),
    ("other", _("其他")),
]
