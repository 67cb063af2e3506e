"""The built-in national indicators are written by a data migration; a test run's database
flush (after a live-server test) removes them like any row, and this puts them back."""

from __future__ import annotations

from importlib import import_module


def ensure_builtin() -> None:
    """The built-in set and its targets, as migration 0002 writes them (idempotent)."""
    from django.apps import apps

    import_module("xiaoan.indicators.migrations.0002_builtin_indicators").add(apps, None)
