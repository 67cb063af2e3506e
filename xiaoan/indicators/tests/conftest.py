import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _in_2026(monkeypatch):
    """The figures are of 2026, the campaign's last year, whatever today is."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 6, 15))
