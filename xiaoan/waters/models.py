"""重点水域 (drowning prevention): the dangerous waters near schools, on the register layer
(xiaoan.core.registers), with the patrols logged in season (巡查记录).

A water belongs to a unit, usually a district bureau or a school, and is linked to the
schools whose pupils live near it: schools within that unit's subtree (checked by the
register's `save_related`, xiaoan.waters.rules). The drowning-prevention season runs from
May to September (`SEASON_MONTHS`); in season a water should be patrolled every
`PATROL_DAYS` days, so a water without a patrol in the last 14 days is a counter on the
dashboard and a to-do of its unit. A patrol that finds a problem may raise a hazard linked to
the water (xiaoan.waters.services), once while it is open (`open_hazard`).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import RegisterItem
from xiaoan.core.scoping import ScopedQuerySet
from xiaoan.waters.choices import WaterKind

SEASON_MONTHS = range(5, 10)  # 防溺水季：5月至9月
PATROL_DAYS = 14  # 汛期/暑期巡查：每 14 天至少一次
PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")


def in_season(day: dt.date) -> bool:
    return day.month in SEASON_MONTHS


def unpatrolled(today: dt.date, prefix: str = "") -> Q:
    """Waters due a patrol: in season, none in the last `PATROL_DAYS` days (never outside
    the season)."""
    if not in_season(today):
        return Q(**{f"{prefix}pk__lt": 0})
    since = today - dt.timedelta(days=PATROL_DAYS)
    return Q(**{f"{prefix}last_patrolled_on__isnull": True}) | Q(
        **{f"{prefix}last_patrolled_on__lt": since}
    )


class Water(RegisterItem):
    kind = models.CharField(_("类型"), max_length=20, choices=WaterKind.choices)
    location = models.CharField(_("位置"), max_length=200, help_text=_("如 某村三组东侧"))
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    village = models.CharField(_("责任村（社区）"), max_length=100)
    contact_person = models.CharField(_("责任人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    has_signs = models.BooleanField(_("设有警示标志"), default=False)
    sign_count = models.PositiveIntegerField(_("警示标志数量"), default=0)
    rescue_equipment = models.CharField(
        _("救生设施"), max_length=200, blank=True, help_text=_("如 救生圈2个、竹竿3根")
    )
    schools = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("关联学校"), blank=True, related_name="+"
    )
    last_patrolled_on = models.DateField(_("最近巡查"), null=True, blank=True, editable=False)
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
        verbose_name = _("重点水域")
        verbose_name_plural = _("重点水域")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="water_unit_retired"),
            models.Index(fields=["last_patrolled_on"], name="water_patrolled"),
        ]

    def clean_fields(self, exclude=None) -> None:
        self.contact_phone = (self.contact_phone or "").strip()
        if not self.has_signs:
            self.sign_count = self.sign_count or 0
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.contact_phone and not PHONE.match(self.contact_phone):
            errors["contact_phone"] = _("联系电话格式不正确。")
        if self.has_signs and not self.sign_count:
            errors["sign_count"] = _("设有警示标志时请填写数量。")
        if not self.has_signs and self.sign_count:
            errors["has_signs"] = _("填写了警示标志数量，请勾选“设有警示标志”。")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("纬度须在 -90 至 90 之间。")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("经度须在 -180 至 180 之间。")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _("经纬度须同时填写。")
        if errors:
            raise ValidationError(errors)

    def due_patrol(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        if not in_season(today) or self.is_retired:
            return False
        return self.last_patrolled_on is None or self.last_patrolled_on < today - dt.timedelta(
            days=PATROL_DAYS
        )


class WaterPatrol(models.Model):
    """One patrol of a water (巡查记录): when, by whom, what was found, signs in order."""

    water = models.ForeignKey(
        Water, verbose_name=_("重点水域"), on_delete=models.PROTECT, related_name="patrols"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    patrolled_on = models.DateField(_("巡查日期"))
    patroller = models.CharField(_("巡查人"), max_length=100)
    findings = models.CharField(_("巡查情况"), max_length=500, blank=True)
    signs_ok = models.BooleanField(_("警示标志完好"), default=True)
    problem = models.BooleanField(_("发现问题"), default=False)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("水域巡查记录")
        verbose_name_plural = _("水域巡查记录")
        ordering = ["-patrolled_on", "-pk"]
        indexes = [models.Index(fields=["water", "patrolled_on"], name="waterpatrol_water_date")]

    def __str__(self) -> str:
        return f"{self.water_id} {self.patrolled_on}"
