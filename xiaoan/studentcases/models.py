"""Student safety cases (minors' personal information): students who need attention, each
followed by a named person (包保), the semester conflict screenings (矛盾纠纷排查) and the
bullying cases (认定 → 复查 → 复核).

Who sees them is narrower than anywhere else (xiaoan.studentcases.access): the people named
on a record and those holding the record's permission by a role at that very school — never
a grant from above (a bureau's subtree). Superiors see counts only. Names, classes, contacts
and situations are encrypted at rest; `__str__` gives a number, never a name (the audit
trail keeps it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.fields import EncryptedCharField
from xiaoan.core.models import TimeStamped, WorkflowEvent
from xiaoan.studentcases.access import BullyingQuerySet, CaseQuerySet
from xiaoan.studentcases.choices import BullyingAction, BullyingStatus, CaseCategory, CaseStatus


def _user_fk(label, **kw):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        on_delete=models.PROTECT,
        related_name="+",
        **kw,
    )


class StudentCaseQuerySet(CaseQuerySet):
    named_fields = ("responsible", "recorded_by")
    named_actions = ("view", "followup", "export")


class StudentCase(TimeStamped):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("类别"), max_length=20, choices=CaseCategory.choices)
    student_name = EncryptedCharField(_("学生姓名"), max_length=50)
    class_name = EncryptedCharField(_("班级"), max_length=50)
    guardian_contact = EncryptedCharField(
        _("监护人及联系方式"), max_length=100, blank=True, default=""
    )
    situation = EncryptedCharField(_("情况说明"), max_length=2000)
    responsible = _user_fk(_("包保责任人"))
    recorded_by = _user_fk(_("登记人"))
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    close_note = EncryptedCharField(_("结案说明"), max_length=500, blank=True, default="")
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = StudentCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("学生安全个案")
        verbose_name_plural = _("学生安全个案")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("followup_studentcase", "Can add a follow-up note to a student case"),
            ("close_studentcase", "Can close a student case"),
            ("export_studentcase", "Can export student cases"),
            ("count_studentcase", "Can see the counts of student cases (no names)"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="studentcase_unit_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"XS{self.pk or 0:06d}"


class FollowUp(models.Model):
    """Append-only: who wrote what when (no page or endpoint changes or deletes one)."""

    case = models.ForeignKey(
        StudentCase, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="followups"
    )
    author = _user_fk(_("记录人"))
    text = EncryptedCharField(_("跟进情况"), max_length=2000)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} #{self.pk}"


class ConflictScreeningQuerySet(CaseQuerySet):
    named_fields = ("recorded_by",)
    named_actions = ("view",)


class ConflictScreening(TimeStamped):
    """矛盾纠纷排查: one per school per semester, with the cases it found."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+"
    )
    semester = models.CharField(_("学期"), max_length=30, help_text=_("如 2026年秋季学期"))
    screened_on = models.DateField(_("排查日期"))
    summary = EncryptedCharField(_("排查情况"), max_length=2000, blank=True, default="")
    cases = models.ManyToManyField(
        StudentCase, verbose_name=_("发现的个案"), blank=True, related_name="screenings"
    )
    recorded_by = _user_fk(_("登记人"))

    objects = ConflictScreeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷排查")
        verbose_name_plural = _("矛盾纠纷排查")
        ordering = ["-screened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "semester"], name="conflictscreening_once_per_semester"
            )
        ]

    def __str__(self) -> str:
        return f"PC{self.pk or 0:06d}"


class BullyingCaseQuerySet(BullyingQuerySet):
    named_fields = ("responsible", "recorded_by")
    named_actions = ("view",)


class BullyingCase(TimeStamped):
    """A bullying report through 认定 → 复查 → 复核 (xiaoan.studentcases.workflow); the time
    limits are in xiaoan.studentcases.deadlines."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        StudentCase,
        verbose_name=_("关联个案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bullying_cases",
    )
    reported_on = models.DateField(_("报告日期"))
    victim_name = EncryptedCharField(_("受害学生"), max_length=50)
    accused_names = EncryptedCharField(_("涉事学生"), max_length=200)
    description = EncryptedCharField(_("事件经过"), max_length=2000)
    responsible = _user_fk(_("包保责任人"))
    recorded_by = _user_fk(_("登记人"))
    status = models.CharField(
        _("状态"), max_length=20, choices=BullyingStatus.choices, default=BullyingStatus.REPORTED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    is_bullying = models.BooleanField(_("是否构成欺凌"), null=True, blank=True)
    determined_on = models.DateField(_("认定日期"), null=True, blank=True)
    determination = EncryptedCharField(_("认定意见"), max_length=2000, blank=True, default="")
    review_requested_on = models.DateField(_("复查申请日期"), null=True, blank=True)
    reviewed_on = models.DateField(_("复查日期"), null=True, blank=True)
    review_result = EncryptedCharField(_("复查结论"), max_length=2000, blank=True, default="")
    reexam_requested_on = models.DateField(_("复核申请日期"), null=True, blank=True)
    reexamined_on = models.DateField(_("复核日期"), null=True, blank=True)
    reexam_result = EncryptedCharField(_("复核结论"), max_length=2000, blank=True, default="")

    objects = BullyingCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("欺凌事件")
        verbose_name_plural = _("欺凌事件")
        ordering = ["-reported_on", "-id"]
        permissions = [
            ("handle_bullyingcase", "Can determine, record requests and close bullying cases"),
            ("review_bullyingcase", "Can decide the review (复查) of the schools' bullying cases"),
            (
                "reexamine_bullyingcase",
                "Can decide the re-examination (复核) of the schools' bullying cases",
            ),
        ]

    def __str__(self) -> str:
        return f"QL{self.pk or 0:06d}"

    @property
    def number(self) -> str:
        return str(self)


class BullyingEvent(WorkflowEvent):
    """The bullying case's steps (notes stay empty: the findings are encrypted on the case)."""

    bullyingcase = models.ForeignKey(BullyingCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=BullyingAction.choices)
    from_status = models.CharField(max_length=20, choices=BullyingStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=BullyingStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("欺凌事件处理记录")
        verbose_name_plural = _("欺凌事件处理记录")
