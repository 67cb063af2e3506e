from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.fields import EncryptedCharField, HashedLookupsMixin, LookupHashField
from xiaoan.core.names import skeleton
from xiaoan.core.scoping import ScopedQuerySet

mobile_validator = RegexValidator(r"^1\d{10}$", _("请输入11位手机号码。"))


class UserQuerySet(ScopedQuerySet):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(HashedLookupsMixin, AbstractUser):
    """A person. Logs in with username or mobile number; belongs to one unit (none for the
    platform administrators)."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Encrypted at rest; uniqueness and lookups go through mobile_hash (xiaoan/core/fields.py).
    mobile = EncryptedCharField(
        _("手机号码"),
        max_length=11,
        null=True,
        blank=True,
        validators=[mobile_validator],
    )
    mobile_hash = LookupHashField(
        _("手机号码"),
        source="mobile",
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("该手机号码已被使用。")},
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    position = models.CharField(_("职务"), max_length=50, blank=True)
    # The username's look-alike key (xiaoan.core.names.skeleton): "zhang1" and "zhangl",
    # or a Cyrillic "а" for a Latin "a", are one name to a reader and so refused.
    username_key = models.CharField(max_length=150, db_index=True, blank=True, editable=False)
    # Password policy (等保): when the owner last chose a password, and whether the current one
    # was set by someone else (a reset) and must be replaced at the next login.
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    history = HistoricalRecords(
        excluded_fields=[
            "password",
            "last_login",
            "password_changed_at",
            "must_change_password",
            "username_key",
            "mobile_hash",
        ]
    )
    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("view_auditlog", _("查看全平台审计日志"))]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def save(self, *args, **kwargs) -> None:
        if self.mobile == "":
            self.mobile = None
        self.username_key = skeleton(self.username or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_key"}
        super().save(*args, **kwargs)


class Role(models.Model):
    """A named set of permissions ("app.codename" strings). Roles are data, not code."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    description = models.TextField(_("说明"), blank=True)
    permissions = models.JSONField(_("权限"), default=list, blank=True)
    is_platform = models.BooleanField(
        _("平台角色"), default=False, help_text=_("平台角色在全平台生效，不绑定单位")
    )
    is_builtin = models.BooleanField(_("内置"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    require_mfa = models.BooleanField(
        _("要求双因素认证"),
        default=False,
        help_text=_("持有此角色的人登录时须输入动态验证码（平台管理角色始终要求）"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["is_platform", "id"]

    def __str__(self) -> str:
        return str(self.name)


class RoleAssignment(models.Model):
    """A role given to a user at a unit, with or without the unit's subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("角色"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("授权单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    include_descendants = models.BooleanField(_("含下级单位"), default=True)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("授权人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="assignment_unique"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True),
                name="assignment_platform_unique",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else _("全平台")
        return f"{self.user} · {self.role} · {where}"


class PasswordHistory(models.Model):
    """Hashes of a person's previous passwords: a new one may not repeat the last few."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """An API key (`Authorization: Token <key>`). Only a SHA-256 hash of the key is stored;
    the key itself is shown once, when it is created (see accounts.tokens)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name or self.prefix} ({self.prefix}…)"
