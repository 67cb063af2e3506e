"""大型活动: one row per large school event (考试、开学、毕业典礼、运动会、研学旅行、文艺演出),
on the register layer (xiaoan.core.registers). Before it starts the event needs a safety plan
(a summary here, the document as an attachment), a pre-event hazard check (a 专项检查 naming
the event as its subject) and the head's sign-off (签批, xiaoan.events.services.sign_off)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import RegisterItem
from xiaoan.events.choices import EventKind


class Event(RegisterItem):
    name = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("活动类别"), max_length=20, choices=EventKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("一天的活动不填"))
    destination = models.CharField(
        _("活动地点或目的地"),
        max_length=200,
        blank=True,
        help_text=_("校外活动（研学旅行等）填写目的地；校内活动可选择场所"),
    )
    participants = models.PositiveIntegerField(_("预计参加人数"))
    organiser = models.CharField(_("活动负责人"), max_length=50)
    organiser_phone = models.CharField(_("负责人电话"), max_length=30, blank=True)
    safety_plan = models.TextField(
        _("安全工作方案摘要"), blank=True, help_text=_("方案文件作为附件上传")
    )
    signed_off_at = models.DateTimeField(_("签批时间"), null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    signoff_note = models.CharField(_("签批意见"), max_length=200, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("大型活动")
        verbose_name_plural = _("大型活动")
        permissions = [("signoff_event", "Can sign off large events")]
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="event_unit_retired"),
            models.Index(fields=["starts_on", "signed_off_at"], name="event_start_signed"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.starts_on:%Y-%m-%d}）" if self.starts_on else self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("结束日期不能早于开始日期。")
        if not self.place_id and not (self.destination or "").strip():
            errors["destination"] = _("请选择场所或填写活动地点、目的地。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None
