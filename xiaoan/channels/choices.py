from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    FEISHU = "feishu", _("飞书群机器人")
    SMS = "sms", _("短信")


ROBOTS = (ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.FEISHU)
# Platforms whose robots sign requests with a secret (WeCom's webhook key is the URL alone).
SIGNED = (ChannelKind.DINGTALK, ChannelKind.FEISHU)


class Severity(models.TextChoices):
    """The alerts' levels (xiaoan.alerts.choices.Severity), named as the alerts name them."""

    INFO = "info", _("提示")
    WARNING = "warning", _("预警")
    CRITICAL = "critical", _("紧急")


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class Category(models.TextChoices):
    """What a message is about; a channel receives the categories it names (none: all)."""

    ALERTS = "alerts", _("预警")
    HAZARDS = "hazards", _("隐患")
    INSPECTIONS = "inspections", _("检查排查")
    DUTIES = "duties", _("常态化任务")
    NOTICES = "notices", _("通知公告")


# A test message from the channel's page: sent whatever the channel's routing says.
TEST_CATEGORY = "test"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
