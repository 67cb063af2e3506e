"""一台一档: one file per item of special equipment (特种设备) of a school, on the register
layer (xiaoan.core.registers).

The registration code (使用登记证编号) is the register's `code`: unique within the unit and
the natural key a re-import matches on. Operators (作业人员) are certificates of the
持证上岗 register (xiaoan.equipment.operators says which fit).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import RegisterItem
from xiaoan.equipment.choices import Conclusion, EquipmentKind


class Equipment(RegisterItem):
    kind = models.CharField(_("设备类别"), max_length=20, choices=EquipmentKind.choices)
    code = models.CharField(
        _("使用登记证编号"),
        max_length=60,
        blank=True,
        help_text=_("本单位内唯一；再次导入时按登记证编号（无编号时按名称）更新"),
    )
    device_code = models.CharField(_("设备代码"), max_length=40, blank=True)
    model_spec = models.CharField(_("规格型号"), max_length=60, blank=True)
    manufacturer = models.CharField(_("制造单位"), max_length=100, blank=True)
    maintainer = models.CharField(_("维保单位"), max_length=100, blank=True)
    maintainer_contact = models.CharField(_("维保联系人及电话"), max_length=60, blank=True)
    last_inspected_on = models.DateField(_("上次定期检验日期"), null=True, blank=True)
    conclusion = models.CharField(
        _("检验结论"), max_length=20, choices=Conclusion.choices, blank=True
    )
    next_inspection_on = models.DateField(_("下次定期检验日期"), null=True, blank=True)
    operators = models.ManyToManyField(
        "certificates.Certificate",
        verbose_name=_("作业人员"),
        blank=True,
        related_name="operated_equipment",
        help_text=_("本单位在用的特种设备作业人员证书（锅炉须锅炉作业证书）"),
    )
    # The hazard raised when the statutory inspection went overdue, and for which due date:
    # once per item and date (a new inspection moves the date; overdue again, a new one).
    overdue_hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("检验逾期隐患"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    overdue_hazard_for = models.DateField(
        _("逾期隐患对应的检验日期"), null=True, blank=True, editable=False
    )

    class Meta(RegisterItem.Meta):
        verbose_name = _("特种设备档案")
        verbose_name_plural = _("特种设备档案")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="equipment_unit_retired"),
            models.Index(fields=["kind"], name="equipment_kind"),
            models.Index(fields=["next_inspection_on"], name="equipment_next_inspection"),
        ]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        today = timezone.localdate()
        if not self.next_inspection_on:
            errors["next_inspection_on"] = _("请填写下次定期检验日期（见定期检验报告）。")
        if self.last_inspected_on and self.last_inspected_on > today:
            errors["last_inspected_on"] = _("检验日期不能晚于今天。")
        if self.conclusion and not self.last_inspected_on:
            errors["last_inspected_on"] = _("填写检验结论时须填写检验日期。")
        if self.last_inspected_on and not self.conclusion:
            errors["conclusion"] = _("填写检验日期时须填写检验结论。")
        if (
            self.last_inspected_on
            and self.next_inspection_on
            and self.next_inspection_on <= self.last_inspected_on
        ):
            errors["next_inspection_on"] = _("下次定期检验日期须晚于上次检验日期。")
        if errors:
            raise ValidationError(errors)
