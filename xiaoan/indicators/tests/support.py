"""Helpers for the indicator tests: accepted values put straight in (the records the
figures are checked against), and an evidence file."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.indicators.choices import ValueStatus
from xiaoan.indicators.models import Indicator, IndicatorValue

YEAR = 2026


# The tests' own reported indicator (conftest): a share, target 100 each year.
REPORTED = "reported-share"
# And a mean (conftest), target 100 in 2026 only: leader-training's shape, which the
# training app now computes.
REPORTED_MEAN = "reported-mean"


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def put(code: str, unit, value, *, status=ValueStatus.ACCEPTED, year=YEAR, by=None):
    from xiaoan.accounts.models import User

    return IndicatorValue.objects.create(
        indicator=ind(code),
        unit=unit,
        year=year,
        value=Decimal(str(value)),
        note="台账",
        status=status,
        reported_by=by or User.objects.get(username="school_a_officer"),
    )


def pdf(name: str = "proof.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")
