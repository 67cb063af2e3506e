"""事件 (incidents) of a unit: the first report (kind, time, place, people affected, initial
measures), follow-up reports (续报, append-only), the superior's classification (定性), the
review (复盘) whose findings become hazards, and closing (结案). A serious incident must be
first reported within `REPORT_LIMIT` of when it happened (`late` is stored when it was not).

值班 (`DutyShift`): the dated shifts of a unit's duty roster for holidays and sensitive
periods, a register (xiaoan.core.registers); the incident page shows who was on duty."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.models import RegisterItem, TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet
from xiaoan.incidents.choices import (
    Classification,
    IncidentAction,
    IncidentKind,
    IncidentStatus,
    Severity,
)

REPORT_LIMIT = dt.timedelta(hours=2)  # a serious incident's first report (首报时限)


class IncidentQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> IncidentQuerySet:
        scoped = super().restrict(user, action)
        if action != "view" or not getattr(user, "is_authenticated", False):
            return scoped
        # A person given one of its review problems reads the incident (as a hazard's owner
        # reads the hazard), whatever their grants.
        return scoped | self.filter(
            pk__in=Finding.objects.filter(owner_id=user.pk).values("incident_id")
        )


class Incident(TimeStamped):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("事件类型"), max_length=20, choices=IncidentKind.choices)
    severity = models.CharField(
        _("事件等级"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    occurred_at = models.DateTimeField(_("发生时间"))
    place = models.CharField(_("发生地点"), max_length=200)
    injured = models.PositiveIntegerField(_("受伤人数"), default=0)
    dead = models.PositiveIntegerField(_("死亡人数"), default=0)
    summary = models.TextField(_("事件经过"))
    measures = models.TextField(_("已采取的初步措施"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_reported_at = models.DateTimeField(_("首报时间"))
    late = models.BooleanField(_("超时首报"), default=False, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # 定性 by the superior.
    classification = models.CharField(
        _("事件定性"), max_length=20, choices=Classification.choices, blank=True
    )
    classification_note = models.TextField(_("定性意见"), blank=True)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("定性人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    classified_at = models.DateTimeField(_("定性时间"), null=True, blank=True)
    # 复盘.
    review_summary = models.TextField(_("复盘结论"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复盘人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("复盘时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    objects = IncidentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-occurred_at", "-id"]
        permissions = [
            ("classify_incident", "Can classify and close an incident (superior)"),
            ("review_incident", "Can review an incident"),
        ]
        indexes = [
            models.Index(fields=["unit", "occurred_at"], name="incident_unit_time"),
            models.Index(fields=["status", "occurred_at"], name="incident_status_time"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def number(self) -> str:
        return f"SJ{self.occurred_at:%Y%m%d}-{self.pk or 0:04d}"

    @property
    def serious(self) -> bool:
        return self.severity == Severity.SERIOUS

    @property
    def deadline(self) -> dt.datetime:
        """When the first report was due (a serious incident's clock)."""
        return self.occurred_at + REPORT_LIMIT

    @property
    def minutes_late(self) -> int:
        if not self.serious:
            return 0
        over = self.first_reported_at - self.deadline
        return max(0, int(over.total_seconds() // 60))


def is_late(severity: str, occurred_at: dt.datetime, first_reported_at: dt.datetime) -> bool:
    return severity == Severity.SERIOUS and first_reported_at - occurred_at > REPORT_LIMIT


class IncidentEvent(WorkflowEvent):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=IncidentAction.choices)
    from_status = models.CharField(max_length=20, choices=IncidentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=IncidentStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("事件处理记录")
        verbose_name_plural = _("事件处理记录")
        indexes = [models.Index(fields=["incident", "created_at"], name="incident_event_time")]


class FollowUp(models.Model):
    """A 续报: never changed nor removed once written."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.TextField(_("续报内容"))
    at = models.DateTimeField(_("续报时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("续报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("续报")
        verbose_name_plural = _("续报")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.at:%Y-%m-%d %H:%M}"


class Finding(models.Model):
    """A problem the review found: entered in the unit's hazard ledger (a hazard runs its own
    loop), or given to a named person of the unit as a task with a due date (整改措施落实)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="findings")
    seq = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("存在问题"))
    measure = models.TextField(_("整改措施"), blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due = models.DateField(_("整改期限"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    done_note = models.TextField(_("落实情况"), blank=True)

    class Meta:
        verbose_name = _("复盘发现的问题")
        verbose_name_plural = _("复盘发现的问题")
        ordering = ["incident", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "seq"], name="incident_finding_once")
        ]
        # The owner's open tasks (the home page's to-do).
        indexes = [models.Index(fields=["owner", "done_at"], name="finding_owner_open")]

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def is_task(self) -> bool:
        return self.owner_id is not None

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_task and self.done_at is None and self.due is not None and self.due < today


class DutyShift(RegisterItem):
    """One shift of a unit's duty roster (值班表): who is on duty that day and hours, and the
    leader on duty (带班领导). A shift ending at or before its start runs past midnight."""

    name = models.CharField(_("值班人员"), max_length=100)
    period = models.CharField(
        _("值班时段"), max_length=60, blank=True, help_text=_("如：国庆节、中考期间")
    )
    duty_date = models.DateField(_("值班日期"))
    starts_at = models.TimeField(_("开始时间"), default=dt.time(8, 0))
    ends_at = models.TimeField(
        _("结束时间"), default=dt.time(8, 0), help_text=_("不晚于开始时间表示到次日")
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("值班人员账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    leader = models.CharField(_("带班领导"), max_length=50, blank=True)
    leader_phone = models.CharField(_("带班领导电话"), max_length=30, blank=True)

    class Meta(RegisterItem.Meta):
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        ordering = ["-duty_date", "starts_at", "pk"]
        indexes = [models.Index(fields=["unit", "duty_date"], name="dutyshift_unit_date")]

    def clean(self) -> None:
        super().clean()
        if not (self.phone or "").strip() and self.user_id is None:
            raise ValidationError({"phone": _("请填写值班人员的联系电话，或选择其账号。")})

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.duty_date, self.starts_at)

    @property
    def end(self) -> dt.datetime:
        day = self.duty_date + dt.timedelta(days=1 if self.ends_at <= self.starts_at else 0)
        return dt.datetime.combine(day, self.ends_at)

    def covers(self, moment: dt.datetime) -> bool:
        """Whether the shift covers a naive local time."""
        return self.start <= moment < self.end
