"""Sample 一台一档 files for the demo schools (`xiaoan demo`): made through the register's
services like real work, once (nothing when a school already has equipment on file). One
boiler of 太和镇中心学校 is past its statutory inspection, so the next registers' daily pass
(`xiaoan registers-daily`) raises its hazard; an elevator of 梁子湖高级中学 falls due within
weeks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.orgs.models import Unit

# name, kind, registration code, maintainer, months since inspection, cycle in months
# (None: due in 20 days), operators
EQUIPMENT_OF: dict[str, list[tuple]] = {
    "梁子湖高级中学": [
        ("宿舍楼乘客电梯", "elevator", "梯11鄂GA0231(24)", "鄂州市通达电梯维保有限公司",
         11, None, []),
        ("食堂蒸汽锅炉", "boiler", "锅11鄂GA0015(21)", "鄂州市热力设备服务中心",
         6, 12, [("王建国", "G1-2023-0147"), ("刘强", "G1-2024-0311")]),
        ("食堂储气罐", "pressure_vessel", "容11鄂GA0102(22)", "鄂州市热力设备服务中心",
         14, 36, [("王建国", "R1-2023-0059")]),
    ],
    "太和镇中心学校": [
        ("食堂热水锅炉", "boiler", "锅11鄂GB0042(19)", "梁子湖区锅炉维修站",
         13, 12, [("陈志平", "G1-2022-0088")]),
    ],
    "东沟镇中心小学": [
        ("教学楼载货电梯", "elevator", "梯11鄂GB0517(23)", "鄂州市通达电梯维保有限公司",
         3, 12, []),
    ],
}  # fmt: skip


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
                    "operators": [{"name": n, "certificate": c} for n, c in operators],
                },
            )
            made += 1
    return made
