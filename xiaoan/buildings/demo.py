"""Sample 一楼一档 files for the demo schools (`xiaoan demo`): made through the register's
services like real work, once (nothing when a school already has buildings on file). One
building of 太和镇中心学校 is appraised C, so its 危房 hazard is on the 动态清零 board."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.buildings.models import BuildingFile
from xiaoan.buildings.registers import BUILDINGS
from xiaoan.core import registers
from xiaoan.orgs.models import Unit

# name, code, use, floors, height, year, structure, grade, years since appraisal, systems
BUILDINGS_OF: dict[str, list[tuple]] = {
    "梁子湖高级中学": [
        ("1号教学楼", "JX-01", "teaching", 5, "19.8", 2008, "frame", "B", 2, (1, 0, 1, 0)),
        ("2号教学楼", "JX-02", "teaching", 6, "23.4", 2015, "frame", "A", 1, (1, 1, 1, 1)),
        ("学生宿舍A栋", "SS-A", "dormitory", 9, "29.7", 2012, "shear_wall", "B", 3, (1, 1, 1, 1)),
        ("学生食堂", "ST-01", "canteen", 2, "9.6", 2005, "frame", "B", 4, (1, 0, 1, 0)),
        ("体育馆", "TY-01", "gym", 1, "26.0", 2018, "steel", "A", 1, (1, 1, 1, 1)),
    ],
    "太和镇中心学校": [
        ("教学楼", "JX-01", "teaching", 4, "15.6", 1998, "masonry", "C", 1, (0, 0, 1, 0)),
        ("学生宿舍", "SS-01", "dormitory", 4, "14.2", 2010, "frame", "B", 2, (1, 0, 1, 0)),
    ],
    "东沟镇中心小学": [
        ("教学楼", "JX-01", "teaching", 4, "15.0", 2006, "frame", "B", 2, (1, 0, 1, 0)),
        ("综合楼", "ZH-01", "office", 3, "11.4", 1995, "masonry", "B", 5, (0, 0, 1, 0)),
    ],
}


@transaction.atomic
def load_buildings() -> int:
    """Create the sample buildings once per school. Returns how many were made."""
    actor = User.objects.filter(username="district_officer").first()
    if actor is None:
        return 0
    today = timezone.localdate()
    made = 0
    for school_name, rows in BUILDINGS_OF.items():
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or BuildingFile.objects.filter(unit=school).exists():
            continue
        for name, code, use, floors, height, year, structure, grade, ago, systems in rows:
            appraised = dt.date(today.year - ago, 9, 1)
            if appraised > today:
                appraised = appraised.replace(year=appraised.year - 1)
            alarm, sprinklers, hydrants, smoke = (bool(x) for x in systems)
            registers.create(
                BUILDINGS,
                actor,
                {
                    "unit": school,
                    "name": name,
                    "code": code,
                    "use": use,
                    "floors_above": floors,
                    "height": Decimal(height),
                    "year_built": year,
                    "structure": structure,
                    "appraisal_grade": grade,
                    "appraised_on": appraised,
                    # Every five years; the oldest appraisals fall due within weeks.
                    "next_appraisal_on": appraised.replace(year=appraised.year + 5)
                    if ago < 5
                    else today + dt.timedelta(days=20),
                    "fire_alarm": alarm,
                    "sprinklers": sprinklers,
                    "hydrants": hydrants,
                    "smoke_exhaust": smoke,
                    "fire_acceptance": "accepted" if year >= 2009 else "not_required",
                    "fire_accepted_on": dt.date(year, 12, 1) if year >= 2009 else None,
                    "exits": 2 if floors > 1 else 4,
                    "evacuation_routes": "东西两侧楼梯各一部，走廊宽度 2.4 米",
                },
            )
            made += 1
    return made
