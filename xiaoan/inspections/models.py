"""Checklist templates (versioned), inspections, the people invited to them and their results.

A template's items live in a `ChecklistVersion`. An inspection points at the version it was
done with, and a version is frozen once an inspection uses it: editing a template always
writes a new version, so a finished inspection reads the same forever.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.models import StoredPhoto, TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet, grants_for, permission_name, scope_filter
from xiaoan.inspections.choices import (
    PENDING_STATUSES,
    InspectionAction,
    InspectionKind,
    InspectionStatus,
    InviteRole,
    Recurrence,
    ResultValue,
    ScheduleTarget,
)
from xiaoan.orgs.choices import UnitKind
from xiaoan.reports.rollups import RolledUpQuerySet

INVITED_LIMIT = 1000


# ---------------------------------------------------------------- checklists


class ChecklistTemplateQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> ChecklistTemplateQuerySet:
        """Viewing: the built-in library, and the copies owned by any unit above, at or below
        the units where the person holds the permission (a unit's copy serves its subtree;
        a superior sees what its schools adapted). Other actions: the owner unit only, so
        built-ins change only through `loadchecklists`."""
        from xiaoan.orgs.models import Unit, ancestor_paths

        perm = permission_name(self.model, action)
        owned = scope_filter(user, perm, "owner_unit")
        if not owned.children:  # platform-wide or superuser
            return self.all()
        if action != "view":
            return self.filter(owned)
        if not _holds(user, perm):
            return self.none()
        ancestors: set[str] = set()
        for grant in grants_for(user):
            if perm in grant.permissions and grant.unit_path:
                ancestors.update(ancestor_paths(grant.unit_path))
        above = models.Q(
            owner_unit__in=Unit.objects.filter(path__in=sorted(ancestors)).values("pk")
        )
        return self.filter(models.Q(owner_unit__isnull=True) | owned | above)


def _holds(user, perm: str) -> bool:
    from xiaoan.core.scoping import has_permission_anywhere

    return has_permission_anywhere(user, perm)


class ChecklistTemplate(TimeStamped):
    """A checklist (检查表). `owner_unit` empty: the built-in library."""

    code = models.CharField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    domain = models.CharField(_("领域"), max_length=30, choices=SafetyDomain.choices)
    description = models.TextField(_("说明"), blank=True)
    owner_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checklist_templates",
        help_text=_("为空表示内置检查表"),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    current_version = models.ForeignKey(
        "ChecklistVersion",
        verbose_name=_("当前版本"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()
    objects = ChecklistTemplateQuerySet.as_manager()

    scope_unit_field = "owner_unit"

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["owner_unit", "is_active"], name="checklist_owner_active"),
            models.Index(fields=["domain", "is_active"], name="checklist_domain_active"),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def is_builtin(self) -> bool:
        return self.owner_unit_id is None


class ChecklistVersion(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("检查表"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("版本号"))
    is_frozen = models.BooleanField(
        _("已使用"), default=False, help_text=_("已有检查使用此版本，其内容不再改变")
    )
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修订人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("检查表版本")
        verbose_name_plural = _("检查表版本")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="checklist_version_unique")
        ]

    def __str__(self) -> str:
        return str(_("%(t)s 第%(n)d版") % {"t": self.template, "n": self.number})


class ChecklistItem(models.Model):
    version = models.ForeignKey(
        ChecklistVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="items"
    )
    seq = models.PositiveSmallIntegerField(_("序号"))
    code = models.CharField(_("代码"), max_length=60)
    section = models.CharField(_("分类"), max_length=100, blank=True)
    text = models.TextField(_("检查内容"))
    guidance = models.TextField(_("检查方法与判定"), blank=True)
    photo_required = models.BooleanField(_("须拍照"), default=False)
    criterion = models.CharField(
        _("重大隐患判定标准"),
        max_length=20,
        blank=True,
        help_text=_("不符合即直接判定为重大事故隐患的判定标准代码"),
    )

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["version", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="checklist_item_code"),
            models.UniqueConstraint(fields=["version", "seq"], name="checklist_item_seq"),
        ]
        indexes = [models.Index(fields=["code"], name="checklist_item_code_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:30]}"

    def content(self) -> tuple:
        """What makes two items the same (a changed one means a new version)."""
        return (
            self.code,
            self.section,
            self.text,
            self.guidance,
            self.photo_required,
            self.criterion or "",
        )


# ---------------------------------------------------------------- inspections


def invited_ids(user) -> list[int] | None:
    """Inspections the user is invited to (few); None when there are too many to list."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = list(
        InspectionInvite.objects.filter(user_id=user.pk).values_list("inspection_id", flat=True)[
            : INVITED_LIMIT + 1
        ]
    )
    return None if len(ids) > INVITED_LIMIT else ids


class InspectionQuerySet(RolledUpQuerySet, ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> InspectionQuerySet:
        """Inspections of units in the person's scope, plus those they are invited to (for
        viewing and conducting). An unannounced visit (暗访) not yet submitted is hidden from
        the people of its target: only a grant held strictly above the target unit sees it."""
        from xiaoan.orgs.models import Unit

        perm = permission_name(self.model, action)
        scope = scope_filter(user, perm, "unit")
        if not scope.children:  # platform-wide or superuser
            return self.filter(scope)
        hidden = models.Q(kind=InspectionKind.UNANNOUNCED, status__in=PENDING_STATUSES)
        above = models.Q(pk__in=[])
        for grant in grants_for(user):
            if perm in grant.permissions and grant.descendants and grant.unit_path:
                above |= models.Q(
                    unit__in=Unit.objects.filter(path__startswith=grant.unit_path)
                    .exclude(pk=grant.unit_id)
                    .values("pk")
                )
        in_scope = scope & (~hidden | above)
        if action not in ("view", "conduct") or not getattr(user, "is_authenticated", False):
            return self.filter(in_scope)
        ids = invited_ids(user)
        if ids is None:
            return self.filter(in_scope | models.Q(invites__user_id=user.pk)).distinct()
        return self.filter(in_scope | models.Q(pk__in=ids)) if ids else self.filter(in_scope)


class Inspection(TimeStamped):
    """One inspection of one unit with one checklist version."""

    # JC-2026-0001: per organiser and calendar year of creation, gap-free
    # (xiaoan.inspections.numbers hands them out under a lock).
    number = models.CharField(_("检查编号"), max_length=20, editable=False)
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("被检查单位"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    organiser = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="organised_inspections",
    )
    checklist = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("检查表版本"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    scheduled_on = models.DateField(_("计划日期"))
    due_on = models.DateField(_("截止日期"), null=True, blank=True)
    # The register item inspected (a building, a machine…), if the inspection is of one.
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("台账类型"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(_("台账记录"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # "YYYY-MM" of the scheduled date: the period coverage and 自查未发现 compare within.
    # `save()` fills it in; `schedules.generate`, which inserts in bulk, sets it itself.
    period = models.CharField(_("所属期间"), max_length=7, editable=False)
    # Set by a schedule that generates inspections in bulk: one per unit and key, so running
    # the generation again adds nothing (it skips the units that have one, under the
    # organiser's number lock).
    schedule_key = models.CharField(
        _("计划批次"), max_length=64, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    summary = models.TextField(_("检查结论"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submit_key = models.CharField(
        _("提交幂等键"), max_length=64, null=True, blank=True, editable=False
    )
    # SHA-256 of the submitting request (xiaoan.core.idempotency).
    submit_fingerprint = models.CharField(
        _("提交指纹"), max_length=64, blank=True, default="", editable=False
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_inspections",
    )
    # The team (xiaoan.inspections.team): who led it decides whether it proves a
    # principal-led duty (主要负责人带队).
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("带队领导"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_inspections",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查组成员"),
        blank=True,
        related_name="inspection_teams",
    )
    outside_members = models.CharField(
        _("校外成员"),
        max_length=500,
        blank=True,
        help_text=_("没有账号的专家等，姓名及单位，用顿号分隔"),
    )
    version = models.PositiveIntegerField(_("修订号"), default=0, editable=False)

    # Every field is kept (core.history reads the model's fields); the page leaves the
    # internal ones out (see INTERNAL_FIELDS).
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = InspectionQuerySet.as_manager()
    rollup_kind = "inspections"  # the dashboard's (xiaoan.inspections.tallies)

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        permissions = [("conduct_inspection", _("开展检查（填写并提交检查结果）"))]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "schedule_key"],
                condition=models.Q(schedule_key__isnull=False),
                name="inspection_schedule_once",
            ),
            models.UniqueConstraint(fields=["organiser", "number"], name="inspection_number_once"),
        ]
        indexes = [
            models.Index(fields=["number"], name="inspection_number"),
            models.Index(fields=["unit", "status"], name="inspection_unit_status"),
            models.Index(fields=["unit", "period", "kind"], name="inspection_unit_period"),
            models.Index(fields=["kind", "status"], name="inspection_kind_status"),
            models.Index(fields=["period", "status"], name="inspection_period_status"),
            models.Index(fields=["status", "due_on"], name="inspection_status_due"),
            models.Index(fields=["-scheduled_on", "-id"], name="inspection_scheduled"),
            models.Index(fields=["organiser"], name="inspection_organiser"),
            # An organiser's to-do leaves out the self-checks it scheduled (the schools' own).
            models.Index(
                fields=["organiser", "status"],
                condition=~models.Q(kind="self_check"),
                name="inspection_organiser_others",
            ),
            models.Index(fields=["subject_type", "subject_id"], name="inspection_subject"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def save(self, *args, **kwargs) -> None:
        if self.scheduled_on:
            self.period = f"{self.scheduled_on:%Y-%m}"
        if self.number or not self.organiser_id:
            super().save(*args, **kwargs)
            return
        from xiaoan.inspections.numbers import next_numbers

        # Every new inspection gets its number here, under the organiser's counter lock
        # (bulk creation takes a block itself: xiaoan.inspections.numbers).
        with transaction.atomic():
            self.number = next_numbers(self.organiser_id)[0]
            super().save(*args, **kwargs)

    @property
    def is_done(self) -> bool:
        return self.status in (InspectionStatus.SUBMITTED, InspectionStatus.CLOSED)

    @property
    def is_editable(self) -> bool:
        return self.status in PENDING_STATUSES


class InspectionCounter(models.Model):
    """The last inspection number an organiser gave out in a year (xiaoan.inspections.numbers)."""

    organiser = models.ForeignKey(
        "orgs.Unit", verbose_name=_("组织单位"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("检查编号计数")
        verbose_name_plural = _("检查编号计数")
        constraints = [
            models.UniqueConstraint(fields=["organiser", "year"], name="inspection_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.organiser_id}/{self.year}: {self.last}"


class InspectionEvent(WorkflowEvent):
    """An append-only step of an inspection (created, draft saved, submitted, closed, a
    person invited or let go): who, when, from which state to which."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=InspectionAction.choices)
    from_status = models.CharField(max_length=20, choices=InspectionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=InspectionStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        indexes = [models.Index(fields=["inspection", "created_at"], name="inspection_event_time")]


class InspectionInvite(models.Model):
    """A person invited to one inspection: a peer school's inspector (交叉检查), an outside
    expert, a third-party firm's account. The invitation opens that inspection and its
    findings, nothing else."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="invites"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受邀人"),
        on_delete=models.CASCADE,
        related_name="inspection_invites",
    )
    role = models.CharField(
        _("身份"), max_length=20, choices=InviteRole.choices, default=InviteRole.INSPECTOR
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

    # Who was let in, and who took the invitation back, stays on record.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查邀请")
        verbose_name_plural = _("检查邀请")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="inspection_invite_once")
        ]
        indexes = [models.Index(fields=["user", "inspection"], name="inspection_invite_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.inspection}"


class ItemResult(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="results"
    )
    result = models.CharField(_("结果"), max_length=4, choices=ResultValue.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection_result",
    )
    missed_by_self_check = models.BooleanField(_("自查未发现"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="item_result_once")
        ]
        indexes = [
            models.Index(
                fields=["missed_by_self_check"],
                condition=models.Q(missed_by_self_check=True),
                name="item_result_missed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_result_display()}"


def result_photo_path(instance: ResultPhoto, filename: str) -> str:
    now = timezone.now()
    return f"inspections/{now:%Y/%m}/{instance.result_id}-{now:%H%M%S%f}.jpg"


class ResultPhoto(StoredPhoto):
    result = models.ForeignKey(
        ItemResult, verbose_name=_("检查结果"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to=result_photo_path)

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.result_id}/{self.pk}"


# ---------------------------------------------------------------- schedules and draws
# Rules in xiaoan.inspections.schedules. Both are kept by the organiser unit and reuse the
# inspection permissions: viewing needs view_inspection there, managing add_inspection.


class OrganiserScopedQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> OrganiserScopedQuerySet:
        perm = "inspections.view_inspection" if action == "view" else "inspections.add_inspection"
        return self.with_permission(user, perm)


class InspectionSchedule(TimeStamped):
    """A recurring plan (每月自查, 每季度主要负责人带队检查…) that generates one dated inspection
    per target unit and period."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    checklist = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("检查表"),
        on_delete=models.PROTECT,
        related_name="schedules",
        help_text=_("生成检查时使用检查表的当前版本"),
    )
    organiser = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="inspection_schedules",
    )
    target = models.CharField(
        _("检查对象"), max_length=10, choices=ScheduleTarget.choices, default="schools"
    )
    target_kind = models.CharField(
        _("单位类型"), max_length=20, blank=True, choices=UnitKind.choices
    )
    units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("指定单位"), blank=True, related_name="+"
    )
    recurrence = models.CharField(_("周期"), max_length=12, choices=Recurrence.choices)
    day = models.PositiveSmallIntegerField(
        _("周期内第几天"), default=1, help_text=_("计划日期：周期第一天起的第几天")
    )
    days_allowed = models.PositiveSmallIntegerField(
        _("完成期限（天）"), default=20, help_text=_("截止日期 = 计划日期 + 天数 - 1")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = OrganiserScopedQuerySet.as_manager()

    scope_unit_field = "organiser"

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["organiser", "name", "pk"]
        indexes = [
            models.Index(fields=["is_active", "recurrence"], name="schedule_active"),
        ]

    def __str__(self) -> str:
        return str(self.name)

    def key(self, period: str) -> str:
        return f"s{self.pk}:{period}"


class DrawQuerySet(OrganiserScopedQuerySet):
    def restrict(self, user, action: str = "view") -> DrawQuerySet:
        """Only people whose grant covers the organiser's subtree: a draw names the units
        that will be visited, which only those above them may know beforehand."""
        perm = "inspections.view_inspection" if action == "view" else "inspections.add_inspection"
        scope = scope_filter(user, perm, "organiser")
        if not scope.children:  # platform-wide or superuser
            return self.filter(scope)
        subtrees = models.Q(pk__in=[])
        for grant in grants_for(user):
            if perm in grant.permissions and grant.descendants and grant.unit_path:
                subtrees |= models.Q(organiser__path__startswith=grant.unit_path)
        return self.filter(subtrees)


class UnannouncedDraw(models.Model):
    """A recorded random pick of units for 暗访. The candidates are stored sorted, with the seed,
    so anyone can re-run the pick and get the same units."""

    organiser = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="unannounced_draws",
    )
    title = models.CharField(_("名称"), max_length=200)
    population = models.JSONField(_("候选单位"), default=list)
    count = models.PositiveIntegerField(_("抽取数量"))
    seed = models.BigIntegerField(_("随机种子"))
    picked = models.JSONField(_("抽中单位"), default=list)
    checklist = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("检查表版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scheduled_on = models.DateField(_("计划日期"))
    due_on = models.DateField(_("截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = DrawQuerySet.as_manager()

    scope_unit_field = "organiser"

    class Meta:
        verbose_name = _("暗访抽取")
        verbose_name_plural = _("暗访抽取")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organiser", "-created_at"], name="draw_organiser")]

    def __str__(self) -> str:
        return str(self.title)

    def key(self) -> str:
        return f"d{self.pk}"
