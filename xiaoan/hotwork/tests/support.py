"""Shared helpers of the hot-work tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xiaoan.certificates.tests.support import SCHOOL_A, SCHOOL_B, days
from xiaoan.certificates.tests.support import make as make_certificate
from xiaoan.hotwork import services

__all__ = ["SCHOOL_A", "SCHOOL_B", "approved", "days", "hours", "photo", "request", "welder"]


def hours(n: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=n)


def photo(name: str = "site.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#2e86c1").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


NUMBERS = iter(range(1, 100_000))


def welder(persona, units, school: str = SCHOOL_A, **fields: Any):
    actor = persona("school_a_officer" if school == SCHOOL_A else "district_officer")
    fields.setdefault("code", f"HG-{next(NUMBERS):05d}")
    return make_certificate(actor, units[school], **fields)


def request(persona, units, operator=None, **fields: Any):
    """A permit of school A requested by its head, in a window open now."""
    values = {
        "unit": units[SCHOOL_A],
        "location": "学生食堂后厨",
        "work_type": "electric_welding",
        "description": "更换排烟管道支架，电焊固定",
        "starts_at": hours(-1),
        "ends_at": hours(3),
        "operator": operator or welder(persona, units),
    }
    values.update(fields)
    return services.request_permit(persona("school_a_head"), **values)


def approved(persona, units, **fields: Any):
    permit = request(persona, units, **fields)
    services.approve(
        persona("school_a_officer"), permit.pk, supervisor=persona("school_a_owner").pk
    )
    permit.refresh_from_db()
    return permit
