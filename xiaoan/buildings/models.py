"""一楼一档: one file per building of a school, on the register layer (xiaoan.core.registers).

High-rise (高层) follows GB 50016《建筑设计防火规范》§5.1.1 for public buildings, which school
buildings (teaching, dormitories, canteens…) are: building height above 24 m and more than
one storey above ground. A single-storey hall (a gym) of any height is not high-rise.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.buildings.choices import DANGEROUS, AppraisalGrade, FireAcceptance, Structure
from xiaoan.core.models import RegisterItem
from xiaoan.orgs.choices import BuildingUse

HIGH_RISE_METRES = Decimal("24")


def is_high_rise(height: Decimal | None, floors_above: int | None) -> bool:
    return bool(height is not None and height > HIGH_RISE_METRES and (floors_above or 0) > 1)


class BuildingFile(RegisterItem):
    use = models.CharField(_("用途"), max_length=20, choices=BuildingUse.choices)
    floors_above = models.PositiveSmallIntegerField(
        _("地上层数"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    floors_below = models.PositiveSmallIntegerField(
        _("地下层数"), default=0, validators=[MaxValueValidator(20)]
    )
    height = models.DecimalField(
        _("建筑高度（米）"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1000"))],
    )
    is_high_rise = models.BooleanField(_("高层建筑"), default=False, editable=False)
    floor_area = models.DecimalField(
        _("建筑面积（平方米）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    year_built = models.PositiveSmallIntegerField(
        _("建成年份"), null=True, blank=True, validators=[MinValueValidator(1800)]
    )
    structure = models.CharField(
        _("结构类型"), max_length=20, choices=Structure.choices, blank=True
    )
    appraisal_grade = models.CharField(
        _("安全鉴定等级"), max_length=1, choices=AppraisalGrade.choices, blank=True
    )
    appraised_on = models.DateField(_("鉴定日期"), null=True, blank=True)
    next_appraisal_on = models.DateField(_("下次鉴定日期"), null=True, blank=True)
    fire_alarm = models.BooleanField(_("火灾自动报警系统"), default=False)
    sprinklers = models.BooleanField(_("自动喷水灭火系统"), default=False)
    hydrants = models.BooleanField(_("室内消火栓"), default=False)
    smoke_exhaust = models.BooleanField(_("防排烟系统"), default=False)
    fire_acceptance = models.CharField(
        _("消防验收"), max_length=20, choices=FireAcceptance.choices, blank=True
    )
    fire_accepted_on = models.DateField(_("验收（备案）日期"), null=True, blank=True)
    exits = models.PositiveSmallIntegerField(
        _("安全出口数"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    evacuation_routes = models.TextField(_("疏散通道与楼梯"), blank=True)
    # The major hazard raised when the building was appraised C or D (危房), kept so the
    # rule raises it once; a later A/B appraisal does not close it (its loop does).
    danger_hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("危房隐患"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta(RegisterItem.Meta):
        verbose_name = _("楼栋档案")
        verbose_name_plural = _("楼栋档案")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="building_unit_retired"),
            models.Index(fields=["appraisal_grade"], name="building_grade"),
        ]

    @property
    def is_dangerous(self) -> bool:
        return self.appraisal_grade in DANGEROUS

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.year_built and self.year_built > today.year:
            errors["year_built"] = _("建成年份不能晚于今年。")
        if self.appraisal_grade and not self.appraised_on:
            errors["appraised_on"] = _("填写鉴定等级时须填写鉴定日期。")
        if self.appraised_on and not self.appraisal_grade:
            errors["appraisal_grade"] = _("填写鉴定日期时须填写鉴定等级。")
        if self.appraised_on and self.appraised_on > today:
            errors["appraised_on"] = _("鉴定日期不能晚于今天。")
        if (
            self.appraised_on
            and self.next_appraisal_on
            and self.next_appraisal_on <= self.appraised_on
        ):
            errors["next_appraisal_on"] = _("下次鉴定日期须晚于鉴定日期。")
        if self.fire_accepted_on and self.fire_acceptance not in (
            FireAcceptance.ACCEPTED,
            FireAcceptance.FILED,
        ):
            errors["fire_accepted_on"] = _("只有已验收或已备案的楼栋填写验收日期。")
        if self.fire_accepted_on and self.fire_accepted_on > today:
            errors["fire_accepted_on"] = _("验收日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.is_high_rise = is_high_rise(self.height, self.floors_above)
        super().save(*args, **kwargs)
