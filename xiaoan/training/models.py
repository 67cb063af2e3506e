"""安全培训: a session (a register item of its organiser unit) and who attended it.

A session's people are those of the units it covers (none chosen: the organiser's subtree);
they are recorded three ways through `xiaoan.training.services.mark` — ticked on the
organiser's phone, a QR code each attendee scans while logged in, an Excel sheet — and
outside trainees (a contractor's guards, canteen staff) by name, employer and certificate.
`attendee_count` is kept by the services so lists and to-dos read no attendance rows."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.models import RegisterItem
from xiaoan.training.choices import AttendanceMethod, audience_role_choices


class TrainingSession(RegisterItem):
    domain = models.CharField(_("领域"), max_length=30, choices=SafetyDomain.choices)
    held_on = models.DateField(_("培训日期"))
    trainer = models.CharField(_("授课人"), max_length=100)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=1)
    audience_roles = models.JSONField(_("参训角色"), default=list, blank=True)
    audience_kinds = models.JSONField(_("参训人员类别"), default=list, blank=True)
    covers = models.ManyToManyField(
        "orgs.Unit",
        verbose_name=_("覆盖单位"),
        blank=True,
        related_name="+",
        help_text=_("不选则为组织单位及其全部下级单位"),
    )
    attendee_count = models.PositiveIntegerField(_("参训人数"), default=0, editable=False)
    # The QR code's secret: empty when check-in at the door is closed.
    checkin_token = models.CharField(max_length=43, blank=True, editable=False, db_index=True)

    class Meta(RegisterItem.Meta):
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "retired_at"], name="training_unit_retired"),
            models.Index(fields=["held_on"], name="training_held_on"),
            models.Index(fields=["domain", "held_on"], name="training_domain_held"),
            models.Index(fields=["attendee_count", "held_on"], name="training_count_held"),
        ]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.hours is not None and not (0 < self.hours <= 100):
            errors["hours"] = _("学时须大于 0 且不超过 100。")
        roles = dict(audience_role_choices())
        if not isinstance(self.audience_roles, list) or any(
            r not in roles for r in self.audience_roles
        ):
            errors["audience_roles"] = _("参训角色须从内置角色中选择。")
        if not isinstance(self.audience_kinds, list) or any(
            not isinstance(k, str) or not k.strip() or len(k) > 30 for k in self.audience_kinds
        ):
            errors["audience_kinds"] = _("参训人员类别每项不超过 30 字。")
        if self.held_on and self.held_on.year < 2000:
            errors["held_on"] = _("培训日期有误。")
        if self.held_on and (self.held_on - timezone.localdate()).days > 366:
            errors["held_on"] = _("培训日期不能晚于一年以后。")
        if errors:
            raise ValidationError(errors)

    def get_audience_roles_display(self) -> str:
        roles = dict(audience_role_choices())
        return "、".join(str(roles.get(r, r)) for r in self.audience_roles or [])

    def get_audience_kinds_display(self) -> str:
        return "、".join(self.audience_kinds or [])

    @property
    def audience_display(self) -> str:
        parts = [self.get_audience_roles_display(), self.get_audience_kinds_display()]
        return "、".join(p for p in parts if p) or str(_("全体"))


class Attendance(models.Model):
    """One attendee of a session: a person of the platform (`user`), or an outside trainee
    named with their employer and certificate. `unit` is the person's unit when recorded
    (the session's for an outsider), which the coverage pages count by."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("培训"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_attendances",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    kind = models.CharField(_("人员类别"), max_length=30, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=50, blank=True)
    method = models.CharField(_("签到方式"), max_length=10, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("参训记录")
        verbose_name_plural = _("参训记录")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(user__isnull=False),
                name="training_attendance_once",
            ),
            models.UniqueConstraint(
                fields=["session", "name", "employer"],
                condition=models.Q(user__isnull=True),
                name="training_outsider_once",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "session"], name="training_att_user"),
            models.Index(fields=["unit"], name="training_att_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_outsider(self) -> bool:
        return self.user_id is None
