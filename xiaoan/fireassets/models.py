"""Fire assets (消防器材台账): extinguishers, hydrants, detectors and micro fire stations on
the register layer (xiaoan.core.registers), with their monthly checks (月检).

An asset's expiry (有效期至/报废期限) and next service are due dates warned 30 days ahead.
An expired asset or a failed check raises one hazard linked to the asset (xiaoan.fireassets
.rules), kept in `open_hazard` so no second one is raised while it is open. The last
check's date and result are copied onto the asset for the lists and the to-dos.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import RegisterItem
from xiaoan.core.scoping import ScopedQuerySet
from xiaoan.fireassets.choices import TYPE_REQUIRED, TYPES_OF, AssetKind, AssetType, CheckResult


def month_start(day: dt.date | None = None) -> dt.date:
    return (day or timezone.localdate()).replace(day=1)


def default_name(kind: str | None, code: str | None) -> str:
    """A school's sheet often numbers extinguishers without naming them: the name is the
    kind and the code then ("灭火器 MHQ-01")."""
    if kind not in AssetKind.values:
        return ""
    label = str(AssetKind(kind).label)
    return f"{label} {code}".strip() if code else label


class FireAsset(RegisterItem):
    kind = models.CharField(_("类别"), max_length=20, choices=AssetKind.choices)
    asset_type = models.CharField(_("类型"), max_length=20, choices=AssetType.choices, blank=True)
    capacity = models.CharField(
        _("规格/容量"), max_length=30, blank=True, help_text=_("如 4kg、3L、DN65")
    )
    position = models.CharField(
        _("具体位置"), max_length=100, blank=True, help_text=_("如 二楼东侧楼梯口")
    )
    produced_on = models.DateField(_("生产日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至（报废期限）"), null=True, blank=True)
    last_serviced_on = models.DateField(_("上次维修检测"), null=True, blank=True)
    next_service_on = models.DateField(_("下次维修检测"), null=True, blank=True)
    last_checked_on = models.DateField(_("最近月检"), null=True, blank=True, editable=False)
    last_check_result = models.CharField(
        _("最近月检结果"), max_length=10, choices=CheckResult.choices, blank=True, editable=False
    )
    # The expiry date an expired-asset hazard was raised for: once per date, however
    # often the asset is saved or the daily pass runs.
    expiry_raised_for = models.DateField(null=True, blank=True, editable=False)
    # The hazard an expiry or a failed check raised, kept so the rules raise it once while
    # it is open (xiaoan.fireassets.rules).
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
        verbose_name = _("消防器材")
        verbose_name_plural = _("消防器材")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="fireasset_unit_retired"),
            models.Index(fields=["place", "kind"], name="fireasset_place_kind"),
            models.Index(fields=["expires_on"], name="fireasset_expires"),
            models.Index(fields=["last_checked_on"], name="fireasset_checked"),
        ]

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_on and self.expires_on < timezone.localdate())

    @property
    def checked_this_month(self) -> bool:
        return bool(self.last_checked_on and self.last_checked_on >= month_start())

    def clean_fields(self, exclude=None) -> None:
        self.name = (self.name or "").strip() or default_name(self.kind, self.code)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        allowed = TYPES_OF.get(self.kind, ())
        if self.asset_type and self.asset_type not in allowed:
            errors["asset_type"] = _("该类型不属于所选类别。")
        elif not self.asset_type and self.kind in TYPE_REQUIRED:
            errors["asset_type"] = _(
                "请选择类型（灭火器：干粉/二氧化碳/水基/泡沫；探测器：烟感/温感）。"
            )
        if self.produced_on and self.produced_on > today:
            errors["produced_on"] = _("生产日期不能晚于今天。")
        if self.produced_on and self.expires_on and self.expires_on <= self.produced_on:
            errors["expires_on"] = _("有效期须晚于生产日期。")
        if self.last_serviced_on and self.last_serviced_on > today:
            errors["last_serviced_on"] = _("上次维修检测日期不能晚于今天。")
        if (
            self.last_serviced_on
            and self.next_service_on
            and self.next_service_on <= self.last_serviced_on
        ):
            errors["next_service_on"] = _("下次维修检测须晚于上次。")
        if errors:
            raise ValidationError(errors)


class FireCheckBatch(models.Model):
    """One submission of the monthly check of a row of assets (one place, one person): a
    retry with the same idempotency key answers with this batch instead of a second one."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        "orgs.Place",
        verbose_name=_("场所"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("检查时间"), default=timezone.now)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    # Scoped by the view permission on the assets (fireassets.view_fireassetcheck).

    class Meta:
        verbose_name = _("月检批次")
        verbose_name_plural = _("月检批次")
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checker", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="firecheckbatch_key_per_checker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d} {self.place or self.unit}"


def check_photo_path(instance: FireAssetCheck, filename: str) -> str:
    now = timezone.now()
    return f"fireassets/{now:%Y/%m}/{instance.asset_id}-{now:%H%M%S%f}.jpg"


class FireAssetCheck(models.Model):
    """The monthly check (月检) of one asset: who, when, 正常 or 异常 with a reason."""

    batch = models.ForeignKey(
        FireCheckBatch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="checks"
    )
    asset = models.ForeignKey(
        FireAsset, verbose_name=_("消防器材"), on_delete=models.PROTECT, related_name="checks"
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
    result = models.CharField(_("结果"), max_length=10, choices=CheckResult.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    photo = models.ImageField(_("照片"), upload_to=check_photo_path, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("月检记录")
        verbose_name_plural = _("月检记录")
        ordering = ["-checked_on", "-pk"]
        indexes = [
            models.Index(fields=["asset", "checked_on"], name="firecheck_asset_date"),
            models.Index(fields=["unit", "checked_on", "result"], name="firecheck_unit_date"),
        ]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.checked_on} {self.result}"
