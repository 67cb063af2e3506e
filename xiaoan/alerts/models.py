"""预警处置: an alert of one unit (from a rule over our own data, an outside system or a
bureau's posted warning), deduplicated by its fingerprint while open and handled to closure
(raised → acknowledged → handled → closed) on the shared workflow layer; silences that keep
matching alerts quiet; rules as data and the record of what each has fired; the warnings a
bureau posts to its schools. The workflow is xiaoan.alerts.workflow, the rules
xiaoan.alerts.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.alerts.choices import (
    AlertAction,
    AlertOrigin,
    AlertStatus,
    Disposition,
    ReceiptState,
    Severity,
    WarningKind,
)
from xiaoan.core.fields import EncryptedCharField
from xiaoan.core.models import StoredPhoto, TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet

_USER = settings.AUTH_USER_MODEL


def _person(label, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        _USER,
        verbose_name=label,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class AlertRule(TimeStamped):
    """A rule over our own data: an authority (or a school) watches its subtree with one
    condition of the registry (xiaoan.alerts.conditions), its thresholds and severity, and
    names the roles of the unit that are told."""

    scope_unit_field = "owner"

    owner = models.ForeignKey(
        "orgs.Unit", verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("规则名称"), max_length=100)
    condition = models.CharField(_("条件"), max_length=60)
    thresholds = models.JSONField(_("阈值"), default=dict, blank=True)
    severity = models.CharField(
        _("级别"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    # Role codes (xiaoan.accounts.roles) of the alert's unit whose people are told; empty:
    # whoever may handle alerts there.
    roles = models.JSONField(_("通知角色"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = _person(_("制定人"))
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["owner__path", "name", "id"]
        indexes = [
            models.Index(fields=["is_active", "condition"], name="alertrule_active"),
            models.Index(fields=["owner", "is_active"], name="alertrule_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class RuleFiring(models.Model):
    """A rule fired once for a thing and a period: never again for the same pair."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="firings")
    key = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    alert = models.ForeignKey(
        "alerts.Alert", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("规则触发记录")
        verbose_name_plural = _("规则触发记录")
        constraints = [
            models.UniqueConstraint(fields=["rule", "key", "period"], name="rulefiring_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.key}:{self.period}"


class Silence(models.Model):
    """A maintenance window or a known nuisance: alerts it matches (the unit or its subtree,
    and if given the place, the kind and every label) are recorded but nobody is told."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    include_subtree = models.BooleanField(_("含下级单位"), default=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    kind = models.CharField(_("预警类型"), max_length=40, blank=True)
    matchers = models.JSONField(_("标签匹配"), default=dict, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    reason = models.CharField(_("原因"), max_length=200)
    created_by = _person(_("设置人"))
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)
    ended_by = _person(_("提前结束人"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("静默")
        verbose_name_plural = _("静默")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "ends_at"], name="silence_unit_ends"),
            models.Index(fields=["ends_at", "starts_at"], name="silence_window"),
        ]

    def __str__(self) -> str:
        return self.reason

    def active(self, now) -> bool:
        return self.starts_at <= now < self.ends_at


class Bulletin(models.Model):
    """A warning a bureau posts to every school below it (暴雨、台风、高温、寒潮…): each school
    gets its own alert to acknowledge and to record its measures on."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("预警类型"), max_length=20, choices=WarningKind.choices)
    severity = models.CharField(
        _("级别"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    title = models.CharField(_("标题"), max_length=200)
    detail = models.TextField(_("内容与要求"), blank=True)
    valid_until = models.DateTimeField(_("有效期至"), null=True, blank=True)
    created_by = models.ForeignKey(
        _USER, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    schools = models.PositiveIntegerField(_("下发学校数"), default=0)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警发布")
        verbose_name_plural = _("预警发布")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="bulletin_key_once",
            )
        ]
        indexes = [models.Index(fields=["unit", "created_at"], name="bulletin_unit_time")]

    def __str__(self) -> str:
        return self.title


class AlertSource(models.Model):
    """An outside system that sends alerts (a smoke-detector platform, smart meters, video
    analytics, a kitchen AI, Prometheus Alertmanager): it signs its requests with its own
    secret and may raise alerts only at its unit and the units below it."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    key = models.CharField(_("接入标识"), max_length=40, unique=True, editable=False)
    # Shown once when made or rotated; kept encrypted (xiaoan.core.crypto).
    secret = EncryptedCharField(_("签名密钥"), max_length=100, editable=False)
    default_kind = models.CharField(_("默认预警类型"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = _person(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("密钥更换时间"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("最近接收"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("外部预警来源")
        verbose_name_plural = _("外部预警来源")
        ordering = ["unit__path", "name"]
        indexes = [models.Index(fields=["unit", "is_active"], name="alertsource_unit")]

    def __str__(self) -> str:
        return self.name


class Alert(TimeStamped):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(_("来源"), max_length=10, choices=AlertOrigin.choices)
    rule = models.ForeignKey(
        AlertRule,
        verbose_name=_("规则"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
    )
    source_name = models.CharField(_("外部系统"), max_length=100, blank=True)
    source = models.ForeignKey(
        AlertSource,
        verbose_name=_("外部来源"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    # The outside system said it is over (a resolved Alertmanager alert, a detector back to
    # normal): shown, but people still handle and close it.
    cleared_at = models.DateTimeField(_("来源报恢复"), null=True, blank=True)
    bulletin = models.ForeignKey(
        Bulletin,
        verbose_name=_("预警发布"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    kind = models.CharField(_("预警类型"), max_length=40)
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices)
    title = models.CharField(_("标题"), max_length=200)
    detail = models.TextField(_("详情"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    labels = models.JSONField(_("标签"), default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    first_seen = models.DateTimeField(_("首次发生"))
    last_seen = models.DateTimeField(_("最近发生"))
    repeats = models.PositiveIntegerField(_("重复次数"), default=0)
    status = models.CharField(
        _("状态"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.RAISED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # Deadlines, set from the severity when raised (xiaoan.alerts.services.DEADLINES).
    ack_due = models.DateTimeField(_("确认时限"))
    handle_due = models.DateTimeField(_("处置时限"))
    acknowledged_by = _person(_("确认人"))
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    disposition = models.CharField(
        _("处置方式"), max_length=20, choices=Disposition.choices, blank=True
    )
    measures = models.TextField(_("处置情况/措施"), blank=True)
    handled_by = _person(_("处置人"))
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("转入的隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_by = _person(_("关闭人"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("升级至"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("最近通知时间"), null=True, blank=True)
    silenced_by = models.ForeignKey(
        Silence,
        verbose_name=_("静默"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
    )
    # The last step's Idempotency-Key (xiaoan.core.idempotency.begin_once).
    step_key = models.CharField(max_length=64, blank=True, editable=False)
    step_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-last_seen", "-id"]
        permissions = [("handle_alert", "Can acknowledge, handle and close an alert")]
        constraints = [
            # One open alert per fingerprint: a repeat bumps it instead of making another.
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~models.Q(status=AlertStatus.CLOSED),
                name="alert_open_fingerprint",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status", "last_seen"], name="alert_unit_status"),
            models.Index(fields=["status", "ack_due"], name="alert_status_ackdue"),
            models.Index(fields=["severity", "status"], name="alert_severity_status"),
            models.Index(fields=["kind", "last_seen"], name="alert_kind_seen"),
            models.Index(fields=["origin", "last_seen"], name="alert_origin_seen"),
            models.Index(fields=["escalated_to", "status"], name="alert_escalated"),
            models.Index(fields=["bulletin", "unit"], name="alert_bulletin"),
            models.Index(fields=["hazard"], name="alert_hazard"),
            models.Index(fields=["last_seen", "id"], name="alert_seen"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"YJ{self.first_seen:%Y%m%d}-{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        return self.status != AlertStatus.CLOSED

    def ack_overdue(self, now) -> bool:
        return self.status == AlertStatus.RAISED and self.ack_due < now

    def handle_overdue(self, now) -> bool:
        return self.status in (AlertStatus.RAISED, AlertStatus.ACKNOWLEDGED) and (
            self.handle_due < now
        )


class AlertEvent(WorkflowEvent):
    """An append-only step of an alert: raised, acknowledged, handled (or passed on), closed,
    escalated."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=AlertAction.choices)
    from_status = models.CharField(max_length=20, choices=AlertStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=AlertStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("预警记录")
        verbose_name_plural = _("预警记录")
        indexes = [models.Index(fields=["alert", "created_at"], name="alert_event_time")]


def photo_path(instance: AlertPhoto, filename: str) -> str:
    now = timezone.now()
    return f"alerts/{now:%Y/%m}/{instance.alert_id}-{now:%H%M%S%f}.jpg"


class AlertPhoto(StoredPhoto):
    """A photo of how an alert was handled (the measures taken on the spot)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=photo_path)

    class Meta:
        verbose_name = _("预警处置照片")
        verbose_name_plural = _("预警处置照片")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.pk}"


class IntakeReceipt(models.Model):
    """An accepted request of a source, by its idempotency key: a retry or a replay of the
    same request is answered from here and changes nothing. Accepting stores the checked
    events (`events`) and answers at once; the job raises their alerts in the order received
    (`state` queued → done, or failed with `error`) and records them in `alerts`."""

    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="receipts")
    key = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)  # of the signed body: a reused key is refused
    events = models.JSONField(default=list)  # the checked events, as `intake.stored` writes them
    state = models.CharField(max_length=10, choices=ReceiptState.choices, default=ReceiptState.DONE)
    alerts = models.JSONField(default=list)  # [{"alert": id, "created": bool}, …]
    error = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="intake_receipt_key"),
        ]
        indexes = [
            models.Index(fields=["received_at"], name="intake_receipt_time"),
            # The job's queue: only the waiting rows, so the index stays small.
            models.Index(
                fields=["id"], condition=models.Q(state="queued"), name="intake_receipt_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}/{self.key}"


class IntakeRejection(models.Model):
    """A request of a known source refused for its content, kept so its sender's payload can
    be looked at (the body up to `BODY_LIMIT`)."""

    BODY_LIMIT = 65_536

    source = models.ForeignKey(
        AlertSource, verbose_name=_("来源"), on_delete=models.CASCADE, related_name="rejections"
    )
    endpoint = models.CharField(_("接口"), max_length=20)
    reason = models.CharField(_("原因"), max_length=300)
    errors = models.JSONField(_("错误"), default=dict)
    body = models.TextField(_("请求内容"), blank=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        verbose_name = _("被拒绝的外部预警")
        verbose_name_plural = _("被拒绝的外部预警")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["source", "received_at"], name="intake_rejection_src")]

    def __str__(self) -> str:
        return self.reason
