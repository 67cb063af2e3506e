"""Recurring duties (常态化要求) and their dated obligations (应办事项) per unit.

A `Duty` is a rule an authority or school issues: "every school under me does X each period".
`services.generate` turns it into one `Obligation` per bound unit and period (unique per
duty, unit and period: generating again adds nothing). An obligation is met by the records
that prove it: completed inspections of the duty's kind in the period, or `DutyRecord`s
(drill records, summaries, stage reports, screening records) with their evidence file;
when the duty `requires_review`, a record counts only once the issuing unit accepts it.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.models import TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet, grants_for, permission_name, scope_filter
from xiaoan.duties.choices import (
    DueRule,
    DutyAction,
    DutyRecurrence,
    DutyStatus,
    DutyTarget,
    ObligationAction,
    ObligationStatus,
    ProofKind,
    RecordKind,
    RecordReview,
)
from xiaoan.inspections.choices import InspectionKind
from xiaoan.orgs.choices import UnitKind
from xiaoan.reports.rollups import RolledUpQuerySet


class DutyQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> DutyQuerySet:
        """Viewing: duties issued at the units where the person holds the permission or
        below, and those issued above them (a school sees the bureau's duties that bind it).
        Other actions: the issuing unit must be in scope."""
        from xiaoan.orgs.models import Unit, ancestor_paths

        perm = permission_name(self.model, action)
        owned = scope_filter(user, perm, "issuer")
        if not owned.children or action != "view":
            return self.filter(owned)
        ancestors: set[str] = set()
        for grant in grants_for(user):
            if perm in grant.permissions and grant.unit_path:
                ancestors.update(ancestor_paths(grant.unit_path, include_self=False))
        if not ancestors:
            return self.filter(owned)
        above = models.Q(issuer__in=Unit.objects.filter(path__in=sorted(ancestors)).values("pk"))
        return self.filter(owned | above)


class Duty(TimeStamped):
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("要求"), blank=True)
    issuer = models.ForeignKey(
        "orgs.Unit", verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="duties"
    )
    target = models.CharField(
        _("适用单位"), max_length=20, choices=DutyTarget.choices, default=DutyTarget.SCHOOLS
    )
    target_kind = models.CharField(
        _("单位类型"), max_length=20, choices=UnitKind.choices, blank=True
    )
    recurrence = models.CharField(_("周期"), max_length=20, choices=DutyRecurrence.choices)
    due_rule = models.CharField(
        _("完成时限"), max_length=20, choices=DueRule.choices, default=DueRule.PERIOD_END
    )
    due_days = models.PositiveSmallIntegerField(
        _("天数"), default=0, help_text=_("“周期开始后/结束后若干天内”的天数")
    )
    due_dates = models.CharField(
        _("固定日期"),
        max_length=100,
        blank=True,
        help_text=_("月-日，逗号分隔，如 06-30,12-31；取周期内最早的一个"),
    )
    required_count = models.PositiveSmallIntegerField(_("每周期次数"), default=1)
    proof = models.CharField(_("完成依据"), max_length=20, choices=ProofKind.choices)
    inspection_kind = models.CharField(
        _("检查类型"), max_length=20, choices=InspectionKind.choices, blank=True
    )
    record_kind = models.CharField(
        _("记录类型"), max_length=20, choices=RecordKind.choices, blank=True
    )
    # The kind of drill or the education event (xiaoan.duties.proofs) a duty proved by
    # another app's records asks for; blank: any.
    proof_code = models.CharField(_("要求的类型"), max_length=40, blank=True)
    source_ref = models.CharField(
        _("来源"),
        max_length=200,
        blank=True,
        help_text=_("方案、文号或任务，如 梁教〔2024〕12号 第5项"),
    )
    task = models.ForeignKey(
        "plans.Task",
        verbose_name=_("来源任务"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duties",
        help_text=_("提出这项常态化任务的方案任务"),
    )
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(
        _("截止日期"),
        null=True,
        blank=True,
        help_text=_("一次性任务的完成时限；周期任务的结束日期"),
    )
    # Records of the units it binds wait for the issuing unit's review (accept or return);
    # see services.default_requires_review for the default.
    requires_review = models.BooleanField(
        _("报送记录须审核"),
        default=False,
        help_text=_("下级单位报送的记录须经发布单位审核通过才算完成"),
    )
    builtin_code = models.CharField(_("内置代码"), max_length=40, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=DutyStatus.choices, default=DutyStatus.ACTIVE
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DutyQuerySet.as_manager()

    scope_unit_field = "issuer"

    class Meta:
        verbose_name = _("常态化任务")
        verbose_name_plural = _("常态化任务")
        ordering = ["issuer__path", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "builtin_code"],
                condition=~models.Q(builtin_code=""),
                name="duty_builtin_once",
            )
        ]
        indexes = [
            models.Index(fields=["issuer", "status"], name="duty_issuer_status"),
            models.Index(fields=["status", "recurrence"], name="duty_status_recurrence"),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def is_active(self) -> bool:
        """Generates obligations (the API still reports it, derived from `status`)."""
        return self.status == DutyStatus.ACTIVE

    @property
    def proof_label(self) -> str:
        if self.proof == ProofKind.INSPECTION:
            return str(_("%(k)s（已提交）")) % {"k": self.get_inspection_kind_display()}
        if self.proof == ProofKind.RECORD:
            return str(self.get_record_kind_display())
        from xiaoan.duties.proofs import code_label

        code = code_label(self.proof, self.proof_code)
        return f"{self.get_proof_display()}（{code}）" if code else str(self.get_proof_display())


class DutyEvent(WorkflowEvent):
    """An append-only step of a duty: issued, stopped (with the reason), resumed."""

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=DutyAction.choices)
    from_status = models.CharField(max_length=20, choices=DutyStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DutyStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("常态化任务记录")
        verbose_name_plural = _("常态化任务记录")
        indexes = [models.Index(fields=["duty", "created_at"], name="duty_event_time")]


class ObligationQuerySet(RolledUpQuerySet, ScopedQuerySet):
    pass


class Obligation(models.Model):
    """One dated instance of a duty for one unit."""

    duty = models.ForeignKey(
        Duty, verbose_name=_("常态化任务"), on_delete=models.CASCADE, related_name="obligations"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    period_key = models.CharField(_("周期"), max_length=20)
    period_label = models.CharField(_("周期名称"), max_length=40)
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    due_on = models.DateField(_("完成时限"))
    required_count = models.PositiveSmallIntegerField(_("应完成次数"), default=1)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ObligationStatus.choices,
        default=ObligationStatus.PENDING,
    )
    met_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    met_by = models.CharField(_("完成依据"), max_length=200, blank=True)
    # Set when a record is returned: the unit may record again until then even if the due
    # date has passed (a late review must not cost the unit its deadline).
    resubmit_by = models.DateField(_("重新报送期限"), null=True, blank=True)
    due_soon_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ObligationQuerySet.as_manager()
    rollup_kind = "duties"  # the dashboard's (xiaoan.duties.tallies)

    class Meta:
        verbose_name = _("应办事项")
        verbose_name_plural = _("应办事项")
        ordering = ["due_on", "unit__path", "pk"]
        permissions = [("report_obligation", _("报送应办事项（上传记录）"))]
        constraints = [
            models.UniqueConstraint(
                fields=["duty", "unit", "period_key"], name="obligation_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="obligation_unit_status"),
            models.Index(fields=["status", "due_on"], name="obligation_status_due"),
            models.Index(fields=["period_key", "status"], name="obligation_period_status"),
            models.Index(fields=["due_on", "unit"], name="obligation_due_unit"),
            # An issuer's records to review: its duties' obligations in one status.
            models.Index(fields=["duty", "status"], name="obligation_duty_status"),
        ]

    def __str__(self) -> str:
        return f"{self.duty} · {self.period_label}"

    @property
    def is_open(self) -> bool:
        return self.status in (ObligationStatus.PENDING, ObligationStatus.REVIEW)

    @property
    def deadline(self):
        """The due date, or the later date by which a returned record may be redone."""
        return max(self.due_on, self.resubmit_by) if self.resubmit_by else self.due_on


class ObligationEvent(WorkflowEvent):
    """An append-only step of an obligation: generated, a record reported, decided met or
    missed (the daily evaluation's steps have no actor)."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=ObligationAction.choices)
    from_status = models.CharField(max_length=20, choices=ObligationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ObligationStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("应办事项记录")
        verbose_name_plural = _("应办事项记录")
        indexes = [models.Index(fields=["obligation", "created_at"], name="obligation_event_time")]


def evidence_path(instance: DutyRecord, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"duties/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class DutyRecord(models.Model):
    """A record proving an obligation that no inspection proves (drill, summary, report)."""

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("应办事项"), on_delete=models.CASCADE, related_name="records"
    )
    kind = models.CharField(_("记录类型"), max_length=20, choices=RecordKind.choices)
    note = models.TextField(_("说明"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_path, max_length=200)
    evidence_name = models.CharField(_("文件名"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    review = models.CharField(
        _("审核"), max_length=10, choices=RecordReview.choices, blank=True, default=""
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["obligation", "submitted_at"], name="dutyrecord_obl")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.obligation}"
