"""Helpers of the public report tests: School A's open channel, a report submitted through
it (the form's minimum fill time set to 0), a JPEG."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xiaoan.publicreports import services

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
ADDRESS = "203.0.113.7"


def jpeg(name: str = "photo.jpg", colour: str = "orange") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def channel(units, school: str = SCHOOL_A):
    return services.ensure_channel(units[school])


def submitted(units, school: str = SCHOOL_A, address: str = ADDRESS, **fields: Any):
    ch = channel(units, school)
    values = {
        "category": "fire",
        "description": "教学楼三楼消防通道被杂物堵塞",
        "place": "教学楼三楼",
        "phone": "13912345678",
        "photos": [],
        "form_token": services.form_token(ch),
    }
    values.update(fields)
    return services.submit(ch.token, address=address, **values)
