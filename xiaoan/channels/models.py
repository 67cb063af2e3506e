"""Where messages go beyond the inbox and email (group robots, SMS), and a record of each
message sent to each of them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.channels.choices import ChannelKind, DeliveryStatus, Severity
from xiaoan.core.fields import EncryptedCharField
from xiaoan.core.models import TimeStamped
from xiaoan.core.scoping import ScopedQuerySet


class Channel(TimeStamped):
    """A unit's group robot or SMS list, and what it receives (severity and categories)."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("渠道类型"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    # The webhook URL carries the robot's access key; the numbers are personal data: both are
    # encrypted at rest and never shown back in full.
    target = EncryptedCharField(_("Webhook 地址或手机号"), max_length=1000, masked=True)
    secret = EncryptedCharField(_("加签密钥"), max_length=200, blank=True, default="", masked=True)
    min_severity = models.CharField(
        _("最低级别"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    categories = models.JSONField(_("接收类别"), default=list, blank=True)
    include_subtree = models.BooleanField(_("同时接收下级单位的消息"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "secret"])
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息推送渠道")
        verbose_name_plural = _("消息推送渠道")
        ordering = ["unit__path", "name", "pk"]
        indexes = [models.Index(fields=["unit", "is_active"], name="channel_unit_active")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class Delivery(models.Model):
    """One message to one channel: sent by the job queue, retried with backoff, never twice.

    `key` makes a retried producer harmless: one row per (channel, key)."""

    channel = models.ForeignKey(
        Channel, verbose_name=_("渠道"), on_delete=models.PROTECT, related_name="deliveries"
    )
    # The channel's unit, copied: scoping and the log's filters read it without a join.
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("类别"), max_length=30)
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    ref = models.CharField(_("关联记录"), max_length=60, blank=True)
    key = models.CharField(_("去重键"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    # A worker sending it holds it until then; another worker (a retried job) leaves it alone.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(_("错误信息"), max_length=500, blank=True)
    response_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="delivery_once_per_channel")
        ]
        indexes = [
            models.Index(fields=["unit", "created_at"], name="delivery_unit_created"),
            models.Index(fields=["channel", "status"], name="delivery_channel_status"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["ref"], name="delivery_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.channel_id}"
