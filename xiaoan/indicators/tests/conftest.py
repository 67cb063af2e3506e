import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _in_2026(monkeypatch):
    """The figures are of 2026, the campaign's last year, whatever today is."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 6, 15))


@pytest.fixture(autouse=True)
def _closed_management_reported():
    """These tests use "security-closed" as the example of an indicator the schools report
    and the bureau reviews; since 安防建设 (xiaoan.security.indicators) provides it, it is
    made a reported one again for them, and restored after."""
    from xiaoan.indicators import providers

    providers._discover()
    func = providers._providers.get("security-closed")
    reads = providers._reads.get("security-closed", frozenset())
    providers.unregister("security-closed")
    yield
    if func is not None:
        providers.provider("security-closed", reads=tuple(reads))(func)
