"""安防建设 (四个100% and 七防): one declaration per school and year, on the register layer
(xiaoan.core.registers) with a workflow (xiaoan.security.workflow): the school declares with
evidence (draft → submitted), an officer of a bureau above verifies it or returns it with the
reason; editing a submitted or verified declaration sends it back to draft. Only verified
declarations count for the 四个100% indicators (xiaoan.security.indicators)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import RegisterItem, WorkflowEvent
from xiaoan.security.choices import ESCORT_TIMES, Measure, PostureAction, PostureStatus
from xiaoan.security.rules import required_guards

VERIFY = "security.verify_securityposture"
# The fields the school declares: a change to any of them after submission reopens it.
DECLARED_FIELDS = (
    "unit_id",
    "year",
    "closed_management",
    "guards",
    "alarm_networked",
    "video_networked",
    "escort_morning",
    "escort_noon",
    "escort_afternoon",
    "measures",
    "note",
)


class SecurityPosture(RegisterItem):
    year = models.PositiveSmallIntegerField(_("年度"))
    closed_management = models.BooleanField(_("校园封闭式管理"), default=False)
    guards = models.PositiveSmallIntegerField(_("专职保安（人）"), default=0)
    guards_required = models.PositiveSmallIntegerField(
        _("应配专职保安（人）"), default=0, editable=False
    )
    alarm_networked = models.BooleanField(_("一键报警与公安联网"), default=False)
    video_networked = models.BooleanField(_("视频监控与公安联网"), default=False)
    escort_morning = models.BooleanField(_("护学岗：早上入校"), default=False)
    escort_noon = models.BooleanField(_("护学岗：中午"), default=False)
    escort_afternoon = models.BooleanField(_("护学岗：下午放学"), default=False)
    measures = models.JSONField(_("七防措施"), default=list, blank=True)
    # The change history names the codes by their labels (xiaoan.core.history).
    list_choices = {"measures": Measure.choices}
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=PostureStatus.choices,
        default=PostureStatus.DRAFT,
        editable=False,
    )
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("申报时间"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True, editable=False)
    return_reason = models.CharField(_("退回理由"), max_length=500, blank=True, editable=False)

    class Meta(RegisterItem.Meta):
        verbose_name = _("安防建设申报")
        verbose_name_plural = _("安防建设申报")
        permissions = [("verify_securityposture", "Can verify security postures")]
        constraints = [
            *RegisterItem.Meta.constraints,
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=models.Q(retired_at__isnull=True),
                name="security_posture_one_per_school_year",
                violation_error_message=_("该学校本年度已有安防建设申报，请修改原申报。"),
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="security_year_status")]

    def clean_fields(self, exclude=None) -> None:
        # The name says what it is; nobody types it.
        if self.year:
            self.name = str(_("%(y)s年度安防建设") % {"y": self.year})
        if isinstance(self.measures, list):  # in the list's order, once each
            given = [str(m) for m in self.measures]
            unknown = [m for m in dict.fromkeys(given) if m not in Measure.values]
            self.measures = [m for m in Measure.values if m in given] + unknown
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        from xiaoan.orgs.choices import UnitKind

        errors: dict[str, str] = {}
        if self.unit_id and self.unit.kind != UnitKind.SCHOOL:
            errors["unit"] = _("安防建设按学校申报，请选择学校。")
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = _("年度不正确。")
        if not isinstance(self.measures, list) or set(self.measures) - set(Measure.values):
            errors["measures"] = _("七防措施只能从列表中选择。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.unit_id:
            self.guards_required = required_guards(self.unit)
        if self.year and not self.name:
            self.name = str(_("%(y)s年度安防建设") % {"y": self.year})
        super().save(*args, **kwargs)

    def get_measures_display(self) -> str:
        labels = dict(Measure.choices)
        return "、".join(str(labels[m]) for m in Measure.values if m in (self.measures or []))

    # ------------------------------------------------------------ the four 100%

    @property
    def guards_met(self) -> bool:
        return self.guards >= self.guards_required

    @property
    def alarm_video(self) -> bool:
        return self.alarm_networked and self.video_networked

    @property
    def escort_all(self) -> bool:
        return all(getattr(self, name) for name, _label in ESCORT_TIMES)

    @property
    def escort_times(self) -> list[tuple[str, bool]]:
        return [(str(label), getattr(self, name)) for name, label in ESCORT_TIMES]

    @property
    def meets_all(self) -> bool:
        return self.closed_management and self.guards_met and self.alarm_video and self.escort_all

    @property
    def is_verified(self) -> bool:
        return self.status == PostureStatus.VERIFIED


def meets_all_q(prefix: str = "") -> models.Q:
    """The 四个100% all in place, as a query condition (closed, guards ≥ the rule, alarm and
    video networked, every gate time staffed)."""
    fields = ("closed_management", "alarm_networked", "video_networked",
              *(name for name, _label in ESCORT_TIMES))  # fmt: skip
    return models.Q(
        **{f"{prefix}{name}": True for name in fields},
        **{f"{prefix}guards__gte": models.F(f"{prefix}guards_required")},
    )


class SecurityPostureEvent(WorkflowEvent):
    """An append-only step of a declaration: who submitted, verified or returned it."""

    securityposture = models.ForeignKey(
        SecurityPosture, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("动作"), max_length=30, choices=PostureAction.choices)
    from_status = models.CharField(max_length=20, choices=PostureStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PostureStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("安防建设申报记录")
        verbose_name_plural = _("安防建设申报记录")
