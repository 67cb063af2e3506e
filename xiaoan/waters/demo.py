"""Sample 重点水域 rows (`xiaoan demo`), made through the register's services once (nothing
when the district already has waters on file): a reservoir kept by the district bureau and
linked to two schools, a pond kept by a school, each with a patrol; the pond's patrol found
a broken sign."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.orgs.models import Unit
from xiaoan.waters import services
from xiaoan.waters.models import Water
from xiaoan.waters.registers import WATERS

ROWS = [
    # owner, name, kind, location, lat, lng, village, contact, phone, signs, rescue, schools
    (
        "梁子湖区教育局",
        "梁子湖太和段",
        "lake",
        "太和镇梁子湖沿岸",
        Decimal("30.100000"),
        Decimal("114.600000"),
        "太和镇太和村",
        "张村长",
        "13900000011",
        4,
        "救生圈4个、竹竿4根",
        ["太和镇中心学校", "太和镇中心幼儿园"],
    ),
    (
        "东沟镇中心小学",
        "学校东侧池塘",
        "pond",
        "东沟镇中心小学东侧200米",
        None,
        None,
        "东沟镇东沟村",
        "李主任",
        "13900000012",
        1,
        "救生圈1个",
        ["东沟镇中心小学"],
    ),
]


@transaction.atomic
def load_waters() -> int:
    actor = User.objects.filter(username="district_officer").first()
    if actor is None or Water.objects.exists():
        return 0
    today = timezone.localdate()
    made = 0
    for owner, name, kind, where, lat, lng, village, contact, phone, signs, rescue, names in ROWS:
        unit = Unit.objects.filter(name=owner).first()
        if unit is None:
            continue
        schools = list(Unit.objects.filter(name__in=names, kind="school"))
        water = registers.create(
            WATERS,
            actor,
            {
                "unit": unit,
                "name": name,
                "kind": kind,
                "location": where,
                "latitude": lat,
                "longitude": lng,
                "village": village,
                "contact_person": contact,
                "contact_phone": phone,
                "has_signs": True,
                "sign_count": signs,
                "rescue_equipment": rescue,
                "schools": schools,
            },
        )
        problem = kind == "pond"
        services.record_patrol(
            actor,
            water.pk,
            patrolled_on=today - dt.timedelta(days=20 if problem else 3),
            patroller="网格员" if problem else "村防溺水劝导员",
            findings="一块警示牌倒伏" if problem else "",
            signs_ok=not problem,
            problem=problem,
            raise_hazard=problem,
        )
        made += 1
    return made
