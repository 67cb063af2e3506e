"""Indicators with yearly targets (指标与年度目标) and the values units report for them.

An `Indicator` is data: the built-in national set (owner None, shipped by a migration) and
those an authority adds for its own subtree. A `Target` is one year's value, set nationally
(owner None) or by an authority for its subtree, overriding the one above. A school's value
comes from the indicator's provider when one is registered (`xiaoan.indicators.providers`),
else from its `IndicatorValue`, which counts once its superior accepts it.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet
from xiaoan.indicators.choices import Direction, Rollup, Source, ValueAction, ValueStatus


class IndicatorQuerySet(ScopedQuerySet):
    def applying_to(self, unit) -> IndicatorQuerySet:
        """The indicators that apply at `unit`: the national set and those of an authority
        on its path (the unit itself included)."""
        return self.filter(Q(owner__isnull=True) | Q(owner__path__in=_chain(unit.path)))


def _chain(path: str) -> list[str]:
    from xiaoan.orgs.models import Unit

    step = Unit.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


class Indicator(models.Model):
    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    measure = models.CharField(_("计量单位"), max_length=20, help_text=_("例如 %、元/生"))
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    rollup = models.CharField(
        _("汇总方式"), max_length=10, choices=Rollup.choices, default=Rollup.MEAN
    )
    source = models.CharField(
        _("数据来源"), max_length=10, choices=Source.choices, default=Source.REPORTED
    )
    description = models.TextField(_("说明"), blank=True)
    owner = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("设立单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空：全国统一的内置指标"),
    )
    boarding_only = models.BooleanField(
        _("仅寄宿制学校"), default=False, help_text=_("只有寄宿制学校填报、计入")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = IndicatorQuerySet.as_manager()
    scope_unit_field = "owner"

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        _recount_below(self.owner_id)

    @property
    def builtin(self) -> bool:
        return self.owner_id is None

    def meets(self, value, target) -> bool:
        if self.direction == Direction.LOWER:
            return value <= target
        return value >= target


class Target(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="targets"
    )
    owner = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("设定单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(_("设定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(owner__isnull=True),
                name="target_national_once",
            ),
            models.UniqueConstraint(
                fields=["indicator", "owner", "year"], name="target_once_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        _recount_below(self.owner_id, self.year)


def evidence_path(instance: IndicatorValue, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"indicators/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class IndicatorValue(models.Model):
    """A unit's reported value of an indicator for a year; one per unit, indicator and year
    (a returned one is reported again in place, its history in the events)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="values"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("填报值"), max_digits=12, decimal_places=2)
    note = models.TextField(_("佐证说明"))
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField(_("文件名"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.PENDING
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("填报时间"), default=timezone.now)
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标填报")
        verbose_name_plural = _("指标填报")
        ordering = ["-reported_at", "-pk"]
        permissions = [
            ("report_indicatorvalue", _("填报指标值")),
            ("review_indicatorvalue", _("审核下级单位的指标填报")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"], name="indicator_value_once"
            )
        ]
        indexes = [
            models.Index(fields=["year", "indicator", "status"], name="indvalue_year_status"),
            models.Index(fields=["status", "unit"], name="indvalue_status_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.year}"

    # Whichever path writes a value (a report, a review step, a sheet), the school's
    # dashboard counters follow (xiaoan.indicators.tallies).
    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        _recount([self.unit_id])

    def delete(self, *args, **kwargs):
        done = super().delete(*args, **kwargs)
        _recount([self.unit_id])
        return done


def _recount(unit_ids) -> None:
    from xiaoan.indicators import tallies

    tallies.touch(unit_ids)


def _recount_below(owner_id, year: int | None = None) -> None:
    """A target or an indicator of an authority changed what its schools are measured
    against: recount them (this year's only: the dashboard counts this year)."""
    from xiaoan.indicators import tallies

    if year is None or year == timezone.localdate().year:
        tallies.touch_subtree(owner_id)  # None: every school (a national one, a rare change)


class IndicatorValueEvent(WorkflowEvent):
    indicatorvalue = models.ForeignKey(
        IndicatorValue, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("动作"), max_length=30, choices=ValueAction.choices)
    from_status = models.CharField(max_length=20, choices=ValueStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ValueStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("指标填报记录")
        verbose_name_plural = _("指标填报记录")


class RankingWeight(models.Model):
    """An authority's weight for one figure in the ranking of the units below it (the
    dashboard's composite score); the nearest authority that set any weights decides all of
    them for its subtree; without any, the built-in weights apply."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("指标"), max_length=80)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("设定时间"), auto_now=True)

    class Meta:
        verbose_name = _("排名权重")
        verbose_name_plural = _("排名权重")
        constraints = [models.UniqueConstraint(fields=["unit", "key"], name="ranking_weight_once")]

    def __str__(self) -> str:
        return f"{self.key}×{self.weight}"
