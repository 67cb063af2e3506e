"""持证上岗: one row per certificate a person holds for a post, on the register layer
(xiaoan.core.registers). The holder is a user of the unit or, as guards and canteen staff
of contractors often are, an outside person by name. The ID number is encrypted at rest
and shown masked everywhere (pages, API, export, change log); its hash finds a person's
certificates. A certificate is "valid" on a date when it is in use, has begun and has not
expired (no end date: long-term)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoan.certificates import idnumbers
from xiaoan.certificates.choices import CertificateKind, Post
from xiaoan.core.fields import EncryptedCharField, HashedLookupsMixin, LookupHashField
from xiaoan.core.models import RegisterItem


class Certificate(HashedLookupsMixin, RegisterItem):
    name = models.CharField(_("姓名"), max_length=100, blank=True)
    code = models.CharField(_("证书编号"), max_length=60)
    person = models.ForeignKey(
        "accounts.User",
        verbose_name=_("本单位用户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("持证人是本单位用户时选择；外包保安、食堂人员等只填姓名"),
    )
    id_number = EncryptedCharField(_("身份证号"), max_length=18, null=True, blank=True, masked=True)
    id_number_hash = LookupHashField(_("身份证号"), source="id_number", null=True, blank=True)
    employer = models.CharField(
        _("所在单位（外包）"), max_length=100, blank=True, help_text=_("如物业、保安公司")
    )
    post = models.CharField(_("岗位"), max_length=20, choices=Post.choices)
    kind = models.CharField(_("证书类别"), max_length=30, choices=CertificateKind.choices)
    issuer = models.CharField(_("发证机关"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(
        _("有效期至"), null=True, blank=True, help_text=_("长期有效的证书不填")
    )

    class Meta(RegisterItem.Meta):
        verbose_name = _("持证人员")
        verbose_name_plural = _("持证人员")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "code"],
                name="certificate_number_per_unit",
                violation_error_message=_("本单位已登记同一类别、同一编号的证书。"),
            )
        ]
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="certificate_unit_retired"),
            models.Index(fields=["kind", "valid_until"], name="certificate_kind_until"),
            models.Index(fields=["id_number_hash"], name="certificate_id_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()} {self.code}）"

    def clean_fields(self, exclude=None) -> None:
        # A user of the unit lends their name; the number is kept in one form.
        if self.person_id and not self.name:
            self.name = self.person.name or self.person.username
        self.id_number = idnumbers.normalize(self.id_number) or None
        self.code = (self.code or "").strip()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        from xiaoan.core.registers import home_unit

        errors: dict[str, str] = {}
        if not self.name:
            errors["name"] = _("请填写姓名或选择本单位用户。")
        if self.id_number and not idnumbers.is_valid(self.id_number):
            errors["id_number"] = _("身份证号不正确（须为18位，末位校验码须正确）。")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("有效期至不能早于有效期起。")
        if self.person_id and self.unit_id:
            unit_path = getattr(self.person.unit, "path", None)
            if unit_path is None or not unit_path.startswith(home_unit(self.unit).path):
                errors["person"] = _("所选用户不属于本单位。")
        if errors:
            raise ValidationError(errors)

    def valid_on(self, day: dt.date) -> bool:
        return (
            self.retired_at is None
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )

    @property
    def id_number_masked(self) -> str:
        from xiaoan.core.fields import mask

        return mask(self.id_number) if self.id_number else ""
