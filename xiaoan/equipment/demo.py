"""Sample 一台一档 files for the demo schools (`xiaoan demo`): made through the register's
services like real work, once (nothing when a school already has equipment on file). One
boiler of 太和镇中心学校 is past its statutory inspection, so the next registers' daily pass
(`xiaoan registers-daily`) raises its hazard; an elevator of 梁子湖高级中学 falls due within
weeks. Operators are certificates of 持证上岗 (run after its demo rows): one boiler
operator's certificate expires within weeks, another's has expired, and the elevators have
none, so 无有效持证操作人员 shows on the dashboard."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.certificates.models import Certificate
from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core import registers
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.orgs.models import Unit

# name, kind, registration code, maintainer, months since inspection, cycle in months
# (None: due in 20 days), operators: (name, certificate kind, number, days left on it) —
# linked to the school's certificate of that kind and number, registered when missing.
EQUIPMENT_OF: dict[str, list[tuple]] = {
    "梁子湖高级中学": [
        ("宿舍楼乘客电梯", "elevator", "梯11鄂GA0231(24)", "鄂州市通达电梯维保有限公司",
         11, None, []),
        ("食堂蒸汽锅炉", "boiler", "锅11鄂GA0015(21)", "鄂州市热力设备服务中心",
         6, 12, [("黄师傅", "boiler", "G3-420700-0088", 400),
                 ("王建国", "boiler", "G1-2023-0147", 20)]),
        ("食堂储气罐", "pressure_vessel", "容11鄂GA0102(22)", "鄂州市热力设备服务中心",
         14, 36, [("王建国", "special_equipment", "R1-2023-0059", 400)]),
    ],
    "太和镇中心学校": [
        ("食堂热水锅炉", "boiler", "锅11鄂GB0042(19)", "梁子湖区锅炉维修站",
         13, 12, [("陈志平", "boiler", "G1-2022-0088", -10)]),
    ],
    "东沟镇中心小学": [
        ("教学楼载货电梯", "elevator", "梯11鄂GB0517(23)", "鄂州市通达电梯维保有限公司",
         3, 12, []),
    ],
}  # fmt: skip


def _certificate(actor, school, name: str, kind: str, code: str, left: int):
    """The school's operator certificate of that kind and number (made once)."""
    found = Certificate.objects.filter(unit=school, kind=kind, code=code).first()
    if found is not None:
        return found
    until = timezone.localdate() + dt.timedelta(days=left)
    return registers.create(
        CERTIFICATES,
        actor,
        {
            "unit": school,
            "name": name,
            "post": "boiler" if kind == "boiler" else "special_equipment",
            "kind": kind,
            "code": code,
            "issuer": "鄂州市市场监督管理局",
            "valid_from": until.replace(year=until.year - 4),
            "valid_until": until,
        },
    )


def _months_ago(today: dt.date, months: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))


@transaction.atomic
def load_equipment() -> int:
    """Create the sample equipment once per school. Returns how many were made."""
    actor = User.objects.filter(username="district_officer").first()
    if actor is None:
        return 0
    today = timezone.localdate()
    made = 0
    for school_name, rows in EQUIPMENT_OF.items():
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or Equipment.objects.filter(unit=school).exists():
            continue
        for name, kind, code, maintainer, ago, cycle, operators in rows:
            inspected = _months_ago(today, ago)
            registers.create(
                EQUIPMENT,
                actor,
                {
                    "unit": school,
                    "name": name,
                    "kind": kind,
                    "code": code,
                    "maintainer": maintainer,
                    "maintainer_contact": "张工 13800000000",
                    "last_inspected_on": inspected,
                    "conclusion": "passed",
                    "next_inspection_on": _months_ago(inspected, -cycle)
                    if cycle
                    else today + dt.timedelta(days=20),
                    "operators": [_certificate(actor, school, *row) for row in operators],
                },
            )
            made += 1
    return made
