"""Sample drills for 梁子湖高级中学 (`xiaoan demo`), made through the services like real work,
once (nothing when the school already has drills): a fire evacuation held last week,
recorded with a photo and evaluated — a locked exit found, now a hazard of the ledger — with
the district's safety officer invited to observe, and an earthquake drill planned."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from xiaoan.accounts.models import User
from xiaoan.drills import services
from xiaoan.drills.checklists import checklist
from xiaoan.drills.models import Drill
from xiaoan.orgs.models import Unit

SCHOOL = "梁子湖高级中学"
PROBLEMS = {
    "routes": "实验楼二层东侧安全出口上锁，疏散时临时开锁延误约 40 秒",
    "roll_call": "高二(3)班集合后漏报 2 人，班主任二次清点后补报",
}


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "#c0392b").save(buffer, "JPEG")
    return SimpleUploadedFile("drill.jpg", buffer.getvalue(), content_type="image/jpeg")


@transaction.atomic
def load_drills() -> int:
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["school_a_head", "school_a_officer", "district_officer"]
        )
    }
    school = Unit.objects.filter(name=SCHOOL, kind="school").first()
    if len(people) < 3 or school is None or Drill.objects.filter(unit=school).exists():
        return 0
    head, officer = people["school_a_head"], people["school_a_officer"]
    now = timezone.localtime()
    held = (now - dt.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    from xiaoan.emergency.models import EmergencyTeam

    fire_team = EmergencyTeam.objects.filter(unit=school, kind="fire_team").values_list(
        "pk", flat=True
    )[:1]
    fire = services.plan(
        officer,
        unit=school,
        teams=list(fire_team),
        kind="fire_evacuation",
        planned_on=held.date(),
        organiser="张校长",
        scenario="实验楼三楼化学实验室起火，烟雾进入走廊，全校师生紧急疏散至操场",
        roles=[
            {"role": "总指挥", "name": "张校长"},
            {"role": "疏散引导组", "name": "王老师"},
            {"role": "义务消防队", "name": "李主任"},
            {"role": "医疗救护组", "name": "赵校医"},
        ],
    )
    services.invite(officer, fire.pk, user=people["district_officer"].pk)
    services.record(
        officer,
        fire.pk,
        started_at=held,
        ended_at=held + dt.timedelta(minutes=25),
        participants=max(fire.expected_participants - 12, 0),
        evacuation_seconds=170,
        video_links="https://video.example.cn/drills/2026-fire",
        note="警报响后各班按路线疏散，2 分 50 秒全部到达操场。",
        photos=[_photo()],
    )
    services.evaluate(
        head,
        fire.pk,
        results=[
            {
                "code": item.code,
                "result": "problem" if item.code in PROBLEMS else "ok",
                "note": PROBLEMS.get(item.code, ""),
            }
            for item in checklist("fire_evacuation")
        ],
        summary="总体有序；安全出口上锁须立即整改，班级清点流程须再培训。",
    )
    services.plan(
        officer,
        unit=school,
        kind="earthquake",
        planned_on=(now + dt.timedelta(days=10)).date(),
        organiser="张校长",
        scenario="上课期间发生 5 级地震，震后疏散至操场",
    )
    return 2
