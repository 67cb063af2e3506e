"""Abstract bases every app's models share."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    """When a record was created and last changed (bookkeeping, not business dates)."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

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
