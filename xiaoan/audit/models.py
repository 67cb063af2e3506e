"""The audit trail: one append-only, hash-chained row per security-relevant event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.scoping import ScopedQuerySet


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    MFA = "mfa", _("双因素认证")
    TOKEN = "token", _("接口令牌")
    GRANT = "grant", _("授予角色")
    REVOKE = "revoke", _("撤销角色")
    ACCOUNT = "account", _("账号管理")
    EXPORT = "export", _("导出")
    DOWNLOAD = "download", _("下载文件")
    CREATE = "create", _("创建")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    TRANSITION = "transition", _("流程操作")
    OTHER = "other", _("其他")


class AppendOnly(Exception):
    pass


class AuditEntry(models.Model):
    """Written only through `xiaoan.audit.services.record`. `hash` = HMAC(key, prev_hash +
    canonical JSON of the row), so a changed, inserted or removed row breaks the chain."""

    at = models.DateTimeField(_("时间"), default=timezone.now)
    # The foreign keys may be nulled when a person or unit is deleted (the snapshot and the
    # hash stay); they are not part of the hash for that reason.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=120, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    prev_hash = models.CharField(max_length=128, blank=True)
    hash = models.CharField(max_length=128)
    algorithm = models.CharField(max_length=20)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]
        permissions = [("export_auditentry", _("导出审计记录"))]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
            models.Index(fields=["unit", "at"], name="audit_unit_at"),
            models.Index(fields=["ip", "at"], name="audit_ip_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr or self.actor_name}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries are removed only by `xiaoan audit archive`")


class AuditArchive(models.Model):
    """A file the archive command wrote. The last archived row's hash is the anchor the
    remaining chain starts from."""

    at = models.DateTimeField(default=timezone.now)
    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    count = models.PositiveIntegerField()
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("审计归档")
        verbose_name_plural = _("审计归档")
        ordering = ["-last_id"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.path
