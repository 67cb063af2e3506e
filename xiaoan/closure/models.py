"""销号复核: an authority's monthly, reproducible, weighted random sample of the hazards
closed below it, each re-inspected by a named reviewer. A failed review reopens the hazard
as 假整改 (xiaoan.hazards.services.reopen)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.models import StoredPhoto
from xiaoan.core.scoping import ScopedQuerySet


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    PASSED = "passed", _("复核合格")
    FAILED = "failed", _("复核不合格")


class ClosureSample(models.Model):
    """The draw: the candidates (sorted hazard ids) with their weights, the seed and the
    hazards picked, all stored so anyone can run the pick again and get the same ones."""

    organiser = models.ForeignKey(
        "orgs.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.CharField(_("销号月份"), max_length=7)  # YYYY-MM
    title = models.CharField(_("名称"), max_length=200)
    population = models.JSONField(_("候选隐患"), default=list)
    weights = models.JSONField(_("抽取权重"), default=list)
    size = models.PositiveIntegerField(_("抽取数量"))
    seed = models.BigIntegerField(_("随机种子"))
    picked = models.JSONField(_("抽中隐患"), default=list)
    due_on = models.DateField(_("复核期限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    # Seen by those whose grant covers the organiser (a school never sees the draw).
    scope_unit_field = "organiser"

    class Meta:
        verbose_name = _("销号复核抽样")
        verbose_name_plural = _("销号复核抽样")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view", "add")
        permissions = [("review_closuresample", _("开展销号复核"))]
        indexes = [models.Index(fields=["organiser", "-created_at"], name="closure_organiser")]

    def __str__(self) -> str:
        return self.title


class ClosureReview(models.Model):
    """One sampled hazard's re-inspection, assigned to a reviewer by a date."""

    sample = models.ForeignKey(
        ClosureSample, verbose_name=_("抽样"), on_delete=models.CASCADE, related_name="reviews"
    )
    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="+"
    )
    # The hazard's unit, kept so the figures count per unit without joining hazards.
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("隐患单位"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        on_delete=models.PROTECT,
        related_name="closure_reviews",
    )
    due_on = models.DateField(_("复核期限"))
    status = models.CharField(
        _("复核结果"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    note = models.TextField(_("复核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("销号复核")
        verbose_name_plural = _("销号复核")
        ordering = ["sample", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "hazard"], name="closure_review_once")
        ]
        indexes = [
            models.Index(fields=["reviewer", "status"], name="closure_review_todo"),
            models.Index(fields=["unit", "status"], name="closure_review_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.sample_id}/{self.hazard_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ReviewStatus.PENDING


def photo_path(instance: ClosureReviewPhoto, filename: str) -> str:
    return f"closure/{instance.review_id}/{timezone.now():%Y%m%d%H%M%S%f}.jpg"


class ClosureReviewPhoto(StoredPhoto):
    review = models.ForeignKey(ClosureReview, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=photo_path)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    phash = models.CharField(max_length=16, blank=True)
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("复核照片")
        verbose_name_plural = _("复核照片")
