"""风险分级管控: a unit's risk points (风险点: a place or activity with a hazardous event),
their assessments (append-only; LS or LEC as the unit chose, the grade computed by
xiaoan.risks.grading), control measures owned at a level by a person and checked on a
schedule, the checks themselves (a failed one is a hazard), the unit's choice of method,
and the plan images of the 四色图."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.models import TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet
from xiaoan.risks.choices import (
    CheckResult,
    ControlLevel,
    Frequency,
    MeasureKind,
    Method,
    RiskAction,
    RiskGrade,
    RiskStatus,
)

USER = settings.AUTH_USER_MODEL


def check_photo_path(instance, filename: str) -> str:
    return f"risks/checks/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


def plan_image_path(instance, filename: str) -> str:
    return f"risks/plans/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class RiskSetting(models.Model):
    """A unit's choice of assessment method; a department without one follows the nearest
    unit above it that has one (LS when none has)."""

    unit = models.OneToOneField(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    method = models.CharField(_("评估方法"), max_length=10, choices=Method.choices)
    version = models.PositiveIntegerField(default=0, editable=False)
    changed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("风险评估方法设置")
        verbose_name_plural = _("风险评估方法设置")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.get_method_display()}"


class RiskPlan(TimeStamped):
    """A building or campus plan image (四色图底图) of a unit, stored privately and served
    through a view that checks who may see the unit's risk points."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("图名"), max_length=100)
    image = models.ImageField(_("平面图"), upload_to=plan_image_path, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("四色图底图")
        verbose_name_plural = _("四色图底图")
        ordering = ["unit__path", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class RiskPointQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> RiskPointQuerySet:
        scoped = super().restrict(user, action)
        if action != "view" or not getattr(user, "is_authenticated", False):
            return scoped
        # The person a control measure is given to reads its risk point (to check it),
        # whatever their grants.
        return scoped | self.filter(
            pk__in=ControlMeasure.objects.filter(owner_id=user.pk, active=True).values(
                "risk_point_id"
            )
        )


class RiskPoint(TimeStamped):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        "orgs.Place",
        verbose_name=_("所在场所"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location = models.CharField(_("具体位置"), max_length=200, blank=True)
    domain = models.CharField(_("领域"), max_length=30, choices=SafetyDomain.choices)
    name = models.CharField(_("风险点名称"), max_length=100)
    hazardous_event = models.TextField(_("可能导致的事故类型/危险事件"))
    status = models.CharField(
        _("状态"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.ACTIVE
    )
    # The latest assessment's outcome, written only by the assessment service.
    grade = models.CharField(
        _("风险等级"), max_length=10, choices=RiskGrade.choices, blank=True, editable=False
    )
    method = models.CharField(
        _("评估方法"), max_length=10, choices=Method.choices, blank=True, editable=False
    )
    risk_value = models.DecimalField(
        _("风险值"), max_digits=10, decimal_places=2, null=True, blank=True, editable=False
    )
    assessed_at = models.DateTimeField(_("评估时间"), null=True, blank=True, editable=False)
    owner = models.ForeignKey(
        USER,
        verbose_name=_("风险点责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reassessment_due = models.BooleanField(_("需重新评估"), default=False, editable=False)
    reassessment_reason = models.CharField(
        _("重新评估原因"), max_length=300, blank=True, editable=False
    )
    # Its marker on the 四色图 (fractions of the image's width and height).
    plan = models.ForeignKey(
        RiskPlan,
        verbose_name=_("四色图底图"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="points",
    )
    plan_x = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    plan_y = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = RiskPointQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["unit__path", "name", "pk"]
        permissions = [
            ("assess_riskpoint", "Can assess a risk point"),
            ("check_riskpoint", "Can record control checks of any measure of a risk point"),
            ("export_riskpoint", "Can export the risk register"),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "grade"], name="riskpoint_unit_grade"),
            models.Index(fields=["grade", "status"], name="riskpoint_grade"),
            models.Index(fields=["reassessment_due"], name="riskpoint_reassess"),
            models.Index(fields=["domain"], name="riskpoint_domain"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def colour(self) -> str:
        from xiaoan.risks.choices import GRADE_COLOURS

        return GRADE_COLOURS.get(self.grade, "grey")

    @property
    def is_active(self) -> bool:
        return self.status == RiskStatus.ACTIVE


class RiskEvent(WorkflowEvent):
    riskpoint = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=RiskAction.choices)
    from_status = models.CharField(max_length=20, choices=RiskStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RiskStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("风险点处理记录")
        verbose_name_plural = _("风险点处理记录")
        indexes = [models.Index(fields=["riskpoint", "created_at"], name="risk_event_time")]


class RiskAssessment(models.Model):
    """One assessment, never changed: the method and the factors it used, the value and the
    grade the service computed."""

    risk_point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="assessments")
    method = models.CharField(_("评估方法"), max_length=10, choices=Method.choices)
    # LS: likelihood (L) and severity (S), 1–5 each. LEC: L, E (exposure), C (consequence).
    likelihood = models.DecimalField(_("可能性 L"), max_digits=5, decimal_places=2)
    severity = models.PositiveSmallIntegerField(_("严重性 S"), null=True, blank=True)
    exposure = models.DecimalField(
        _("暴露频繁程度 E"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    consequence = models.PositiveSmallIntegerField(_("后果 C"), null=True, blank=True)
    value = models.DecimalField(_("风险值"), max_digits=10, decimal_places=2)
    grade = models.CharField(_("风险等级"), max_length=10, choices=RiskGrade.choices)
    note = models.TextField(_("评估说明"), blank=True)
    assessed_by = models.ForeignKey(
        USER, verbose_name=_("评估人"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("评估时间"), default=timezone.now)

    class Meta:
        verbose_name = _("风险评估")
        verbose_name_plural = _("风险评估")
        ordering = ["-assessed_at", "-pk"]
        indexes = [models.Index(fields=["risk_point", "assessed_at"], name="riskassess_point_time")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.value} {self.get_grade_display()}"

    @property
    def factors(self) -> str:
        def num(v):
            return f"{v.normalize():f}" if hasattr(v, "normalize") else str(v)

        if self.method == Method.LEC:
            return f"L={num(self.likelihood)} E={num(self.exposure)} C={self.consequence}"
        return f"L={num(self.likelihood)} S={self.severity}"


class ControlMeasure(models.Model):
    risk_point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("措施类型"), max_length=20, choices=MeasureKind.choices)
    text = models.TextField(_("管控措施"))
    level = models.CharField(_("管控层级"), max_length=20, choices=ControlLevel.choices)
    owner = models.ForeignKey(
        USER, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="+"
    )
    frequency = models.CharField(_("检查频次"), max_length=20, choices=Frequency.choices)
    active = models.BooleanField(_("在用"), default=True)
    # Kept by the check service: the next check's date (from the last check, or from when
    # the measure was given).
    next_due = models.DateField(_("下次检查日期"))
    last_checked_at = models.DateTimeField(_("最近检查时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("管控措施")
        verbose_name_plural = _("管控措施")
        ordering = ["risk_point", "pk"]
        indexes = [
            # The owner's due checks (the home page's to-do) and overdue counts.
            models.Index(fields=["owner", "active", "next_due"], name="measure_owner_due"),
            models.Index(fields=["active", "next_due"], name="measure_due"),
        ]

    def __str__(self) -> str:
        return self.text[:50]

    def is_overdue(self, today) -> bool:
        return self.active and self.next_due < today


class ControlCheck(models.Model):
    """One check of a measure, never changed: passed, or failed and entered in the unit's
    hazard ledger (`hazard`)."""

    measure = models.ForeignKey(ControlMeasure, on_delete=models.CASCADE, related_name="checks")
    risk_point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="checks")
    result = models.CharField(_("检查结果"), max_length=10, choices=CheckResult.choices)
    note = models.TextField(_("检查情况"), blank=True)
    photo = models.ImageField(_("照片"), upload_to=check_photo_path, max_length=200, blank=True)
    checked_by = models.ForeignKey(
        USER, verbose_name=_("检查人"), on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("检查时间"), default=timezone.now)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A phone's retry of the same check returns the first one.
    key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("管控检查")
        verbose_name_plural = _("管控检查")
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checked_by", "key"], condition=~models.Q(key=""), name="riskcheck_once"
            )
        ]
        indexes = [
            models.Index(fields=["risk_point", "checked_at"], name="riskcheck_point_time"),
            models.Index(fields=["hazard"], name="riskcheck_hazard"),
        ]

    def __str__(self) -> str:
        return f"{self.get_result_display()} {self.checked_at:%Y-%m-%d}"
