"""The platform-wide change log (audit administrator): recent history of every tracked model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from xiaoan.core.history import TYPE_LABELS


@dataclass
class AuditEntry:
    when: datetime
    who: str
    action: str
    model: str
    record: str


def recent_changes(limit: int = 200) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if (
            history is None
            or not hasattr(model, "_meta")
            or model.__name__.startswith("Historical")
        ):
            continue
        manager = model.history
        for record in manager.select_related("history_user").order_by("-history_date")[:limit]:
            user = record.history_user
            entries.append(
                AuditEntry(
                    when=record.history_date,
                    who=(getattr(user, "name", "") or user.username) if user else str(_("系统")),
                    action=str(TYPE_LABELS.get(record.history_type, record.history_type)),
                    model=str(model._meta.verbose_name),
                    record=str(record.instance) if record.history_type != "-" else str(record.pk),
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
