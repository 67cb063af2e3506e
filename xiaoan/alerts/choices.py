from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertOrigin(models.TextChoices):
    RULE = "rule", _("规则")
    SOURCE = "source", _("外部系统")
    MANUAL = "manual", _("人工发布")


class Severity(models.TextChoices):
    INFO = "info", _("提示")
    WARNING = "warning", _("预警")
    CRITICAL = "critical", _("紧急")


class AlertStatus(models.TextChoices):
    RAISED = "raised", _("待确认")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    HANDLED = "handled", _("已处置")
    CLOSED = "closed", _("已关闭")


OPEN_STATUSES = (AlertStatus.RAISED, AlertStatus.ACKNOWLEDGED, AlertStatus.HANDLED)


class ReceiptState(models.TextChoices):
    QUEUED = "queued", _("待处理")
    DONE = "done", _("已处理")
    FAILED = "failed", _("处理失败")


class Disposition(models.TextChoices):
    FALSE_ALARM = "false_alarm", _("误报")
    FIXED = "fixed", _("现场处置")
    HAZARD = "hazard", _("转为隐患")
    TRANSFERRED = "transferred", _("转交其他单位")


class AlertAction(models.TextChoices):
    RAISE = "raise", _("产生预警")
    ACKNOWLEDGE = "acknowledge", _("确认")
    HANDLE = "handle", _("处置")
    TRANSFER = "transfer", _("转交其他单位")
    CLOSE = "close", _("关闭")
    ESCALATE = "escalate", _("超时升级")


class WarningKind(models.TextChoices):
    """What a bureau posts to its schools (人工发布的预警)."""

    RAINSTORM = "rainstorm", _("暴雨")
    TYPHOON = "typhoon", _("台风")
    HEAT = "heat", _("高温")
    COLD = "cold", _("寒潮")
    OTHER = "other", _("其他")
