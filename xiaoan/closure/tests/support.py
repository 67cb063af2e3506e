"""Helpers of the closure tests: hazards of School A walked to 销号 this month, and a sample."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xiaoan.closure import services
from xiaoan.core.tests.photo_support import jpeg_upload
from xiaoan.hazards import services as hazards
from xiaoan.hazards.choices import HazardLevel

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"


def month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def closed_hazard(persona, units, n: int = 0, level: str = HazardLevel.GENERAL):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    hazard = hazards.report(officer, units[SCHOOL_A], description=f"灭火器过期 {n}")
    hazards.fix_on_spot(
        officer, hazard.pk, note="已更换", photos=[jpeg_upload(100 + n)], level=level
    )
    hazards.verify(head, hazard.pk, passed=True, note="合格")
    hazard.refresh_from_db()
    return hazard


def sample(persona, units, count: int = 3, size: int = 2, seed: int = 42):
    made = [closed_hazard(persona, units, n) for n in range(count)]
    drawn = services.create_sample(
        persona("district_officer"),
        organiser=units[DISTRICT],
        month=month(),
        size=size,
        reviewer=persona("district_supervisor"),
        due_on=timezone.localdate() + dt.timedelta(days=10),
        seed=seed,
    )
    return drawn, made
