"""校园车辆管理: one row per vehicle allowed on a campus (staff, service, visitor cars and
e-bikes, each by its plate), on the register layer (xiaoan.core.registers), with its
access rights (gates, hours, valid until), the violations recorded at the gate and the
blacklist they lead to.

A vehicle is blacklisted automatically once it has `threshold` violations within
`window_days` (per school, `BlacklistRule`; `DEFAULT_THRESHOLD` in `DEFAULT_WINDOW_DAYS`
without one); only violations recorded after the last lifting count, so a lifted vehicle
starts afresh. Each blacklisting is a `Blacklisting` row kept after it is lifted (who,
when, why): the history. While blacklisted, its access is revoked whatever its status."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import RegisterItem
from xiaoan.core.names import normalize_name
from xiaoan.core.scoping import ScopedQuerySet
from xiaoan.vehicles.choices import AccessStatus, VehicleClass, ViolationKind

# The blacklist rule where a school has set none: 3 violations within 180 days.
DEFAULT_THRESHOLD = 3
DEFAULT_WINDOW_DAYS = 180

PLATE_NOISE = re.compile(r"[\s·•\-_.]")
PLATE_OK = re.compile(r"^[0-9A-Z\u4e00-\u9fff]{4,12}$")
HOURS = re.compile(r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$")
HOURS_SPLIT = re.compile(r"[,，、;；\s]+")


def normalize_plate(value: str | None) -> str:
    """鄂G·A1234 / 鄂g a1234 → 鄂GA1234: the plate as one string, found however typed."""
    return PLATE_NOISE.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def hours_valid(value: str) -> bool:
    for part in HOURS_SPLIT.split(value.strip()):
        if not part:
            continue
        if not HOURS.match(part):
            return False
        start, end = part.split("-")
        for moment in (start, end):
            hour, minute = (int(x) for x in moment.split(":"))
            if hour > 24 or minute > 59 or (hour == 24 and minute):
                return False
        if start.zfill(5) >= end.zfill(5):
            return False
    return True


class CampusVehicle(RegisterItem):
    name = models.CharField(
        _("车牌号"), max_length=20, help_text=_("电动自行车填其号牌；本单位内唯一")
    )
    code = models.CharField(_("通行证编号"), max_length=60, blank=True)
    owner = models.CharField(_("车主/驾驶人"), max_length=100)
    vehicle_class = models.CharField(_("车辆类别"), max_length=20, choices=VehicleClass.choices)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.CharField(
        _("品牌型号/颜色"), max_length=60, blank=True, help_text=_("如 白色大众朗逸")
    )
    employer = models.CharField(
        _("所属单位/事由"), max_length=100, blank=True, help_text=_("服务、访客车辆填写")
    )
    allowed_gates = models.CharField(
        _("允许通行校门"), max_length=100, blank=True, help_text=_("如 东门、南门；不填为全部")
    )
    allowed_hours = models.CharField(
        _("允许通行时段"),
        max_length=100,
        blank=True,
        help_text=_("如 07:00-08:30、16:30-18:00；不填为不限"),
    )
    valid_until = models.DateField(
        _("通行有效期至"), null=True, blank=True, help_text=_("访客、服务车辆必填")
    )
    status = models.CharField(
        _("通行状态"), max_length=20, choices=AccessStatus.choices, default=AccessStatus.ALLOWED
    )
    blacklisted = models.BooleanField(_("黑名单"), default=False, editable=False)
    blacklisted_on = models.DateField(_("列入黑名单日期"), null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("校园车辆")
        verbose_name_plural = _("校园车辆")
        permissions = [("lift_campusvehicle", _("解除车辆黑名单"))]
        constraints = [
            *RegisterItem.Meta.constraints,
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="campusvehicle_plate_per_unit",
                violation_error_message=_("本单位已登记该车牌号。"),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="campusvehicle_unit_retired"),
            models.Index(fields=["name"], name="campusvehicle_plate"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.owner}）"

    def clean_fields(self, exclude=None) -> None:
        self.name = normalize_plate(self.name)
        self.owner = normalize_name(self.owner)
        self.allowed_hours = (self.allowed_hours or "").strip()
        # A sheet's empty 通行状态 cell means the default, as the form's does.
        self.status = self.status or AccessStatus.ALLOWED
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.name and not PLATE_OK.match(self.name):
            errors["name"] = _("车牌号应为4–12位汉字、字母或数字，如 鄂G A1234。")
        if self.allowed_hours and not hours_valid(self.allowed_hours):
            errors["allowed_hours"] = _("通行时段格式应为 07:00-08:30，多个时段用顿号分隔。")
        temporary = (VehicleClass.VISITOR, VehicleClass.SERVICE)
        if self.vehicle_class in temporary and self.valid_until is None:
            errors["valid_until"] = _("访客、服务车辆须填写通行有效期。")
        if errors:
            raise ValidationError(errors)

    def may_enter(self, day: dt.date | None = None) -> bool:
        """Access today: in use, allowed, not blacklisted and within its validity."""
        day = day or timezone.localdate()
        return (
            self.retired_at is None
            and not self.blacklisted
            and self.status == AccessStatus.ALLOWED
            and (self.valid_until is None or day <= self.valid_until)
        )


class Violation(models.Model):
    """A violation (违规记录) of one vehicle, recorded at the gate: never edited or deleted."""

    vehicle = models.ForeignKey(
        CampusVehicle, verbose_name=_("车辆"), on_delete=models.PROTECT, related_name="violations"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("违规日期"))
    kind = models.CharField(_("违规类型"), max_length=20, choices=ViolationKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("车辆违规记录")
        verbose_name_plural = _("车辆违规记录")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["vehicle", "occurred_on"], name="violation_vehicle_date"),
            models.Index(fields=["unit", "occurred_on"], name="violation_unit_date"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.occurred_on} {self.get_kind_display()}"


class Blacklisting(models.Model):
    """One stay of a vehicle on the blacklist: when and after how many violations, and who
    lifted it, when and why. Read with the vehicle's view permission."""

    vehicle = models.ForeignKey(
        CampusVehicle,
        verbose_name=_("车辆"),
        on_delete=models.PROTECT,
        related_name="blacklistings",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("列入时间"), default=timezone.now)
    violations = models.PositiveIntegerField(_("期间违规次数"))
    threshold = models.PositiveIntegerField(_("规则：违规次数"))
    window_days = models.PositiveIntegerField(_("规则：期间（天）"))
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_reason = models.CharField(_("解除原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("车辆黑名单记录")
        verbose_name_plural = _("车辆黑名单记录")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.started_at:%Y-%m-%d}"


class BlacklistRule(models.Model):
    """A school's own blacklist rule: `threshold` violations within `window_days`."""

    unit = models.OneToOneField(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    threshold = models.PositiveIntegerField(
        _("违规次数"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    window_days = models.PositiveIntegerField(
        _("统计期间（天）"), validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("设置时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("车辆黑名单规则")
        verbose_name_plural = _("车辆黑名单规则")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.threshold}/{self.window_days}"
