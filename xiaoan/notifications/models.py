from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a person's in-app inbox (also sent by email when they have one)."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("交办")
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("逾期")
        REJECTED = "rejected", _("验收不通过")
        SUPERVISED = "supervised", _("挂牌督办")
        SUBMITTED = "submitted", _("待验收")
        EXTENSION = "extension", _("延期")
        REVIEW = "review", _("待审核")
        ACCEPTED = "accepted", _("审核通过")
        RETURNED = "returned", _("退回")
        # Account security (password reset, role granted or revoked, MFA reset): emailed at
        # once whatever the person's email choice, never merged or left to the digest.
        SECURITY = "security", _("账号安全")
        OTHER = "other", _("其他")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # A grouped notice: what one action sent this person, each {"title", "body", "url"}.
    items = models.JSONField(default=list, blank=True)
    # "kind url" of each item, one a line, so `was_notified` finds a merged reminder.
    item_keys = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How a person wants their notices by email (the inbox always has them)."""

    class Email(models.TextChoices):
        EACH = "each", _("每条消息发一封邮件")
        DIGEST = "digest", _("每天汇总发一封邮件")
        NONE = "none", _("不发邮件")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("邮件提醒"), max_length=10, choices=Email.choices, default=Email.EACH
    )
    # Where the last digest stopped: a second run the same day sends nothing twice.
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("消息设置")
        verbose_name_plural = _("消息设置")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"
