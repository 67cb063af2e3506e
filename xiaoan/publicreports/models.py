"""群众举报: each school's public reporting channel (an unguessable token, printed as a QR
code; the school may rotate it or switch it off) and the reports that arrive through it,
without an account: a description, a category, the place, up to three photos and an optional
phone number (encrypted). The reporter follows the report with a receipt code, of which only
a keyed hash is kept. Staff accept a report (it becomes a hazard of the school's ledger, source
群众举报), reject it with a reason the reporter reads, or mark it a duplicate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.fields import EncryptedCharField
from xiaoan.core.models import TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet
from xiaoan.publicreports.choices import ReportAction, ReportCategory, ReportStatus


class PublicChannel(TimeStamped):
    """A school's public reporting page: its address carries `token`."""

    unit = models.OneToOneField(
        "orgs.Unit", verbose_name=_("学校"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(_("公开地址标识"), max_length=40, unique=True)
    enabled = models.BooleanField(_("开放群众举报"), default=True)
    rotated_at = models.DateTimeField(_("地址更换时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("群众举报入口")
        verbose_name_plural = _("群众举报入口")

    def __str__(self) -> str:
        return str(self.unit_id)


class PublicReport(TimeStamped):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("类别"), max_length=20, choices=ReportCategory.choices)
    description = models.TextField(_("问题描述"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    # The reporter's own number, for a call back: encrypted, shown masked to most staff.
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, default="", masked=True)
    receipt_hash = models.CharField(max_length=80, unique=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    reason = models.TextField(_("处理意见（举报人可见）"), blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("群众举报")
        verbose_name_plural = _("群众举报")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("handle_publicreport", "Can accept, reject or mark a public report duplicate"),
            ("phone_publicreport", "Can read a public reporter's phone number unmasked"),
        ]
        indexes = [
            models.Index(fields=["unit", "created_at"], name="publicreport_unit_time"),
            models.Index(fields=["status", "created_at"], name="publicreport_status_time"),
            models.Index(fields=["category", "created_at"], name="publicreport_cat_time"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        at = timezone.localtime(self.created_at) if self.created_at else timezone.localtime()
        return f"JB{at:%Y%m%d}-{self.pk or 0:05d}"


class PublicReportEvent(WorkflowEvent):
    publicreport = models.ForeignKey(PublicReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=ReportAction.choices)
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("群众举报处理记录")
        verbose_name_plural = _("群众举报处理记录")
        indexes = [models.Index(fields=["publicreport", "created_at"], name="publicreport_event")]


def photo_path(instance: PublicReportPhoto, filename: str) -> str:
    now = timezone.now()
    return f"publicreports/{now:%Y/%m}/{instance.report_id}-{now:%H%M%S%f}.jpg"


class PublicReportPhoto(models.Model):
    """A reporter's photo, re-encoded (EXIF dropped) and served only to staff who may read
    the report. `sha256` is of the upload as sent: the same file sent again is flagged, like
    a capture time in the future or long before, a place far from the school, or the picture
    of one of the school's hazards."""

    report = models.ForeignKey(PublicReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    # Read before the EXIF is dropped (xiaoan.core.photo_facts), as for hazard photos.
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(
        _("拍摄纬度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("拍摄经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phash = models.CharField(_("感知哈希"), max_length=16, blank=True)
    # [{"code", "label", "message"}] (xiaoan.hazards.services.photo_checks.check_report).
    flags = models.JSONField(_("照片核验提示"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("群众举报照片")
        verbose_name_plural = _("群众举报照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.report_id}-{self.pk}"
