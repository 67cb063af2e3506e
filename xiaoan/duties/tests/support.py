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


@pytest.fixture
def objects(persona, units):
    """A district drill duty for March 2026 with School A's record, School B's obligation
    left pending, and a duty the university issued for itself."""
    from xiaoan.duties.models import Obligation

    # Without review: these tests are about reporting (test_review.py reviews).
    drill = duty(
        persona, units, name="每学期演练", recurrence="semester", proof="record",
        record_kind="drill", requires_review=False,
    )  # fmt: skip
    services.generate_duty(drill, dt.date(2026, 3, 10))
    ob_a = Obligation.objects.get(duty=drill, unit=units[SCHOOL_A])
    ob_b = Obligation.objects.get(duty=drill, unit=units[SCHOOL_B])
    record = services.submit_record(persona("school_a_officer"), ob_a.pk, evidence=evidence())
    uni = duty(persona, units, who="uni_security", issuer=UNIVERSITY, name="校内自查")
    return {
        "duty": drill.pk,
        "ob_a": ob_a.pk,
        "ob_b": ob_b.pk,
        "record": record.pk,
        "uni_duty": uni.pk,
        "district": units[DISTRICT].pk,
        "school_a": units[SCHOOL_A].pk,
    }
