from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.models import StoredPhoto, TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet, permission_name, scope_filter
from xiaoan.hazards.choices import (
    AWAITING_ANSWER,
    OPEN_STATUSES,
    ExtensionStatus,
    HazardAction,
    HazardLevel,
    HazardSource,
    HazardStatus,
)

PARTICIPANT_LIMIT = 1000
TITLE_LENGTH = 24  # characters of the description in a hazard's page title


def _department_scope(user, perm: str) -> models.Q | None:
    """Hazards given to a department (or campus) where the person holds `perm`: people of 总务处
    rectify what their school assigned to 总务处 without seeing the whole school."""
    from xiaoan.core.scoping import grants_for
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.orgs.models import Unit

    grants = [
        g
        for g in grants_for(user)
        if perm in g.permissions and g.unit_kind in (UnitKind.DEPARTMENT, UnitKind.CAMPUS)
    ]
    if not grants:
        return None
    units = models.Q(pk__in=[])
    for grant in grants:
        units |= (
            models.Q(path__startswith=grant.unit_path)
            if grant.descendants
            else models.Q(pk=grant.unit_id)
        )
    return models.Q(owner_unit__in=Unit.objects.filter(units).values("pk"))


def allows(user, hazard: Hazard, action: str) -> bool:
    """The rule of `HazardQuerySet.restrict` for one loaded hazard, decided without a query
    (the record page asks it for every action). A test holds the two to the same answers."""
    from xiaoan.core.scoping import grants_for
    from xiaoan.orgs.choices import UnitKind

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    perm = permission_name(Hazard, action)
    unit_path = hazard.unit.path
    owner_path = hazard.owner_unit.path if hazard.owner_unit_id else None
    for grant in grants_for(user):
        if perm not in grant.permissions:
            continue
        if grant.unit_id is None or grant.unit_id == hazard.unit_id:
            return True
        if grant.descendants and unit_path.startswith(grant.unit_path):
            return True
        if (
            action in ("view", "rectify")
            and owner_path
            and grant.unit_kind in (UnitKind.DEPARTMENT, UnitKind.CAMPUS)
            and (
                grant.unit_id == hazard.owner_unit_id
                or (grant.descendants and owner_path.startswith(grant.unit_path))
            )
        ):
            return True
    if action in ("view", "rectify") and hazard.owner_id == user.pk:
        return True
    return action == "view" and hazard.finder_id == user.pk


class HazardQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> HazardQuerySet:
        """The unit scope, widened for the people taking part: the finder sees what they
        reported; the owner, and a department given the hazard, see and rectify it."""
        in_scope, extra = scope_parts(user, action)
        if extra is None:
            return self.filter(in_scope)
        return self.filter(in_scope | extra)

    def open(self) -> HazardQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None) -> HazardQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today)


def scope_parts(user, action: str = "view") -> tuple[models.Q, models.Q | None]:
    """`restrict`'s rule in two parts: the unit scope (a condition on "unit", so it also
    applies to the per-unit tally) and the hazards taken part in outside it (None: none)."""
    perm = permission_name(Hazard, action)
    in_scope = scope_filter(user, perm, "unit")
    if (
        action not in ("view", "rectify")
        or not getattr(user, "is_authenticated", False)
        or not in_scope.children  # platform-wide: nothing to add
    ):
        return in_scope, None
    taking_part = models.Q(owner_id=user.pk)
    if action == "view":
        taking_part |= models.Q(finder_id=user.pk)
    departments = _department_scope(user, perm)
    if departments is not None:
        taking_part |= departments
    # What a person takes part in outside their unit scope is little: name it by id, so
    # the scope stays one indexed condition the database can count and sort on.
    extra = list(
        Hazard._base_manager.filter(taking_part)
        .exclude(in_scope)
        .values_list("pk", flat=True)[: PARTICIPANT_LIMIT + 1]
    )
    if len(extra) > PARTICIPANT_LIMIT:
        return in_scope, taking_part
    return in_scope, (models.Q(pk__in=extra) if extra else None)


class Hazard(TimeStamped):
    """One entry of the hazard ledger (隐患台账) and the state of its closed loop."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="hazards"
    )
    number = models.CharField(_("编号"), max_length=30, unique=True, editable=False)
    place = models.ForeignKey(
        "orgs.Place",
        verbose_name=_("场所"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
    )
    place_text = models.CharField(_("具体位置"), max_length=200, blank=True)
    # The register item (台账: a building, a machine…) the hazard is about, if any
    # (xiaoan.core.registers.resolve_subject checks it belongs to the hazard's school).
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
    domain = models.CharField(_("领域"), max_length=30, choices=SafetyDomain.choices, blank=True)
    category = models.CharField(_("类别"), max_length=60, blank=True)
    description = models.TextField(_("隐患描述"))
    source = models.CharField(_("来源"), max_length=20, choices=HazardSource.choices)
    level = models.CharField(_("等级"), max_length=10, choices=HazardLevel.choices, blank=True)
    suggested_level = models.CharField(
        _("建议等级"), max_length=10, choices=HazardLevel.choices, blank=True
    )
    criterion = models.CharField(_("判定依据"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.REPORTED
    )
    fixed_on_spot = models.BooleanField(_("立查立改"), default=False)
    finder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发现人"),
        on_delete=models.PROTECT,
        related_name="found_hazards",
    )
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # Assignment (交办)
    owner_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("整改单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_hazards",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_hazards",
    )
    measures = models.TextField(_("整改措施"), blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    budget = models.DecimalField(
        _("整改资金（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    interim_controls = models.TextField(_("临时管控措施"), blank=True)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验收人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Flags the loop keeps current (so lists filter on indexed columns, not computations).
    is_overdue = models.BooleanField(_("已逾期"), default=False)
    is_supervised = models.BooleanField(_("挂牌督办"), default=False)
    is_recurring = models.BooleanField(_("屡查屡犯"), default=False)
    recurrence_of = models.ForeignKey(
        "self",
        verbose_name=_("前次隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recurrences",
    )
    missed_by_self_check = models.BooleanField(_("自查未发现"), default=False)
    # Honest closure (verified 销号): a photo check raised a flag (shown to the verifier,
    # weighs the monthly closure sample), and a failed closure review found the fix false.
    photo_flagged = models.BooleanField(_("照片存疑"), default=False)
    fake_rectification = models.BooleanField(_("假整改"), default=False)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    # SHA-256 of the request that used the key (xiaoan.core.idempotency): a reuse of the key
    # with another request is refused.
    idempotency_fingerprint = models.CharField(
        max_length=64, blank=True, default="", editable=False
    )
    # Not stored: True on the hazard that services.report returns for a retried key.
    replayed = False
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        permissions = [
            ("confirm_hazard", _("确认或排除隐患")),
            ("assign_hazard", _("交办隐患")),
            ("rectify_hazard", _("整改隐患")),
            ("verify_hazard", _("验收销号")),
            ("supervise_hazard", _("挂牌督办")),
            ("decide_extension_hazard", _("审批延期")),
            ("export_hazard", _("导出隐患清单")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["finder", "idempotency_key"],
                name="hazard_idempotency",
                condition=models.Q(idempotency_key__isnull=False),
            )
        ]
        indexes = [
            # Covers the ledger's counts (status, level, overdue, supervised, age of open
            # majors) as index-only scans over a unit scope; they count "unit" for that.
            models.Index(
                fields=["unit", "status", "level"],
                include=["is_overdue", "is_supervised", "found_at"],
                name="hazard_unit_counts",
            ),
            models.Index(
                fields=["-found_at"],
                include=["unit"],
                condition=models.Q(level="major", status__in=list(OPEN_STATUSES)),
                name="hazard_open_major_unit",
            ),
            models.Index(
                fields=["-found_at"],
                condition=models.Q(is_overdue=True),
                name="hazard_overdue_recent",
            ),
            # Counting the overdue of a wide scope from the index alone.
            models.Index(
                fields=["unit"], condition=models.Q(is_overdue=True), name="hazard_overdue_unit"
            ),
            models.Index(
                fields=["unit"],
                include=["status"],
                condition=models.Q(is_supervised=True),
                name="hazard_supervised_unit",
            ),
            models.Index(fields=["status", "level"], name="hazard_status_level"),
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline"),
            models.Index(fields=["domain", "status"], name="hazard_domain_status"),
            models.Index(fields=["source"], name="hazard_source"),
            models.Index(fields=["-found_at"], name="hazard_found_at"),
            models.Index(fields=["is_overdue", "status"], name="hazard_overdue"),
            models.Index(fields=["is_supervised", "status"], name="hazard_supervised"),
            models.Index(fields=["is_recurring"], name="hazard_recurring"),
            models.Index(
                fields=["unit"],
                condition=models.Q(fake_rectification=True),
                name="hazard_fake_unit",
            ),
            # The month's closures below a bureau (销号复核's draw) and the recent ones whose
            # days to close the dashboard takes the median of.
            models.Index(
                fields=["-closed_at"],
                include=["unit"],
                condition=models.Q(status="closed"),
                name="hazard_closed_recent",
            ),
            models.Index(fields=["owner", "status"], name="hazard_owner_status"),
            models.Index(fields=["unit", "place", "category"], name="hazard_recurrence"),
            models.Index(fields=["subject_type", "subject_id"], name="hazard_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def short_title(self) -> str:
        """What the hazard is, in a few words, for page titles: the first line of the
        description, cut at TITLE_LENGTH."""
        text = (self.description or "").strip().splitlines()[0:1]
        line = text[0].strip() if text else ""
        if len(line) <= TITLE_LENGTH:
            return line
        return line[: TITLE_LENGTH - 1].rstrip("，。；、 ") + "…"

    @property
    def is_major(self) -> bool:
        return self.level == HazardLevel.MAJOR

    @property
    def place_label(self) -> str:
        parts = [str(self.place)] if self.place_id else []
        if self.place_text:
            parts.append(self.place_text)
        return " · ".join(parts)

    def age_days(self, today=None) -> int:
        today = today or timezone.localdate()
        return (today - timezone.localtime(self.found_at).date()).days

    def days_late(self, today=None) -> int:
        """Days past the deadline of an open hazard (0 when not late)."""
        today = today or timezone.localdate()
        if self.is_open and self.deadline and self.deadline < today:
            return (today - self.deadline).days
        return 0


class HazardEvent(WorkflowEvent):
    """An append-only step of a hazard's loop: who did what, from which state to which."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=HazardAction.choices)
    from_status = models.CharField(max_length=20, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=HazardStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("隐患处置记录")
        verbose_name_plural = _("隐患处置记录")
        indexes = [models.Index(fields=["hazard", "created_at"], name="hazard_event_time")]


def photo_path(instance: HazardPhoto, filename: str) -> str:
    now = timezone.now()
    return f"hazards/{now:%Y/%m}/{instance.hazard_id}-{now:%H%M%S%f}.jpg"


class HazardPhoto(StoredPhoto):
    class Kind(models.TextChoices):
        BEFORE = "before", _("隐患照片")
        PROGRESS = "progress", _("整改过程")
        CONTROL = "control", _("管控措施")
        AFTER = "after", _("整改后")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(
        HazardEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    image = models.ImageField(_("照片"), upload_to=photo_path)
    # What the photo itself tells, read before its EXIF is dropped (honest closure).
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(
        _("拍摄纬度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("拍摄经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Perceptual hash (64-bit, hex): the same picture re-encoded or resized keeps it.
    phash = models.CharField(_("感知哈希"), max_length=16, blank=True, db_index=True)
    flags = models.JSONField(_("照片核验提示"), default=list, blank=True)

    class Meta:
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class SupervisionCounter(models.Model):
    """The last 挂牌督办 number a supervising unit gave in a year: the row locked while the
    next number is taken, so numbers are gap-free and never given twice."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="supervision_counter_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class Supervision(models.Model):
    """挂牌督办: a superior unit lists a hazard under a number (督〔2026〕3号), the supervised
    unit answers by a deadline, and the superior must accept the closure."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="supervisions")
    supervising_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("督办原因"), max_length=200)
    automatic = models.BooleanField(_("自动督办"), default=False)
    listed_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # 督〔year〕serial号, per supervising unit and calendar year (SupervisionCounter).
    year = models.PositiveSmallIntegerField(_("督办年度"))
    serial = models.PositiveIntegerField(_("督办序号"))
    answer_due = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the supervising unit was told the answer is late (once).
    late_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")
        constraints = [
            models.UniqueConstraint(
                fields=["hazard", "supervising_unit"], name="supervision_once_per_unit"
            ),
            models.UniqueConstraint(
                fields=["supervising_unit", "year", "serial"], name="supervision_number"
            ),
        ]
        indexes = [
            # The daily pass finds the unanswered ones past their deadline.
            models.Index(
                fields=["answer_due"],
                condition=models.Q(answered_at__isnull=True, late_notified_at__isnull=True),
                name="supervision_unanswered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.supervising_unit} · {self.reason}"

    @property
    def number(self) -> str:
        return _("督〔%(year)d〕%(serial)d号") % {"year": self.year, "serial": self.serial}

    @property
    def awaits_answer(self) -> bool:
        """The supervised unit still owes an answer: not given, and the hazard not yet handed
        in for verification (a submitted fix answers it)."""
        return self.answered_at is None and self.hazard.status in AWAITING_ANSWER

    def answer_late(self, today=None) -> bool:
        return self.awaits_answer and self.answer_due < (today or timezone.localdate())


class ExtensionRequest(models.Model):
    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("延期理由"))
    old_deadline = models.DateField(_("原期限"))
    new_deadline = models.DateField(_("申请期限"))
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.old_deadline} → {self.new_deadline}"


class HazardTally(models.Model):
    """How many hazards each unit has in each status, kept by the services as hazards move:
    the ledger's counts for a province without reading a million rows. `xiaoan hazards-tally`
    rebuilds it and the daily job reconciles it."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=HazardStatus.choices)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "status"], name="hazard_tally_unit_status")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.status}: {self.count}"
