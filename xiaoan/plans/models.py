"""Plans (方案), their tasks (工作任务) with deadlines and units, the assignments a task is
cascaded into (one per unit), progress reports with evidence, and imports under review.

Visibility: every plan permission is `plans.<action>_plan`. A plan or task is seen by the
people holding the permission over its issuing unit and by the units it was assigned to;
an assignment by its own unit and by the issuer of its task. Changes belong to the issuer;
reports to the assignee.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.models import TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet, scope_filter
from xiaoan.plans.choices import (
    OPEN,
    PROGRESS_COLOURS,
    REVIEW_COLOURS,
    AssignmentAction,
    DeadlineKind,
    ImportStatus,
    PlanAction,
    PlanStatus,
    Progress,
    ReportReview,
    current_progress,
)
from xiaoan.reports.rollups import RolledUpQuerySet

# Who acts where: viewing also reaches the assigned units; the rest stays with one side.
ASSIGNEE_ACTIONS = ("view", "report")


def plan_perm(action: str) -> str:
    return f"plans.{action}_plan"


def _any(parts: list[Q]) -> Q | None:
    """OR of scope filters; None when one of them is unrestricted (superuser, platform)."""
    combined = Q(pk__in=[])
    for part in parts:
        if not part.children:
            return None
        combined |= part
    return combined


class ColourMixin:
    """Status as pages show it: the stored status under the one overdue rule
    (choices.current_progress); a progress report, without a deadline, shows what it said."""

    @property
    def current_status(self) -> str:
        return current_progress(
            getattr(self, "status", ""), getattr(self, "due_on", None), timezone.localdate()
        )

    @property
    def current_status_display(self) -> str:
        return str(dict(Progress.choices).get(self.current_status, self.current_status))

    @property
    def colour(self) -> str:
        return PROGRESS_COLOURS.get(self.current_status, "secondary")


class PlanScopedQuerySet(ScopedQuerySet):
    """`restrict(user, action)` with the plan permissions (`plans.<action>_plan`)."""

    issuer_lookups: tuple[str, ...] = ()
    assignment_lookup = ""  # from an Assignment to this model's pk
    own_lookup = ""  # the assignee unit of the model itself (assignments)

    def restrict(self, user, action: str = "view") -> models.QuerySet:
        return self.with_permission(user, plan_perm(action))

    def with_permission(self, user, perm: str) -> models.QuerySet:
        action = perm.split(".", 1)[-1].rsplit("_", 1)[0]
        parts: list[Q] = []
        if action != "report":
            parts += [scope_filter(user, perm, lookup) for lookup in self.issuer_lookups]
        if action in ASSIGNEE_ACTIONS:
            if self.own_lookup:
                parts.append(scope_filter(user, perm, self.own_lookup))
            elif self.assignment_lookup:
                assigned = scope_filter(user, perm, "unit")
                if not assigned.children:
                    return self.all()
                parts.append(
                    Q(pk__in=Assignment.objects.filter(assigned).values(self.assignment_lookup))
                )
        combined = _any(parts)
        return self.all() if combined is None else self.filter(combined)


class PlanQuerySet(PlanScopedQuerySet):
    issuer_lookups = ("unit",)
    assignment_lookup = "task__plan_id"


class TaskQuerySet(PlanScopedQuerySet):
    issuer_lookups = ("unit", "plan__unit")
    assignment_lookup = "task_id"


class AssignmentQuerySet(RolledUpQuerySet, PlanScopedQuerySet):
    issuer_lookups = ("task__unit", "task__plan__unit")
    own_lookup = "unit"


class ImportQuerySet(PlanScopedQuerySet):
    issuer_lookups = ("unit",)


class Plan(TimeStamped):
    title = models.CharField(_("方案名称"), max_length=200)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="plans"
    )
    document_number = models.CharField(
        _("文号"), max_length=60, blank=True, help_text=_("如 梁教〔2024〕12号")
    )
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    progress_status = models.CharField(
        _("完成情况"), max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    version = models.PositiveIntegerField(default=0, editable=False)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作方案")
        verbose_name_plural = _("工作方案")
        ordering = ["-created_at", "-id"]
        permissions = [("report_plan", _("报送方案任务进展"))]
        indexes = [
            models.Index(fields=["unit", "status"], name="plan_unit_status"),
            models.Index(fields=["status", "created_at"], name="plan_status_created"),
            models.Index(fields=["progress_status"], name="plan_progress_status"),
            models.Index(fields=["start_date", "end_date"], name="plan_period"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def current_progress_status(self) -> str:
        """Overdue as soon as one of its tasks is (`late_tasks`: set by the list's annotation
        or the plan page), else what the roll-up stored."""
        if getattr(self, "late_tasks", False) and self.progress_status in OPEN:
            return Progress.OVERDUE
        return self.progress_status

    @property
    def current_progress_status_display(self) -> str:
        status = self.current_progress_status
        return str(dict(Progress.choices).get(status, status))

    @property
    def colour(self) -> str:
        return PROGRESS_COLOURS.get(self.current_progress_status, "secondary")

    @property
    def period(self) -> str:
        if self.start_date and self.end_date:
            if self.start_date.year == self.end_date.year:
                return str(self.start_date.year)
            return f"{self.start_date.year}–{self.end_date.year}"
        return ""


class PlanEvent(WorkflowEvent):
    """An append-only step of a plan's lifecycle: created, published, closed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=PlanAction.choices)
    from_status = models.CharField(max_length=20, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PlanStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("方案记录")
        verbose_name_plural = _("方案记录")
        indexes = [models.Index(fields=["plan", "created_at"], name="plan_event_time")]


class PlanPhase(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="phases"
    )
    seq = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("阶段"), max_length=100)
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("实施阶段")
        verbose_name_plural = _("实施阶段")
        ordering = ["plan", "seq", "id"]

    def __str__(self) -> str:
        return self.name


class Task(ColourMixin, TimeStamped):
    """A task of a plan. `unit` is who issued it: the plan's unit, or for a cascaded task
    (`parent` set) the school that passed its own assignment on to its departments."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="tasks"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("下达单位"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级任务"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    seq = models.PositiveIntegerField(_("序号"), default=0)
    domain = models.CharField(_("领域"), max_length=200, blank=True)
    title = models.CharField(_("工作任务"), max_length=300)
    content = models.TextField(_("任务内容"), blank=True)
    lead_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("牵头单位"), blank=True, related_name="+"
    )
    responsible_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("责任单位"), blank=True, related_name="+"
    )
    cooperating_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("配合单位"), blank=True, related_name="+"
    )
    all_below = models.BooleanField(
        _("下达至全部下级"),
        default=False,
        help_text=_("“各学校”“学校各处室”等：下达给全部学校（或本校全部处室）"),
    )
    all_sections = models.BooleanField(
        _("下达至机关各股室"), default=False, help_text=_("“局各股室”：下达给发文单位的全部股室")
    )
    collective_text = models.CharField(
        _("泛指的单位"),
        max_length=300,
        blank=True,
        help_text=_("文件中泛指多个单位的写法，如“全区中小学幼儿园”"),
    )
    status = models.CharField(
        _("完成情况"), max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    due_on = models.DateField(_("最终期限"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["plan", "parent_id", "seq", "id"]
        indexes = [
            models.Index(fields=["plan", "seq"], name="task_plan_seq"),
            models.Index(fields=["unit", "status"], name="task_unit_status"),
            models.Index(fields=["status", "due_on"], name="task_status_due"),
            models.Index(fields=["parent"], name="task_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.title}"

    @property
    def is_ongoing(self) -> bool:
        return any(d.kind == DeadlineKind.ONGOING for d in self.deadlines.all())


class TaskDeadline(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="deadlines"
    )
    seq = models.PositiveSmallIntegerField(_("顺序"), default=0)
    date = models.DateField(_("日期"), null=True, blank=True)
    label = models.CharField(_("说明"), max_length=60, blank=True)
    kind = models.CharField(
        _("类型"), max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.DATE
    )

    class Meta:
        verbose_name = _("完成时限")
        verbose_name_plural = _("完成时限")
        ordering = ["task", "seq", "id"]
        indexes = [models.Index(fields=["date"], name="deadline_date")]

    def __str__(self) -> str:
        if self.kind != DeadlineKind.DATE:
            return " ".join(p for p in (self.label, str(self.get_kind_display())) if p)
        when = self.date.isoformat() if self.date else ""
        return "：".join(p for p in (self.label, when) if p)


class Assignment(ColourMixin, TimeStamped):
    """A task as one unit's duty: the unit reports, the task's issuer follows."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="plan_assignments",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    last_report = models.ForeignKey(
        "ProgressReport",
        verbose_name=_("最近报送"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_reported_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = AssignmentQuerySet.as_manager()
    rollup_kind = "plans"  # the dashboard's (xiaoan.plans.tallies)

    class Meta:
        verbose_name = _("任务分解")
        verbose_name_plural = _("任务分解")
        ordering = ["task", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_task_unit")
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="assignment_unit_status"),
            models.Index(fields=["status", "due_on"], name="assignment_status_due"),
            # An issuer's reports to review: its plans' tasks, then their submitted ones
            # (index only; a province counts ten thousand without reading them).
            models.Index(fields=["task", "status"], name="assignment_task_status"),
        ]

    def __str__(self) -> str:
        return f"{self.task.title} · {self.unit.name}"


class AssignmentEvent(WorkflowEvent):
    """An append-only step of an assignment: assigned, reported on, decomposed, overdue."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=AssignmentAction.choices)
    from_status = models.CharField(max_length=20, choices=Progress.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Progress.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("任务分解记录")
        verbose_name_plural = _("任务分解记录")
        indexes = [models.Index(fields=["assignment", "created_at"], name="assignment_event_time")]


class ProgressReport(ColourMixin, models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("任务分解"), on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField(_("进展情况"))
    status = models.CharField(_("状态"), max_length=20, choices=Progress.choices)
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    # The milestone (a dated deadline of the task) this report says is done.
    milestone = models.ForeignKey(
        TaskDeadline,
        verbose_name=_("完成节点"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    review = models.CharField(
        _("审核状态"), max_length=20, choices=ReportReview.choices, default=ReportReview.NOTED
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["assignment", "created_at"], name="report_assignment")]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def review_colour(self) -> str:
        return REVIEW_COLOURS.get(self.review, "secondary")


def evidence_path(instance: Evidence, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"plans/evidence/{instance.report.assignment_id}/{os.urandom(8).hex()}{ext}"


class Evidence(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报送"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("佐证材料"), upload_to=evidence_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PlanImport(models.Model):
    """A plan document read by the importer, kept between upload, review and confirm."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("发文单位"), on_delete=models.CASCADE, related_name="+"
    )
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    draft = models.JSONField(_("任务草稿"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("方案"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("方案导入")
        verbose_name_plural = _("方案导入")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"], name="planimport_unit_status")]

    def __str__(self) -> str:
        return self.source_name or str(self.pk)
