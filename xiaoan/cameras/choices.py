from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyArea(models.TextChoices):
    """The key place a camera watches (重点部位)."""

    GATE = "gate", _("校门")
    DORMITORY = "dormitory", _("宿舍")
    CANTEEN = "canteen", _("食堂")
    LAB = "lab", _("实验室")
    PERIMETER = "perimeter", _("周界")
    TEACHING = "teaching", _("教学楼")
    OTHER = "other", _("其他")


# The key places every school must cover with at least one working camera; dormitories
# only where the school boards its students (orgs.Unit.boarding).
COVERED_AREAS = (
    KeyArea.GATE,
    KeyArea.DORMITORY,
    KeyArea.CANTEEN,
    KeyArea.LAB,
    KeyArea.PERIMETER,
)


class Direction(models.TextChoices):
    EAST = "east", _("朝东")
    SOUTH = "south", _("朝南")
    WEST = "west", _("朝西")
    NORTH = "north", _("朝北")
    NORTHEAST = "northeast", _("朝东北")
    SOUTHEAST = "southeast", _("朝东南")
    SOUTHWEST = "southwest", _("朝西南")
    NORTHWEST = "northwest", _("朝西北")
    PANORAMA = "panorama", _("全景")


class CameraStatus(models.TextChoices):
    WORKING = "working", _("正常")
    FAULTY = "faulty", _("故障")


class CheckResult(models.TextChoices):
    PASSED = "passed", _("正常")
    FAILED = "failed", _("异常")


CAMERA_ATTACHMENTS = [("photo", _("点位照片")), ("report", _("检测报告")), ("other", _("其他"))]
ALARM_ATTACHMENTS = [("photo", _("点位照片")), ("record", _("测试记录")), ("other", _("其他"))]
