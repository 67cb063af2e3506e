"""Sample 校园施工项目 for the demo schools (`xiaoan demo`): made through the register's
services, once (nothing when a school already has projects on file). One site in progress
has no hard hoarding (unsafe, and nobody has inspected it), one is planned, one finished; one
contractor's qualification expires within the month."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.construction.models import ConstructionProject
from xiaoan.construction.registers import PROJECTS
from xiaoan.core import registers
from xiaoan.orgs.models import Unit

# name, location, contractor, qualification, number, valid (days), agreement, manager, phone,
# start (days), end (days), hoarding
ROWS: dict[str, list[tuple]] = {
    "梁子湖高级中学": [
        (
            "学生食堂改扩建工程",
            "食堂北侧",
            "鄂州市楚建建筑工程有限公司",
            "建筑工程施工总承包三级",
            "D342071234",
            400,
            True,
            "周工",
            "13807110001",
            -40,
            60,
            True,
        ),
        (
            "教学楼外墙维修",
            "1号教学楼",
            "鄂州市华鑫装饰工程有限公司",
            "建筑装修装饰工程专业承包二级",
            "D342075678",
            20,
            False,
            "吴工",
            "13807110002",
            -10,
            30,
            False,
        ),
        (
            "田径场塑胶跑道翻新",
            "田径场",
            "湖北体建体育设施有限公司",
            "体育场地设施工程专业承包",
            "TY2024-088",
            700,
            True,
            "郑工",
            "13807110003",
            45,
            90,
            True,
        ),
    ],
    "太和镇中心学校": [
        (
            "厕所改造",
            "教学楼东侧",
            "鄂州市太和建筑队",
            "施工劳务资质",
            "LW-0021",
            300,
            True,
            "孙工",
            "13807110004",
            -120,
            -30,
            True,
        ),
    ],
}


@transaction.atomic
def load_construction() -> int:
    actor = User.objects.filter(username="district_officer").first()
    if actor is None:
        return 0
    today = timezone.localdate()
    made = 0
    for school_name, rows in ROWS.items():
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or ConstructionProject.objects.filter(unit=school).exists():
            continue
        for (
            name,
            where,
            contractor,
            qualification,
            number,
            valid,
            agreed,
            manager,
            phone,
            start,
            end,
            hoarding,
        ) in rows:
            registers.create(
                PROJECTS,
                actor,
                {
                    "unit": school,
                    "name": name,
                    "location": where,
                    "contractor": contractor,
                    "qualification": qualification,
                    "qualification_number": number,
                    "qualification_valid_until": today + dt.timedelta(days=valid),
                    "agreement_signed": agreed,
                    "agreement_signed_on": today + dt.timedelta(days=start - 7) if agreed else None,
                    "site_manager": manager,
                    "site_manager_phone": phone,
                    "starts_on": today + dt.timedelta(days=start),
                    "ends_on": today + dt.timedelta(days=end),
                    "segregated": hoarding,
                },
            )
            made += 1
    return made
