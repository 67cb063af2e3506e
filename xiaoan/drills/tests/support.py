"""Helpers of the drill tests: a drill of School A planned, recorded, evaluated."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xiaoan.drills import services
from xiaoan.drills.checklists import checklist

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def photo(name: str = "drill.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#c0392b").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


def planned(persona, units, school: str = SCHOOL_A, **fields: Any):
    who = "school_a_officer" if school == SCHOOL_A else "district_officer"
    values = {
        "unit": units[school],
        "kind": "fire_evacuation",
        "planned_on": timezone.localdate(),
        "organiser": "张校长",
        "scenario": "实验楼三楼起火",
        "roles": [{"role": "总指挥", "name": "张校长"}, {"role": "疏散引导组", "name": "王老师"}],
    }
    values.update(fields)
    return services.plan(persona(who), **values)


RECORD = {"participants": 1500, "evacuation_seconds": 170, "note": "整体有序"}


def recorded(persona, units, **fields: Any):
    drill = planned(persona, units, **fields)
    services.record(
        persona("school_a_officer"), drill.pk, started_at=ago(90), ended_at=ago(60), **RECORD
    )
    drill.refresh_from_db()
    return drill


def answers(kind: str = "fire_evacuation", problems: dict[str, str] | None = None) -> list[dict]:
    problems = problems or {}
    return [
        {
            "code": item.code,
            "result": "problem" if item.code in problems else "ok",
            "note": problems.get(item.code, ""),
        }
        for item in checklist(kind)
    ]


def evaluated(persona, units, problems: dict[str, str] | None = None, **fields: Any):
    drill = recorded(persona, units, **fields)
    services.evaluate(persona("school_a_head"), drill.pk, results=answers(drill.kind, problems))
    drill.refresh_from_db()
    return drill
