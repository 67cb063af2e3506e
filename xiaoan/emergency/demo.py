"""Sample 应急预案 and 应急队伍 for the demo schools (`xiaoan demo`): made through the
registers' services like real work, once per school (nothing when a school already has
plans or teams on file). 太和镇中心学校's rescue squad has two people (not staffed, shown
red) and its fire plan is due for revision within the month."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.emergency.models import EmergencyPlan, EmergencyTeam, years_after
from xiaoan.emergency.registers import PLANS, TEAMS
from xiaoan.orgs.models import Unit

SCHOOLS = ["梁子湖高级中学", "太和镇中心学校", "东沟镇中心小学"]

# code, name, kind, topic, years since approval
PLANS_OF = [
    ("YA-01", "突发事件总体应急预案", "comprehensive", "", 1),
    ("YA-02", "火灾事故专项应急预案", "special", "fire", 2),
    ("YA-03", "地震灾害专项应急预案", "special", "earthquake", 1),
    ("YA-04", "防汛防台专项应急预案", "special", "flood", 1),
    ("YA-05", "食物中毒专项应急预案", "special", "food_poisoning", 2),
    ("YA-06", "校园暴力侵害事件专项应急预案", "special", "intrusion", 1),
    ("YA-07", "拥挤踩踏事故专项应急预案", "special", "stampede", 1),
    ("XC-01", "食堂燃气泄漏现场处置方案", "onsite", "gas_leak", 1),
]

FIRE_TEAM = [
    ("王建国", "总务主任", "13871000001", "leader"),
    ("李明", "保卫干事", "13871000002", "deputy"),
    ("张伟", "电工", "13871000003", "member"),
    ("刘洋", "体育教师", "13871000004", "member"),
    ("陈刚", "保安", "13871000005", "member"),
    ("赵磊", "宿管员", "13871000006", "member"),
]
RESCUE_SQUAD = [
    ("孙强", "副校长", "13871000011", "leader"),
    ("周涛", "校医", "13871000012", "member"),
    ("吴斌", "体育教师", "13871000013", "member"),
    ("郑浩", "保安队长", "13871000014", "member"),
]


def _people(rows, school_no: int) -> list[dict]:
    return [
        {"name": name, "post": post, "phone": phone[:-2] + f"{school_no}{phone[-1]}", "role": r}
        for name, post, phone, r in rows
    ]


@transaction.atomic
def load_emergency() -> dict[str, int]:
    """Create the sample plans and teams once per school; how many of each were made."""
    made = {"p": 0, "t": 0}
    actor = User.objects.filter(username="district_officer").first()
    if actor is None:
        return made
    today = timezone.localdate()
    for number, school_name in enumerate(SCHOOLS):
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None:
            continue
        if not EmergencyPlan.objects.filter(unit=school).exists():
            for code, name, kind, topic, ago in PLANS_OF:
                approved = dt.date(today.year - ago, 3, 1)
                if approved > today:
                    approved = approved.replace(year=approved.year - 1)
                next_on = years_after(approved, 3)
                if school_name == "太和镇中心学校" and code == "YA-02":
                    approved = years_after(today, -3) + dt.timedelta(days=20)
                    next_on = years_after(approved, 3)
                registers.create(
                    PLANS,
                    actor,
                    {
                        "unit": school,
                        "code": code,
                        "name": name,
                        "kind": kind,
                        "topic": topic,
                        "version": f"{approved.year}版",
                        "approved_by": "校长",
                        "approved_on": approved,
                        "next_revision_on": next_on,
                        "filed": kind != "onsite",
                        "filed_on": approved + dt.timedelta(days=10) if kind != "onsite" else None,
                        "filed_with": "区教育局" if kind != "onsite" else "",
                    },
                )
                made["p"] += 1
        if not EmergencyTeam.objects.filter(unit=school).exists():
            rescue = RESCUE_SQUAD if school_name != "太和镇中心学校" else RESCUE_SQUAD[:2]
            for code, name, kind, rows in (
                ("XF-01", "义务消防队", "fire_team", FIRE_TEAM),
                ("JY-01", "应急救援队", "rescue_squad", rescue),
            ):
                registers.create(
                    TEAMS,
                    actor,
                    {
                        "unit": school,
                        "code": code,
                        "name": name,
                        "kind": kind,
                        "members": _people(rows, number),
                    },
                )
                made["t"] += 1
    return made
