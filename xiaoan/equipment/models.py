"""一台一档: one file per item of special equipment (特种设备) of a school, on the register
layer (xiaoan.core.registers).

The registration code (使用登记证编号) is the register's `code`: unique within the unit and
the natural key a re-import matches on. Operators (作业人员) are kept as a list of
{"name", "certificate"} until the certificates register (持证上岗) can be linked.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import RegisterItem
from xiaoan.equipment.choices import Conclusion, EquipmentKind

MAX_OPERATORS = 30
_SPLIT = re.compile(r"[\n\r;；、，,]+")
_ENTRY = re.compile(r"^(?P<name>[^\s:：(（]+)[\s:：(（]*(?P<cert>[^)）]*)[)）]?$")


def parse_operators(value: Any) -> list[dict[str, str]]:
    """Operators from a list of {"name", "certificate"} or a text such as
    "张三 T2024001；李四（T2024002）" (one per line or separated by ；、，). ValueError with
    the Chinese reason."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        rows: list[dict[str, str]] = []
        for part in _SPLIT.split(value):
            part = part.strip()
            if not part:
                continue
            match = _ENTRY.match(part)
            if match is None:
                raise ValueError(_("无法识别“%(v)s”：请写“姓名 证书编号”。") % {"v": part[:30]})
            rows.append({"name": match["name"], "certificate": match["cert"].strip()})
        value = rows
    if not isinstance(value, list):
        raise ValueError(_("作业人员须是列表。"))
    out: list[dict[str, str]] = []
    for row in value:
        if not isinstance(row, dict):
            raise ValueError(_("每位作业人员须有姓名和证书编号。"))
        name = str(row.get("name") or "").strip()
        certificate = str(row.get("certificate") or "").strip()
        if not name or len(name) > 30:
            raise ValueError(_("作业人员姓名须填写，且不超过 30 个字。"))
        if len(certificate) > 40:
            raise ValueError(_("证书编号不能超过 40 个字。"))
        out.append({"name": name, "certificate": certificate})
    if len(out) > MAX_OPERATORS:
        raise ValueError(_("作业人员最多 %(n)d 位。") % {"n": MAX_OPERATORS})
    return out


def operators_text(rows: Any) -> str:
    """ "张三 T2024001；李四" — the form's, the record page's and the export's writing."""
    return "；".join(f"{r.get('name', '')} {r.get('certificate', '')}".strip() for r in rows or ())


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
    operators = models.JSONField(
        _("作业人员及证书编号"),
        default=list,
        blank=True,
        help_text=_("每行一位：姓名 证书编号"),
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

    def get_operators_display(self) -> str:
        return operators_text(self.operators)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        today = timezone.localdate()
        try:
            self.operators = parse_operators(self.operators)
        except ValueError as error:
            errors["operators"] = str(error)
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
