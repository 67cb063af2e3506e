"""法治与心理健康: the people a school must have, three registers on the register layer
(xiaoan.core.registers) — its legal vice-principals (法治副校长) with their activities, its
campus police room (校园警务室) and its mental-health counsellors (心理健康教师). The rules
they are measured against are in xiaoan.lawsafety.rules.

A legal vice-principal's phone is encrypted at rest and shown masked on lists, exports and
the change log (the record page shows it whole to those who keep the register). The
activities are rows of their own (`LegalActivity`), added and removed one at a time from
the record page or the API (xiaoan.lawsafety.services); `last_activity_on` is kept by them.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.fields import EncryptedCharField
from xiaoan.core.models import RegisterItem
from xiaoan.core.names import normalize_name
from xiaoan.lawsafety.choices import ActivityKind, EmployerKind, Employment

# A mobile number, or a landline with its area code (0711-1234567, extension allowed).
phone_validator = RegexValidator(
    r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    _("请输入11位手机号码或带区号的固定电话（如 0711-3201234）。"),
)
DUTY_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–—~～至到]+\s*(\d{1,2}):(\d{2})$")


def clean_phone(value: str | None) -> str | None:
    return re.sub(r"[\s()（）]", "", value or "") or None


def normalize_texts(item: models.Model, *names: str) -> None:
    """Texts kept in the form a sheet's cell is read in (NFKC: full-width brackets as ASCII
    ones), so an exported sheet re-imported finds nothing changed."""
    for name in names:
        setattr(item, name, normalize_name(getattr(item, name) or ""))


class LegalVicePrincipal(RegisterItem):
    employer_kind = models.CharField(_("派出单位类别"), max_length=20, choices=EmployerKind.choices)
    employer = models.CharField(
        _("派出单位"), max_length=100, help_text=_("如：梁子湖区公安分局太和派出所")
    )
    post = models.CharField(_("职务"), max_length=50, blank=True, help_text=_("如：副所长、检察官"))
    phone = EncryptedCharField(
        _("联系电话"),
        max_length=20,
        null=True,
        blank=True,
        masked=True,
        validators=[phone_validator],
    )
    appointed_on = models.DateField(_("聘任日期"))
    term_until = models.DateField(
        _("聘期至"), null=True, blank=True, help_text=_("聘期一般为3年；到期前30天提醒续聘或改聘")
    )
    last_activity_on = models.DateField(_("最近活动日期"), null=True, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("法治副校长")
        verbose_name_plural = _("法治副校长")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="lawvp_unit_retired"),
            models.Index(fields=["term_until"], name="lawvp_term_until"),
        ]

    def clean_fields(self, exclude=None) -> None:
        self.phone = clean_phone(self.phone)
        normalize_texts(self, "employer", "post")
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.appointed_on and self.appointed_on > timezone.localdate():
            errors["appointed_on"] = _("聘任日期不能晚于今天。")
        if self.appointed_on and self.term_until and self.term_until <= self.appointed_on:
            errors["term_until"] = _("聘期至须晚于聘任日期。")
        if errors:
            raise ValidationError(errors)


class LegalActivity(models.Model):
    """One visit, lecture or other work of a legal vice-principal at the school."""

    principal = models.ForeignKey(
        LegalVicePrincipal,
        verbose_name=_("法治副校长"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    held_on = models.DateField(_("活动日期"))
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    topic = models.CharField(_("主题"), max_length=100)
    audience = models.PositiveIntegerField(
        _("参加人数"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法治副校长活动")
        verbose_name_plural = _("法治副校长活动")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["principal", "held_on"], name="lawact_principal_day")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()} {self.topic}"


class PoliceRoom(RegisterItem):
    location = models.CharField(_("位置"), max_length=100, help_text=_("如：学校正门东侧门卫室旁"))
    police_station = models.CharField(_("派驻单位"), max_length=100, help_text=_("如：太和派出所"))
    officers = models.CharField(
        _("驻校警员"), max_length=200, help_text=_("姓名，多人用“、”分隔；辅警可注明")
    )
    duty_hours = models.CharField(_("值守时间"), max_length=20, help_text=_("如：7:00–19:00"))
    phone = models.CharField(_("值班电话"), max_length=20, blank=True, validators=[phone_validator])
    set_up_on = models.DateField(_("设立日期"), null=True, blank=True)
    staffed_arrival = models.BooleanField(_("上学时段有人值守"), default=False)
    staffed_dismissal = models.BooleanField(_("放学时段有人值守"), default=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("校园警务室")
        verbose_name_plural = _("校园警务室")
        indexes = [models.Index(fields=["unit", "retired_at"], name="policeroom_unit_retired")]

    def clean_fields(self, exclude=None) -> None:
        self.phone = clean_phone(self.phone) or ""
        self.duty_hours = normalize_duty_hours(self.duty_hours)
        normalize_texts(self, "location", "police_station", "officers")
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not DUTY_RE.match(self.duty_hours or ""):
            errors["duty_hours"] = _("值守时间应写作 7:00–19:00。")
        else:
            h1, m1, h2, m2 = (int(x) for x in DUTY_RE.match(self.duty_hours).groups())
            if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2, m2) > (24, 0):
                errors["duty_hours"] = _("值守时间不是有效的时刻。")
            elif (h2, m2) <= (h1, m1):
                errors["duty_hours"] = _("值守结束时间须晚于开始时间。")
        if self.set_up_on and self.set_up_on > timezone.localdate():
            errors["set_up_on"] = _("设立日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)

    @property
    def fully_staffed(self) -> bool:
        return self.staffed_arrival and self.staffed_dismissal


def normalize_duty_hours(value: str | None) -> str:
    """ "7:00-19:00", "7：00 至 19：00" → "7:00–19:00" (anything else kept for the error)."""
    text = (value or "").strip().replace("：", ":")
    match = DUTY_RE.match(text)
    if not match:
        return text
    h1, m1, h2, m2 = match.groups()
    return f"{int(h1)}:{m1}–{int(h2)}:{m2}"


class Counsellor(RegisterItem):
    employment = models.CharField(_("专兼职"), max_length=10, choices=Employment.choices)
    qualification = models.CharField(
        _("资格证书"),
        max_length=100,
        blank=True,
        help_text=_("如：心理健康教育教师资格证（C证）、心理咨询师证书"),
    )
    valid_until = models.DateField(
        _("证书有效期至"), null=True, blank=True, help_text=_("长期有效的不填")
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("每周心理工作课时"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )

    class Meta(RegisterItem.Meta):
        verbose_name = _("心理健康教师")
        verbose_name_plural = _("心理健康教师")
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="counsellor_unit_retired"),
            models.Index(fields=["employment"], name="counsellor_employment"),
        ]

    def clean_fields(self, exclude=None) -> None:
        normalize_texts(self, "qualification")
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.code and not self.qualification:
            errors["qualification"] = _("填写证书编号时须填写资格证书名称。")
        if self.valid_until and not self.qualification:
            errors["valid_until"] = _("填写有效期时须填写资格证书名称。")
        if errors:
            raise ValidationError(errors)
