from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class Rollup(models.TextChoices):
    """How an authority's value is made from its schools' values."""

    MEAN = "mean", _("平均值")
    SUM = "sum", _("合计")
    SHARE = "share", _("达标单位占比")
    MIN = "min", _("最低值")


class Source(models.TextChoices):
    PROVIDER = "provider", _("系统计算")
    REPORTED = "reported", _("单位填报")


class ValueStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已通过")
    RETURNED = "returned", _("已退回")


class ValueAction(models.TextChoices):
    REPORT = "report", _("填报")
    RESUBMIT = "resubmit", _("重新填报")
    ACCEPT = "accept", _("审核通过")
    RETURN = "return", _("退回")


class Standing(models.TextChoices):
    MET = "met", _("已达标")
    BEHIND = "behind", _("未达标")
    MISSING = "missing", _("未填报")
    NO_TARGET = "no_target", _("未设目标")
