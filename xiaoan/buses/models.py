"""校车 (school buses) on the register layer (xiaoan.core.registers), with their daily
pre-trip checks (出车前安全检查).

The plate (车牌号) is the natural key within the unit. The 校车使用许可 expiry is a due
date warned 30 days ahead. Drivers and escorts (随车照管员) are certificates of the 持证上岗
register (xiaoan.buses.crew says which fit), whose own expiry that register warns. A failed
pre-trip check raises one hazard linked to the bus (xiaoan.buses.rules), kept in
`open_hazard` so no second one is raised while it is open; the last check's date and result
are copied onto the bus for the lists, the counters and the to-dos.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.buses.choices import CHECK_ITEMS, CheckResult
from xiaoan.core.models import RegisterItem
from xiaoan.core.scoping import ScopedQuerySet

# 鄂G12345, or a new-energy plate of six after the letter; 鄂G·12345 is read the same.
PLATE_RE = re.compile(r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$")
_PLATE_NOISE = re.compile(r"[\s·•．.\-]+")
_STOP_SPLIT = re.compile(r"[\n\r、；;]+")  # a sheet's cell lists stops with 、
MAX_SEATS = 80


def normalize_plate(value: str | None) -> str:
    return _PLATE_NOISE.sub("", value or "").upper()


class Bus(RegisterItem):
    plate = models.CharField(
        _("车牌号"), max_length=12, help_text=_("如 鄂G12345；本单位内唯一，导入时据此更新")
    )
    seats = models.PositiveSmallIntegerField(_("核定载客人数"), null=True, blank=True)
    operator = models.CharField(
        _("运营单位"),
        max_length=100,
        blank=True,
        help_text=_("学校自有填本校；委托运营填校车服务公司名称"),
    )
    route = models.CharField(_("行驶线路"), max_length=200, blank=True)
    stops = models.TextField(_("停靠站点"), blank=True, help_text=_("每行一个站点"))
    permit_number = models.CharField(_("校车使用许可证号"), max_length=60, blank=True)
    permit_valid_until = models.DateField(_("许可有效期至"), null=True, blank=True)
    has_monitoring = models.BooleanField(_("视频监控接入平台"), default=False)
    has_face_recognition = models.BooleanField(_("人脸识别"), default=False)
    has_infrared = models.BooleanField(_("红外生命探测"), default=False)
    drivers = models.ManyToManyField(
        "certificates.Certificate",
        verbose_name=_("驾驶人"),
        blank=True,
        related_name="driven_buses",
        help_text=_("本单位持证上岗台账中在用的机动车驾驶证"),
    )
    escorts = models.ManyToManyField(
        "certificates.Certificate",
        verbose_name=_("随车照管员"),
        blank=True,
        related_name="escorted_buses",
        help_text=_("本单位持证上岗台账中在用的随车照管员培训合格证明"),
    )
    last_checked_on = models.DateField(_("最近出车前检查"), null=True, blank=True, editable=False)
    last_check_result = models.CharField(
        _("最近检查结果"), max_length=10, choices=CheckResult.choices, blank=True, editable=False
    )
    # The hazard a failed check raised, kept so it is raised once while open.
    open_hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("关联隐患"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta(RegisterItem.Meta):
        verbose_name = _("校车")
        verbose_name_plural = _("校车")
        constraints = [
            *RegisterItem.Meta.constraints,
            models.UniqueConstraint(
                fields=["unit", "plate"],
                name="bus_plate_per_unit",
                violation_error_message=_("本单位已登记该车牌号的校车。"),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="bus_unit_retired"),
            models.Index(fields=["permit_valid_until"], name="bus_permit_until"),
            models.Index(fields=["last_checked_on"], name="bus_checked"),
        ]

    @property
    def checked_today(self) -> bool:
        return self.last_checked_on == timezone.localdate()

    @property
    def permit_expired(self) -> bool:
        return bool(self.permit_valid_until and self.permit_valid_until < timezone.localdate())

    def stop_list(self) -> list[str]:
        return [s.strip() for s in _STOP_SPLIT.split(self.stops or "") if s.strip()]

    def clean_fields(self, exclude=None) -> None:
        self.plate = normalize_plate(self.plate)
        self.name = (self.name or "").strip() or self.plate
        self.stops = "\n".join(self.stop_list())
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.plate and not PLATE_RE.match(self.plate):
            errors["plate"] = _("车牌号格式不正确（如 鄂G12345）。")
        if self.seats is not None and not 1 <= self.seats <= MAX_SEATS:
            errors["seats"] = _("核定载客人数须在 1 到 %(n)d 之间。") % {"n": MAX_SEATS}
        if self.permit_number and not self.permit_valid_until:
            errors["permit_valid_until"] = _("填写许可证号时须填写许可有效期。")
        if errors:
            raise ValidationError(errors)


def check_photo_path(instance: BusCheck, filename: str) -> str:
    now = timezone.now()
    return f"buses/{now:%Y/%m}/{instance.bus_id}-{now:%H%M%S%f}.jpg"


class BusCheck(models.Model):
    """One pre-trip check (出车前安全检查) of one bus: each checklist item 正常 or 异常, a
    note (required when one failed) and an optional photo."""

    bus = models.ForeignKey(
        Bus, verbose_name=_("校车"), on_delete=models.PROTECT, related_name="checks"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_on = models.DateField(_("检查日期"))
    checked_at = models.DateTimeField(_("检查时间"), default=timezone.now)
    items = models.JSONField(_("检查项目"), default=dict)  # item key -> "ok" / "failed"
    result = models.CharField(_("结果"), max_length=10, choices=CheckResult.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    photo = models.ImageField(_("照片"), upload_to=check_photo_path, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("出车前安全检查")
        verbose_name_plural = _("出车前安全检查")
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checker", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="buscheck_key_per_checker",
            )
        ]
        indexes = [
            models.Index(fields=["bus", "checked_on"], name="buscheck_bus_date"),
            models.Index(fields=["unit", "checked_on"], name="buscheck_unit_date"),
        ]

    def __str__(self) -> str:
        return f"{self.bus_id} {self.checked_on} {self.result}"

    def failed_labels(self) -> list[str]:
        return [str(label) for key, label in CHECK_ITEMS if self.items.get(key) == "failed"]
