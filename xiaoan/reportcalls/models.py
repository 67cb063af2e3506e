"""上报材料: a report call (征集通知) of an authority to the units below it, and each unit's
report (its draft, built from the unit's figures with narrative sections the unit writes,
submitted, accepted or returned). The workflow is declared in xiaoan.reportcalls.workflow,
the rules are xiaoan.reportcalls.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.models import TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet
from xiaoan.reportcalls.choices import (
    OPEN_STATUSES,
    CallTargets,
    ReportAction,
    ReportKind,
    ReportStatus,
)


class ReportCall(TimeStamped):
    """An authority's call for reports; `unit` is the authority (its people see the call and
    every return)."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("报告类型"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    topic = models.CharField(_("专报主题"), max_length=100, blank=True)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    period_start = models.DateField(_("报告期起"))
    period_end = models.DateField(_("报告期止"))
    due_on = models.DateField(_("报送截止日期"))
    instructions = models.TextField(_("报送要求"), blank=True)
    targets = models.CharField(
        _("报送范围"), max_length=20, choices=CallTargets.choices, default=CallTargets.CHILDREN
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("报告征集")
        verbose_name_plural = _("报告征集")
        ordering = ["-due_on", "-id"]
        indexes = [models.Index(fields=["unit", "due_on"], name="reportcall_unit_due")]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        return self.due_on < (today or timezone.localdate())


class Report(TimeStamped):
    """One unit's answer to a call."""

    call = models.ForeignKey(
        ReportCall, verbose_name=_("报告征集"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFTING
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    # {"as_of": "YYYY-MM-DD", "tables": [{"title", "rows": [[label, value]]}],
    #  "sentences": [...]}: the unit's figures when the draft was made or refreshed.
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    # {"work": "...", "problems": "...", "next_steps": "..."} (choices.SECTIONS).
    sections = models.JSONField(_("正文"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("上报材料")
        verbose_name_plural = _("上报材料")
        ordering = ["call", "unit__path", "id"]
        permissions = [
            ("submit_report", "Can submit a report upward"),
            ("accept_report", "Can accept or return a report (the caller)"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["call", "unit"], name="report_once_per_unit")
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="report_unit_status"),
            models.Index(fields=["call", "status"], name="report_call_status"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.call}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.call.is_overdue(today)

    @property
    def title(self) -> str:
        """The report's own title: 关于…的安全专报, else the year's work and the kind."""
        call = self.call
        if call.kind == ReportKind.SPECIAL and call.topic:
            return _("%(u)s关于%(t)s的安全专报") % {"u": self.unit.name, "t": call.topic}
        return _("%(u)s%(y)d年学校安全工作%(k)s") % {
            "u": self.unit.name,
            "y": call.period_end.year,
            "k": call.get_kind_display(),
        }


class ReportEvent(WorkflowEvent):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=ReportAction.choices)
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("上报材料记录")
        verbose_name_plural = _("上报材料记录")
        indexes = [models.Index(fields=["report", "created_at"], name="report_event_time")]
