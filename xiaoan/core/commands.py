"""Small pieces the management commands share."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def date_option(value: str | None) -> dt.date | None:
    """A `--date YYYY-MM-DD` option (None: today, as the service decides)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError("日期格式为 YYYY-MM-DD") from None
