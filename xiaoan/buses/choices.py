from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckResult(models.TextChoices):
    OK = "ok", _("正常")
    FAILED = "failed", _("异常")


# The daily pre-trip check (出车前安全检查), in the order a driver walks round the bus.
CHECK_ITEMS: list[tuple[str, str]] = [
    ("brakes", _("制动（刹车）")),
    ("lights", _("灯光、喇叭、雨刮")),
    ("tyres", _("轮胎")),
    ("doors", _("车门、安全门及应急窗")),
    ("extinguisher", _("灭火器")),
    ("first_aid", _("急救箱")),
    ("devices", _("视频监控、人脸识别、红外生命探测设备运行正常")),
    ("driver_fit", _("驾驶人状态良好（无饮酒、无疲劳）")),
]
CHECK_KEYS = [key for key, _label in CHECK_ITEMS]

ATTACHMENT_KINDS = [
    ("permit", _("校车使用许可证")),
    ("licence", _("行驶证")),
    ("contract", _("运营合同")),
    ("photo", _("照片")),
    ("other", _("其他")),
]
