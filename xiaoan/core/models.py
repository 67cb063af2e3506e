"""Abstract bases every app's models share."""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.core.scoping import ScopedQuerySet


class TimeStamped(models.Model):
    """When a record was created and last changed (bookkeeping, not business dates)."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class StoredPhoto(models.Model):
    """A photo a person took for a record (a hazard, an inspection answer, a hot-work step),
    stored re-encoded with its size; the concrete model adds its record, the `image` field
    with its own folder and, where it has them, the step and the kind of photo."""

    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class WorkflowEvent(models.Model):
    """An append-only step of a record's workflow (`xiaoan.core.workflow`): who did what, from
    which state to which, with a note and the step's details. A concrete event model adds the
    foreign key to its record (named after the record's model) and gives `action`,
    `from_status` and `to_status` their choices; the record page shows the rows with
    `includes/timeline.html`."""

    action = models.CharField(_("动作"), max_length=30)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def moved(self) -> bool:
        return bool(self.from_status) and self.from_status != self.to_status


# ---------------------------------------------------------------- registers (台账)


class RegisterQuerySet(ScopedQuerySet):
    def active(self) -> RegisterQuerySet:
        """Items in use (not retired)."""
        return self.filter(retired_at__isnull=True)


class RegisterItem(TimeStamped):
    """The bookkeeping every register item (一楼一档, 一台一档, a certificate…) shares; see
    `xiaoan.core.registers` for the declaration that turns a subclass into a register.

    A concrete model writes `class Meta(RegisterItem.Meta)` to keep the natural-key
    constraint (one `code` per unit among the items, when given), adds its own fields and
    `history = HistoricalRecords(...)` is inherited. Items are never deleted: `retire`
    stamps `retired_at`, `retired_by` and the reason; lists hide retired items by default.
    """

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        "orgs.Place",
        verbose_name=_("场所"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("编号"),
        max_length=60,
        blank=True,
        help_text=_("本单位内唯一；再次导入时按编号（无编号时按名称）更新"),
    )
    note = models.TextField(_("备注"), blank=True)
    retired_at = models.DateTimeField(_("注销时间"), null=True, blank=True, editable=False)
    retired_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("注销人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    retire_reason = models.CharField(_("注销原因"), max_length=200, blank=True, editable=False)

    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])
    objects = RegisterQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["unit__path", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=~models.Q(code=""),
                name="%(app_label)s_%(class)s_code_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）" if self.code else str(self.name)

    # Every write of an item, whichever service makes it, keeps the dashboard's counters
    # that read the register (an indicator's provider): at its unit, and at the one it
    # left when moved.
    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._rollups_changed()
        self._loaded_unit_id = self.unit_id

    def delete(self, *args: Any, **kwargs: Any):
        done = super().delete(*args, **kwargs)
        self._rollups_changed()
        return done

    @classmethod
    def from_db(cls, db, field_names, values):
        item = super().from_db(db, field_names, values)
        item._loaded_unit_id = item.__dict__.get("unit_id")
        return item

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def _rollups_changed(self) -> None:
        from xiaoan.reports.rollups import changed

        changed(type(self), {self.unit_id, getattr(self, "_loaded_unit_id", None)})


class DueDate(models.Model):
    """A date of a register item that falls due (next statutory inspection, certificate
    expiry …), kept by the register services on every save (`xiaoan.core.registers`): the
    daily job warns `warn_days` ahead and again when it is past, once per date."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    key = models.CharField(max_length=40)  # the item's date field
    label = models.CharField(_("事项"), max_length=60)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("责任单位"), on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("到期日期"))
    warn_on = models.DateField(_("提醒日期"))
    # The due date already warned of (ahead / when past): a changed date is warned again.
    warned_for = models.DateField(null=True, blank=True, editable=False)
    overdue_for = models.DateField(null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("到期事项")
        verbose_name_plural = _("到期事项")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "key"], name="duedate_once_per_item"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "unit", "warn_on"], name="duedate_type_unit"),
            models.Index(fields=["warn_on"], name="duedate_warn_on"),
            models.Index(fields=["due_on"], name="duedate_due_on"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.due_on:%Y-%m-%d}"


def attachment_path(instance: RegisterAttachment, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"registers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class RegisterAttachment(models.Model):
    """A file attached to a register item (drawings, photos, an appraisal report), served
    only through a view that checks who may see the item."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("类别"), max_length=20)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("台账附件")
        verbose_name_plural = _("台账附件")
        indexes = [models.Index(fields=["content_type", "object_id"], name="regattachment_item")]

    def __str__(self) -> str:
        return self.name


class JobStat(models.Model):
    """One row per job (huey task): the last periodic slot a worker claimed, so a scheduled
    job runs once a slot however many workers run, and its runs, failures and durations for
    /metrics. Written only by xiaoan.core.queue."""

    name = models.CharField(max_length=200, unique=True)
    last_slot = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveBigIntegerField(default=0)
    failures = models.PositiveBigIntegerField(default=0)
    seconds_total = models.FloatField(default=0)
    last_seconds = models.FloatField(null=True, blank=True)
    last_finished = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.name
