from django.db import models
from django.utils.translation import gettext_lazy as _


class DrillKind(models.TextChoices):
    FIRE_EVACUATION = "fire_evacuation", _("消防疏散")
    EARTHQUAKE = "earthquake", _("地震应急疏散")
    INTRUSION = "intrusion", _("防暴恐（暴力侵害）")
    STAMPEDE = "stampede", _("防踩踏")
    EPIDEMIC = "epidemic", _("公共卫生（传染病防控）")
    FLOOD = "flood", _("防汛")
    GAS_LEAK = "gas_leak", _("燃气泄漏")


class DrillStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    RECORDED = "recorded", _("已实施待评估")
    EVALUATED = "evaluated", _("已评估")
    CANCELLED = "cancelled", _("已取消")


class DrillAction(models.TextChoices):
    PLAN = "plan", _("制定演练计划")
    EDIT = "edit", _("修改演练计划")
    RECORD = "record", _("记录实施情况")
    EVALUATE = "evaluate", _("评估")
    CANCEL = "cancel", _("取消")
    INVITE = "invite", _("邀请观摩")
    UNINVITE = "uninvite", _("取消邀请")


class CheckResult(models.TextChoices):
    OK = "ok", _("良好")
    PROBLEM = "problem", _("存在问题")


OPEN_STATUSES = (DrillStatus.PLANNED, DrillStatus.RECORDED)
