"""应急演练: a drill of one unit, planned (kind, date, scenario, organiser and roles, expected
participants, observers invited), recorded (times, participants counted, evacuation time,
photos and video links) and evaluated on the built-in checklist of its kind
(xiaoan.drills.checklists), each problem a hazard of the unit's ledger. The workflow is
declared in xiaoan.drills.workflow, the rules are xiaoan.drills.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.models import StoredPhoto, TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet, permission_name, scope_filter
from xiaoan.drills.choices import CheckResult, DrillAction, DrillKind, DrillStatus

INVITED_LIMIT = 200


def invited_ids(user) -> list[int] | None:
    """Drills the person is invited to observe (few); None when there are too many to list."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = list(
        DrillInvite.objects.filter(user_id=user.pk).values_list("drill_id", flat=True)[
            : INVITED_LIMIT + 1
        ]
    )
    return None if len(ids) > INVITED_LIMIT else ids


class DrillQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> DrillQuerySet:
        """Drills of units in the person's scope, plus, to view only, those they are invited
        to observe (an invitation opens that drill and nothing else)."""
        scope = scope_filter(user, permission_name(self.model, action), "unit")
        if action != "view" or not getattr(user, "is_authenticated", False):
            return self.filter(scope)
        ids = invited_ids(user)
        if ids is None:
            return self.filter(scope | models.Q(invites__user_id=user.pk)).distinct()
        return self.filter(scope | models.Q(pk__in=ids)) if ids else self.filter(scope)


class Drill(TimeStamped):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("演练类型"), max_length=20, choices=DrillKind.choices)
    title = models.CharField(_("演练名称"), max_length=200)
    planned_on = models.DateField(_("计划日期"))
    scenario = models.TextField(_("演练情景"), blank=True)
    organiser = models.CharField(_("总指挥/组织者"), max_length=50)
    # [{"name": …, "role": …}]: 总指挥, 疏散引导组, 通讯联络组 … (a short list).
    roles = models.JSONField(_("分工"), default=list, blank=True)
    expected_participants = models.PositiveIntegerField(_("应参加人数"), default=0)
    target_seconds = models.PositiveIntegerField(_("目标疏散用时（秒）"), null=True, blank=True)
    # The school's fire team or rescue squad taking part: their readiness counts this drill.
    teams = models.ManyToManyField(
        "emergency.EmergencyTeam", verbose_name=_("参演队伍"), blank=True, related_name="drills"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=DrillStatus.choices, default=DrillStatus.PLANNED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计划人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The record (实施情况).
    held_on = models.DateField(_("实施日期"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("实际参加人数"), null=True, blank=True)
    evacuation_seconds = models.PositiveIntegerField(_("疏散用时（秒）"), null=True, blank=True)
    video_links = models.TextField(_("视频链接"), blank=True)
    record_note = models.TextField(_("实施情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    record_key = models.CharField(max_length=64, blank=True, editable=False)
    record_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # The evaluation (评估).
    evaluation_summary = models.TextField(_("评估意见"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("评估时间"), null=True, blank=True)
    evaluate_key = models.CharField(max_length=64, blank=True, editable=False)
    evaluate_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = DrillQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-planned_on", "-id"]
        permissions = [
            ("record_drill", "Can record how a drill went"),
            ("evaluate_drill", "Can evaluate a drill"),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "held_on"], name="drill_unit_status_held"),
            models.Index(fields=["unit", "planned_on"], name="drill_unit_planned"),
            models.Index(fields=["status", "planned_on"], name="drill_status_planned"),
            models.Index(fields=["kind", "planned_on"], name="drill_kind_planned"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"YL{self.planned_on:%Y%m%d}-{self.pk or 0:04d}"

    @property
    def participation(self) -> int | None:
        """实到 / 应到, in whole per cent (the all-pupils rule); None before it is recorded."""
        if self.participants is None or not self.expected_participants:
            return None
        return round(100 * self.participants / self.expected_participants)

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)

    @property
    def within_target(self) -> bool | None:
        if self.evacuation_seconds is None or not self.target_seconds:
            return None
        return self.evacuation_seconds <= self.target_seconds

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.video_links.splitlines() if line.strip()]

    def is_due(self, today=None) -> bool:
        return self.status == DrillStatus.PLANNED and self.planned_on <= (
            today or timezone.localdate()
        )


class DrillEvent(WorkflowEvent):
    """An append-only step of a drill: planned, changed, recorded, evaluated, cancelled, an
    observer invited or let go."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=DrillAction.choices)
    from_status = models.CharField(max_length=20, choices=DrillStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DrillStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("演练记录")
        verbose_name_plural = _("演练记录")
        indexes = [models.Index(fields=["drill", "created_at"], name="drill_event_time")]


class DrillInvite(models.Model):
    """An observer of one drill (a superior's person, an outside expert): the invitation opens
    that drill, to view, and nothing else."""

    drill = models.ForeignKey(
        Drill, verbose_name=_("演练"), on_delete=models.CASCADE, related_name="invites"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("观摩人"),
        on_delete=models.CASCADE,
        related_name="drill_invites",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("演练观摩邀请")
        verbose_name_plural = _("演练观摩邀请")
        constraints = [models.UniqueConstraint(fields=["drill", "user"], name="drill_invite_once")]
        indexes = [models.Index(fields=["user", "drill"], name="drill_invite_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.drill}"


def photo_path(instance: DrillPhoto, filename: str) -> str:
    now = timezone.now()
    return f"drills/{now:%Y/%m}/{instance.drill_id}-{now:%H%M%S%f}.jpg"


class DrillPhoto(StoredPhoto):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=photo_path)

    class Meta:
        verbose_name = _("演练照片")
        verbose_name_plural = _("演练照片")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.drill_id}/{self.pk}"


class DrillCheck(models.Model):
    """One item of the drill's evaluation; a problem links the hazard it became."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="checks")
    seq = models.PositiveSmallIntegerField(_("序号"))
    code = models.CharField(_("代码"), max_length=30)
    text = models.CharField(_("评估项"), max_length=200)
    result = models.CharField(_("结果"), max_length=10, choices=CheckResult.choices)
    note = models.TextField(_("说明"), blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("演练评估项")
        verbose_name_plural = _("演练评估项")
        ordering = ["drill", "seq"]
        constraints = [models.UniqueConstraint(fields=["drill", "code"], name="drill_check_once")]
        indexes = [models.Index(fields=["hazard"], name="drill_check_hazard")]

    def __str__(self) -> str:
        return self.text
