"""Helpers for the activity tests: a fixed "today" (and now), activities recorded through the
service, the calendar's duties issued by the demo district, a small photo."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xiaoan.activities import services

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
UNIVERSITY = "鄂州职业大学"


def at(monkeypatch, day: dt.date, hour: int = 10) -> None:
    """Today is `day` (pages, services) and now is its `hour` o'clock (records' timestamps)."""
    moment = timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def photo(name: str = "p.jpg", colour=(200, 60, 60)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def record(persona, units, school: str = SCHOOL_A, *, who: str = "school_a_officer", **kw):
    data = {
        "event": "fire_month",
        "kind": "class_meeting",
        "title": "消防安全主题班会",
        "held_on": dt.date(2026, 11, 9),
        "classes": "全校",
        "participants": 300,
        "summary": "讲解火灾逃生知识。",
        **kw,
    }
    return services.record(persona(who), units[school], **data)


def calendar_duties(persona, units):
    """The built-in offer (the calendar's duties included), issued by the district."""
    from xiaoan.duties import builtin
    from xiaoan.duties.models import Duty

    builtin.create_builtin_duties(persona("district_officer"), units[DISTRICT])
    return {
        d.proof_code: d
        for d in Duty.objects.filter(issuer=units[DISTRICT], builtin_code__startswith="edu_")
    }
