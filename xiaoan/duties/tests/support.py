"""Helpers for the duty tests: duties issued by the demo district, inspections inserted as
done (the inspection workflow has its own tests), a small evidence file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiaoan.duties import services
from xiaoan.inspections.choices import InspectionStatus
from xiaoan.inspections.models import Inspection

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
UNIVERSITY = "鄂州职业大学"


def evidence(name: str = "演练记录.pdf", content: bytes = b"%PDF-1.4 drill") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def duty(persona, units, *, who: str = "district_officer", issuer: str = DISTRICT, **kw):
    data = {
        "name": "每月自查",
        "recurrence": "monthly",
        "proof": "inspection",
        "inspection_kind": "self_check",
        **kw,
    }
    return services.create_duty(persona(who), issuer=units[issuer], **data)


def done_inspection(units, unit: str, kind: str, on: dt.date, *, submitted: dt.date | None = None):
    """A submitted inspection of `unit` scheduled on `on` (submitted the same day unless
    told otherwise)."""
    from xiaoan.inspections.models import ChecklistVersion

    version = ChecklistVersion.objects.order_by("pk").first()
    when = submitted or on
    return Inspection.objects.create(
        kind=kind,
        title=f"{unit} {kind} {on}",
        unit=units[unit],
        organiser=units[unit],
        checklist=version,
        scheduled_on=on,
        status=InspectionStatus.SUBMITTED,
        submitted_at=timezone.make_aware(dt.datetime(when.year, when.month, when.day, 10)),
    )


@pytest.fixture
def monthly(persona, units):
    return duty(persona, units)
