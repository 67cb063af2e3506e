"""Sample 校园车辆 for the demo schools (`xiaoan demo`): made through the register's
services, once (nothing when a school already has vehicles on file). One visitor's pass
falls due within the week; one e-bike is blacklisted after three violations."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.orgs.models import Unit
from xiaoan.vehicles import services
from xiaoan.vehicles.models import CampusVehicle
from xiaoan.vehicles.registers import CAMPUS_VEHICLES

# plate, class, owner, phone, description, employer, gates, hours, days valid (None: none)
ROWS: dict[str, list[tuple]] = {
    "梁子湖高级中学": [
        ("鄂GA1234", "staff", "王建华", "13807110001", "白色大众朗逸", "", "东门", "", None),
        ("鄂GB5678", "staff", "李红梅", "13807110002", "红色比亚迪", "", "东门、南门", "", None),
        (
            "鄂GC3321",
            "service",
            "张师傅",
            "13807110003",
            "厢式货车",
            "鄂州某餐饮服务公司（送餐）",
            "南门",
            "06:00-07:30、10:30-11:30",
            200,
        ),
        ("鄂GD0099", "visitor", "赵先生", "13807110004", "", "家长来访", "东门", "", 5),
        ("鄂州E10086", "ebike", "陈老师", "13807110005", "蓝色电动车", "", "", "", None),
    ],
    "太和镇中心学校": [
        ("鄂GF7788", "staff", "刘校长", "13807110006", "黑色别克", "", "正门", "", None),
    ],
}
# (plate, kind, days ago): three within the default 180 days blacklist the e-bike.
VIOLATIONS = [
    ("鄂GB5678", "parking", 12),
    ("鄂州E10086", "ebike_indoors", 40),
    ("鄂州E10086", "ebike_indoors", 20),
    ("鄂州E10086", "parking", 3),
]


@transaction.atomic
def load_vehicles() -> int:
    actor = User.objects.filter(username="district_officer").first()
    if actor is None:
        return 0
    today = timezone.localdate()
    made = 0
    for school_name, rows in ROWS.items():
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or CampusVehicle.objects.filter(unit=school).exists():
            continue
        for plate, kind, owner, phone, description, employer, gates, hours, days in rows:
            vehicle = registers.create(
                CAMPUS_VEHICLES,
                actor,
                {
                    "unit": school,
                    "name": plate,
                    "vehicle_class": kind,
                    "owner": owner,
                    "phone": phone,
                    "description": description,
                    "employer": employer,
                    "allowed_gates": gates,
                    "allowed_hours": hours,
                    "valid_until": today + dt.timedelta(days=days) if days else None,
                },
            )
            made += 1
            for violation_plate, violation_kind, ago in VIOLATIONS:
                if violation_plate == plate:
                    services.record_violation(
                        actor,
                        vehicle.pk,
                        kind=violation_kind,
                        occurred_on=today - dt.timedelta(days=ago),
                    )
    return made
