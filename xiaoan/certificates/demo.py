"""Sample 持证上岗 rows for the demo schools (`xiaoan demo`): made through the register's
services, once (nothing when a school already has certificates on file). One canteen
health certificate falls due within the month, one guard's has expired."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.certificates import idnumbers
from xiaoan.certificates.models import Certificate
from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core import registers
from xiaoan.orgs.models import Unit

# name, id (first 17 digits), employer, post, kind, number, issuer, days left
ROWS: dict[str, list[tuple]] = {
    "梁子湖高级中学": [
        (
            "周建国",
            "42070219750312001",
            "",
            "welder",
            "welding",
            "T4207021975031200",
            "鄂州市应急管理局",
            900,
        ),
        (
            "吴志强",
            "42070219820708003",
            "",
            "electrician",
            "electrician",
            "T4207021982070800",
            "鄂州市应急管理局",
            600,
        ),
        (
            "刘桂芳",
            "42070219700915002",
            "鄂州某餐饮服务公司",
            "canteen",
            "health",
            "JK2026-0315",
            "梁子湖区疾病预防控制中心",
            18,
        ),
        (
            "陈保国",
            "42070219680521005",
            "楚安保安服务公司",
            "guard",
            "security_guard",
            "BA420700123",
            "鄂州市公安局",
            -5,
        ),
        (
            "黄师傅",
            "42070219790101007",
            "",
            "boiler",
            "boiler",
            "G3-420700-0088",
            "鄂州市市场监督管理局",
            400,
        ),
    ],
    "太和镇中心学校": [
        (
            "杨师傅",
            "42070219800606001",
            "",
            "driver",
            "driving",
            "420702198006060011",
            "鄂州市公安局交通管理支队",
            1500,
        ),
    ],
}


@transaction.atomic
def load_certificates() -> int:
    actor = User.objects.filter(username="district_officer").first()
    if actor is None:
        return 0
    today = timezone.localdate()
    made = 0
    for school_name, rows in ROWS.items():
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or Certificate.objects.filter(unit=school).exists():
            continue
        for name, first17, employer, post, kind, code, issuer, left in rows:
            until = today + dt.timedelta(days=left)
            registers.create(
                CERTIFICATES,
                actor,
                {
                    "unit": school,
                    "name": name,
                    "id_number": idnumbers.make(first17),
                    "employer": employer,
                    "post": post,
                    "kind": kind,
                    "code": code,
                    "issuer": issuer,
                    "valid_from": until.replace(year=until.year - (1 if kind == "health" else 6)),
                    "valid_until": until,
                },
            )
            made += 1
    return made
