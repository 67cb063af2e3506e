"""校园施工项目: one row per construction or repair project on a campus, on the register layer
(xiaoan.core.registers): the contractor and its qualification (资质, with its expiry as a due
date), the safety agreement with the school, the site manager, the dates, and whether the
site is closed off by hard hoarding (硬质围挡隔离). Its status (未开工/施工中/已完工) follows
from the dates. Inspections of the site name the project as their subject."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoan.construction.choices import ProjectStatus
from xiaoan.core.models import RegisterItem


class ConstructionProject(RegisterItem):
    name = models.CharField(_("项目名称"), max_length=100)
    location = models.CharField(
        _("施工位置"), max_length=200, blank=True, help_text=_("未登记为场所时填写")
    )
    contractor = models.CharField(_("施工单位"), max_length=100)
    qualification = models.CharField(
        _("施工资质"), max_length=100, blank=True, help_text=_("如：建筑工程施工总承包三级")
    )
    qualification_number = models.CharField(_("资质证书编号"), max_length=60, blank=True)
    qualification_valid_until = models.DateField(_("资质有效期至"), null=True, blank=True)
    agreement_signed = models.BooleanField(_("已签订安全管理协议"), default=False)
    agreement_signed_on = models.DateField(_("协议签订日期"), null=True, blank=True)
    site_manager = models.CharField(_("现场负责人"), max_length=50)
    site_manager_phone = models.CharField(_("现场负责人电话"), max_length=30)
    starts_on = models.DateField(_("开工日期"))
    ends_on = models.DateField(_("计划完工日期"))
    segregated = models.BooleanField(_("硬质围挡隔离"), default=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("校园施工项目")
        verbose_name_plural = _("校园施工项目")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="construction_unit_retired"),
            models.Index(fields=["starts_on", "ends_on"], name="construction_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("计划完工日期不能早于开工日期。")
        if self.agreement_signed and not self.agreement_signed_on:
            errors["agreement_signed_on"] = _("已签订安全管理协议的，请填写签订日期。")
        if self.agreement_signed_on and not self.agreement_signed:
            errors["agreement_signed"] = _("填写了协议签订日期，请勾选已签订安全管理协议。")
        if not self.place_id and not (self.location or "").strip():
            errors["location"] = _("请选择场所或填写施工位置。")
        if errors:
            raise ValidationError(errors)

    def status_on(self, day: dt.date) -> str:
        if self.starts_on > day:
            return ProjectStatus.PLANNED
        if self.ends_on < day:
            return ProjectStatus.FINISHED
        return ProjectStatus.IN_PROGRESS

    @property
    def status(self) -> str:
        from django.utils import timezone

        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(ProjectStatus(self.status).label)
