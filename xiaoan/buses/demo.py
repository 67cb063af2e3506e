"""Sample school buses for the demo schools (`xiaoan demo`), made through the registers'
services like real work, once (nothing when a school already has buses): their drivers'
and escorts' certificates go into 持证上岗 first (太和镇中心学校's driver is already
there). Some buses lack a device, one licence falls due within the month, one driver's
licence has expired and one bus has no escort, so the dashboard has something to show."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.buses.models import Bus
from xiaoan.buses.registers import BUSES
from xiaoan.certificates.models import Certificate
from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core import registers
from xiaoan.orgs.models import Unit

# school → (certificates: name, post, kind, number, days left), (buses)
CREW = {
    "梁子湖高级中学": [
        ("张国庆", "driver", "driving", "420702197210010012", 2000),
        ("李卫东", "driver", "driving", "420702197503150035", -12),
        ("王秀英", "bus_escort", "bus_escort", "ZG-2026-001", 300),
    ],
    "太和镇中心学校": [
        ("杨师傅", "driver", "driving", "420702198006060011", 1500),
    ],
    "东沟镇中心小学": [
        ("赵建华", "driver", "driving", "420702198110200017", 900),
        ("孙丽", "bus_escort", "bus_escort", "ZG-2026-007", 200),
    ],
}
BUSES_OF = {
    "梁子湖高级中学": [
        {
            "plate": "鄂GA1001",
            "seats": 45,
            "operator": "梁子湖高级中学",
            "route": "学校—涂家垴镇—沼山镇",
            "stops": "涂家垴镇政府\n万秀村\n沼山镇中心",
            "permit_number": "鄂G校许2025-018",
            "permit_days": 400,
            "devices": (True, True, True),
            "drivers": ["420702197210010012"],
            "escorts": ["ZG-2026-001"],
        },
        {
            "plate": "鄂GA1002",
            "seats": 35,
            "operator": "梁子湖高级中学",
            "route": "学校—太和镇",
            "stops": "太和镇汽车站\n胡进村",
            "permit_number": "鄂G校许2025-019",
            "permit_days": 20,
            "devices": (True, True, False),
            "drivers": ["420702197503150035"],  # his licence has expired
            "escorts": ["ZG-2026-001"],
        },
    ],
    "太和镇中心学校": [
        {
            "plate": "鄂GB2001",
            "seats": 19,
            "operator": "鄂州市安达校车服务有限公司",
            "route": "学校—上屋村—下屋村",
            "stops": "上屋村口\n下屋村委会",
            "permit_number": "鄂G校许2024-007",
            "permit_days": 150,
            "devices": (True, False, False),
            "drivers": ["420702198006060011"],
            "escorts": [],  # no escort yet
        },
    ],
    "东沟镇中心小学": [
        {
            "plate": "鄂GC3001",
            "seats": 35,
            "operator": "鄂州市安达校车服务有限公司",
            "route": "学校—东沟村—新屋村",
            "stops": "东沟村委会\n新屋村口\n塘角湾",
            "permit_number": "鄂G校许2025-031",
            "permit_days": 500,
            "devices": (False, True, True),
            "drivers": ["420702198110200017"],
            "escorts": ["ZG-2026-007"],
        },
    ],
}


def _certificates(actor, school: Unit, today: dt.date) -> dict[str, Certificate]:
    found = {}
    for name, post, kind, code, left in CREW.get(school.name, []):
        cert = Certificate.objects.filter(unit=school, kind=kind, code=code).first()
        if cert is None:
            until = today + dt.timedelta(days=left)
            issuer = "鄂州市公安局交通管理支队" if kind == "driving" else school.name
            cert = registers.create(
                CERTIFICATES,
                actor,
                {
                    "unit": school,
                    "name": name,
                    "post": post,
                    "kind": kind,
                    "code": code,
                    "issuer": issuer,
                    "valid_from": until.replace(year=until.year - 6),
                    "valid_until": until,
                },
            )
        found[code] = cert
    return found


@transaction.atomic
def load_buses() -> int:
    """Create the sample buses once per school. Returns how many were made."""
    actor = User.objects.filter(username="district_officer").first()
    if actor is None:
        return 0
    today = timezone.localdate()
    made = 0
    for school_name, rows in BUSES_OF.items():
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or Bus.objects.filter(unit=school).exists():
            continue
        certificates = _certificates(actor, school, today)
        for row in rows:
            monitoring, face, infrared = row["devices"]
            registers.create(
                BUSES,
                actor,
                {
                    "unit": school,
                    "plate": row["plate"],
                    "seats": row["seats"],
                    "operator": row["operator"],
                    "route": row["route"],
                    "stops": row["stops"],
                    "permit_number": row["permit_number"],
                    "permit_valid_until": today + dt.timedelta(days=row["permit_days"]),
                    "has_monitoring": monitoring,
                    "has_face_recognition": face,
                    "has_infrared": infrared,
                    "drivers": [certificates[c] for c in row["drivers"]],
                    "escorts": [certificates[c] for c in row["escorts"]],
                },
            )
            made += 1
    return made
