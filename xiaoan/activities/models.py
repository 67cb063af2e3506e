"""安全教育活动: what a school did for a national education day or month of the built-in
calendar (xiaoan.activities.calendar), or on its own: kind, date, classes, participants,
photos and a short summary. An activity held in an event's window proves the duty the
bureau issued for it (xiaoan.activities.sources)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.activities import calendar
from xiaoan.activities.choices import ActivityKind
from xiaoan.core.models import StoredPhoto, TimeStamped
from xiaoan.core.scoping import ScopedQuerySet

MAX_PARTICIPANTS = 100_000


class Activity(TimeStamped):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+"
    )
    # Blank: the school's own activity, outside the calendar.
    event = models.CharField(_("教育日（月）"), max_length=40, blank=True, choices=calendar.choices)
    # The event's window holding `held_on` ("2026", "2026-autumn"); derived on save.
    window_key = models.CharField(_("活动时段"), max_length=20, blank=True, editable=False)
    kind = models.CharField(_("活动形式"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("活动主题"), max_length=100)
    held_on = models.DateField(_("活动日期"))
    classes = models.CharField(
        _("参加年级（班级）"), max_length=200, help_text=_("如 全校、七年级、高一(1)班")
    )
    participants = models.PositiveIntegerField(_("参加人数"))
    summary = models.TextField(_("活动简述"), max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    idempotency_fingerprint = models.CharField(
        max_length=64, blank=True, default="", editable=False
    )
    replayed = False  # True on the activity a retried key answers with (not stored)
    version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "idempotency_key", "idempotency_fingerprint", "version"]
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全教育活动")
        verbose_name_plural = _("安全教育活动")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by", "idempotency_key"],
                name="activity_idempotency",
                condition=models.Q(idempotency_key__isnull=False),
            )
        ]
        indexes = [
            models.Index(fields=["unit", "held_on"], name="activity_unit_held"),
            models.Index(fields=["event", "held_on", "unit"], name="activity_event_held"),
            models.Index(fields=["kind", "held_on"], name="activity_kind_held"),
            models.Index(fields=["held_on"], name="activity_held"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def event_name(self) -> str:
        found = calendar.event(self.event)
        return str(found.name) if found else str(_("学校自主活动"))


def photo_path(instance: ActivityPhoto, filename: str) -> str:
    return f"activities/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class ActivityPhoto(StoredPhoto):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=photo_path)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.activity_id}-{self.pk}"
