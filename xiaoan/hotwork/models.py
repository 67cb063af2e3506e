"""电气焊动火作业审批: a permit for one piece of hot work by one certified operator in one
time window, through request → approval (a supervisor, 监护人, named) → start → finish
(xiaoan.hotwork.workflow). The rules are the services' (xiaoan.hotwork.services)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import StoredPhoto, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet, has_permission_anywhere, scope_filter
from xiaoan.hotwork.choices import PermitAction, PermitStatus, WorkType

SUPERVISE = "hotwork.supervise_hotworkpermit"


class PermitQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The unit scope, and for the named supervisor (监护人, often of a department such
        as 总务处 rather than the school) the permits they supervise, to see and to act on."""
        condition = scope_filter(user, f"hotwork.{action}_hotworkpermit", "unit")
        if action in ("view", "supervise") and has_permission_anywhere(user, SUPERVISE):
            condition |= models.Q(supervisor_id=user.pk)
        return self.filter(condition)


class HotWorkPermit(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        "orgs.Place",
        verbose_name=_("场所"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location = models.CharField(_("动火地点"), max_length=200)
    work_type = models.CharField(_("动火类别"), max_length=20, choices=WorkType.choices)
    description = models.TextField(_("作业内容"))
    precautions = models.TextField(_("防火措施"), blank=True)
    starts_at = models.DateTimeField(_("动火开始时间"))
    ends_at = models.DateTimeField(_("动火结束时间"))
    operator = models.ForeignKey(
        "certificates.Certificate",
        verbose_name=_("动火作业人员（持证）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=PermitStatus.choices, default=PermitStatus.REQUESTED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("监护人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开工时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完工时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)

    objects = PermitQuerySet.as_manager()

    class Meta:
        verbose_name = _("动火作业许可")
        verbose_name_plural = _("动火作业许可")
        ordering = ["-starts_at", "-id"]
        permissions = [
            ("approve_hotworkpermit", "Can approve hot-work permits"),
            ("supervise_hotworkpermit", "Can supervise hot work on site"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="hotwork_unit_status"),
            models.Index(fields=["supervisor", "status"], name="hotwork_supervisor_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="hotwork_window_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.location}"

    @property
    def number(self) -> str:
        return f"DH{timezone.localtime(self.created_at):%Y%m%d}-{self.pk or 0:04d}"

    def in_window(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.starts_at <= moment <= self.ends_at


class HotWorkEvent(WorkflowEvent):
    """An append-only step of a permit: who did what, when, with which note."""

    hotworkpermit = models.ForeignKey(
        HotWorkPermit, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("动作"), max_length=30, choices=PermitAction.choices)
    from_status = models.CharField(max_length=20, choices=PermitStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PermitStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("动火作业记录")
        verbose_name_plural = _("动火作业记录")


def photo_path(instance: HotWorkPhoto, filename: str) -> str:
    now = timezone.now()
    return f"hotwork/{now:%Y/%m}/{instance.permit_id}-{now:%H%M%S%f}.jpg"


class HotWorkPhoto(StoredPhoto):
    class Kind(models.TextChoices):
        BEFORE = "before", _("作业前现场")
        AFTER = "after", _("作业后现场")

    permit = models.ForeignKey(HotWorkPermit, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(
        HotWorkEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    image = models.ImageField(_("照片"), upload_to=photo_path)

    class Meta:
        verbose_name = _("动火作业照片")
        verbose_name_plural = _("动火作业照片")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
