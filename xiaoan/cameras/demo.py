"""Sample 技防 rows for the demo schools (`xiaoan demo`), made through the register's
services once (nothing when a school already has cameras on file). 梁子湖高级中学 covers
every key place but its labs' camera is faulty; 太和镇中心学校 has one point not connected to
the higher-level platform and no canteen camera."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.cameras.models import AlarmPoint, Camera
from xiaoan.cameras.registers import ALARM_POINTS, CAMERAS
from xiaoan.core import registers
from xiaoan.orgs.models import Unit

# location, direction, key area, platform, police, status, days since the last check
CAMERA_ROWS: dict[str, list[tuple]] = {
    "梁子湖高级中学": [
        ("南校门", "south", "gate", True, True, "working", 10),
        ("1号学生宿舍楼大厅", "north", "dormitory", True, False, "working", 10),
        ("学生食堂操作间", "east", "canteen", True, False, "working", 25),
        ("化学实验室走廊", "west", "lab", True, False, "faulty", 40),
        ("东侧围墙", "panorama", "perimeter", True, False, "working", 10),
        ("教学楼一楼大厅", "south", "teaching", True, False, "working", 10),
    ],
    "太和镇中心学校": [
        ("校门", "east", "gate", True, True, "working", 5),
        ("学生宿舍楼", "south", "dormitory", False, False, "working", 5),
        ("北侧围墙", "north", "perimeter", True, False, "working", 35),
    ],
}
# location, linked to the police, days since the last test
ALARM_ROWS: dict[str, list[tuple]] = {
    "梁子湖高级中学": [("门卫室", True, 12), ("学生宿舍值班室", True, 40)],
    "太和镇中心学校": [("门卫室", False, 20)],
}


@transaction.atomic
def load_cameras() -> dict[str, int]:
    actor = User.objects.filter(username="district_officer").first()
    made = {"cameras": 0, "alarms": 0}
    if actor is None:
        return made
    today = timezone.localdate()
    for school_name, rows in CAMERA_ROWS.items():
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or Camera.objects.filter(unit=school).exists():
            continue
        for location, direction, area, platform, police, status, ago in rows:
            registers.create(
                CAMERAS,
                actor,
                {
                    "unit": school,
                    "location": location,
                    "direction": direction,
                    "key_area": area,
                    "platform_connected": platform,
                    "police_connected": police,
                    "status": status,
                    "last_checked_on": today - dt.timedelta(days=ago),
                    "last_check_result": "failed" if status == "faulty" else "passed",
                },
            )
            made["cameras"] += 1
    for school_name, rows in ALARM_ROWS.items():
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or AlarmPoint.objects.filter(unit=school).exists():
            continue
        for location, linked, ago in rows:
            registers.create(
                ALARM_POINTS,
                actor,
                {
                    "unit": school,
                    "location": location,
                    "police_linked": linked,
                    "last_tested_on": today - dt.timedelta(days=ago),
                },
            )
            made["alarms"] += 1
    return made
