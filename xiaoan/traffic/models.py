"""家校交通安全责任书: one row per class and semester, on the register layer
(xiaoan.core.registers): how many pupils the class has, how many signed agreements came
back (the share is derived), by when they are due, and the signed scans as the item's
attachments. A school files it mostly by Excel, one row per class.

The return date is a due date only while agreements are missing (`open_due_on`, derived):
a class with every agreement back has nothing due."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import RegisterItem
from xiaoan.core.names import normalize_name

SEMESTER = re.compile(r"^(\d{4})-(\d{4})学年第([一二])学期$")
DASHES = re.compile(r"\s+|[—–－~～至]")


def normalize_semester(value: str | None) -> str:
    """ "2026—2027 学年第一学期" → "2026-2027学年第一学期"."""
    text = DASHES.sub(lambda m: "" if m.group().isspace() else "-", (value or "").strip())
    return text.replace("学年度", "学年")


def semester_valid(value: str) -> bool:
    found = SEMESTER.match(value or "")
    return bool(found) and int(found.group(2)) == int(found.group(1)) + 1


def semester_of(day: dt.date) -> str:
    """The semester a day falls in: August to January the first, February to July the
    second."""
    if day.month >= 8:
        return f"{day.year}-{day.year + 1}学年第一学期"
    if day.month == 1:
        return f"{day.year - 1}-{day.year}学年第一学期"
    return f"{day.year - 1}-{day.year}学年第二学期"


def share_of(returned: int | None, pupils: int | None) -> int:
    """Whole percent, rounded down: 99.6% is not every agreement back."""
    if not pupils:
        return 0
    return min(100, (100 * (returned or 0)) // pupils)


class TrafficAgreement(RegisterItem):
    name = models.CharField(_("班级"), max_length=60, help_text=_("如 七年级（1）班"))
    grade = models.CharField(_("年级"), max_length=30, blank=True, help_text=_("如 七年级"))
    semester = models.CharField(_("学期"), max_length=30, help_text=_("如 2026-2027学年第一学期"))
    pupils = models.PositiveIntegerField(_("班级学生数"))
    returned = models.PositiveIntegerField(_("已回收责任书"), default=0)
    share = models.PositiveSmallIntegerField(_("回收率（%）"), default=0, editable=False)
    returned_by = models.DateField(_("回收截止日期"), null=True, blank=True)
    # The return date while agreements are missing (the due date the layer keeps).
    open_due_on = models.DateField(_("待回收截止"), null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("交通安全责任书")
        verbose_name_plural = _("交通安全责任书")
        constraints = [
            *RegisterItem.Meta.constraints,
            models.UniqueConstraint(
                fields=["unit", "semester", "name"],
                name="trafficagreement_class_semester",
                violation_error_message=_("本单位该学期已登记该班级。"),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="traffic_unit_retired"),
            models.Index(fields=["semester"], name="traffic_semester"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.semester}）"

    def clean_fields(self, exclude=None) -> None:
        self.semester = normalize_semester(self.semester)
        # Stored as a sheet's cell is read (full-width brackets as ASCII ones), so a class
        # typed on the page and the same class in a sheet are one.
        self.name = normalize_name(self.name)
        self.grade = normalize_name(self.grade)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.semester and not semester_valid(self.semester):
            errors["semester"] = _("学期格式应为“2026-2027学年第一学期”（前后学年相连）。")
        if self.pupils is not None and self.pupils < 1:
            errors["pupils"] = _("班级学生数至少为1。")
        if self.pupils and self.returned is not None and self.returned > self.pupils:
            errors["returned"] = _("已回收份数不能多于班级学生数。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.share = share_of(self.returned, self.pupils)
        complete = self.pupils and (self.returned or 0) >= self.pupils
        self.open_due_on = None if complete else self.returned_by
        super().save(*args, **kwargs)
