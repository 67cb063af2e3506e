"""Sample 法治副校长, 校园警务室 and 心理健康教师 for the demo schools (`xiaoan demo`): made
through the registers' services like real work, once per school and register (nothing when
a school already has items of it). Some schools are left with gaps so the dashboard shows
them: 涂家垴镇中心小学 has no legal vice-principal, 沼山镇中心学校's has had only one activity
this semester, 东沟镇中心小学 and 梁子湖区特殊教育学校 have no police room, 梁子湖高级中学
(1,860 pupils: two full-time counsellors required) has one, 梧桐湖新区实验小学 only a part-time
one, and 太和镇中心学校's legal vice-principal's term ends within the month."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.lawsafety import rules, services
from xiaoan.lawsafety.models import Counsellor, LegalVicePrincipal, PoliceRoom
from xiaoan.lawsafety.registers import COUNSELLORS, LEGAL_VICE_PRINCIPALS, POLICE_ROOMS
from xiaoan.orgs.models import Unit

# school: (name, employer kind, employer, post, activities this semester)
PRINCIPALS = {
    "梁子湖高级中学": ("陈志刚", "police_station", "梁子湖区公安分局梁子派出所", "副所长", 3),
    "太和镇中心学校": ("刘海波", "police_station", "梁子湖区公安分局太和派出所", "所长", 2),
    "东沟镇中心小学": ("王丽", "procuratorate", "梁子湖区人民检察院", "检察官", 2),
    "沼山镇中心学校": ("张明", "justice_office", "沼山镇司法所", "所长", 1),
    "梁子镇初级中学": ("李文", "court", "梁子湖区人民法院", "法官", 2),
    "东沟镇初级中学": ("周强", "police_station", "梁子湖区公安分局东沟派出所", "民警", 2),
    "梧桐湖新区实验小学": ("吴敏", "police_station", "梧桐湖派出所", "教导员", 2),
    "梁子湖区职业技术学校": ("黄涛", "procuratorate", "梁子湖区人民检察院", "检察官", 2),
    "梁子湖区特殊教育学校": ("赵静", "justice_office", "梁子湖区司法局", "科员", 2),
}
ACTIVITIES = [
    ("lecture", "预防校园欺凌法治讲座", 600),
    ("patrol", "上下学时段校园周边巡查", None),
    ("lecture", "远离电信网络诈骗专题讲座", 450),
]
NO_ROOM = {"东沟镇中心小学", "梁子湖区特殊教育学校"}
# school: [(name, employment, qualification, certificate number, hours)]
COUNSELLORS_OF = {
    "梁子湖高级中学": [
        ("孙晓梅", "full_time", "心理健康教育教师资格证（B证）", "XL-B-0101", 16),
        ("马俊", "part_time", "心理健康教育教师资格证（C证）", "XL-C-0207", 4),
    ],
    "梧桐湖新区实验小学": [("郑芳", "part_time", "心理健康教育教师资格证（C证）", "XL-C-0311", 6)],
}
# The other schools: as many full-time counsellors as their enrolment requires.
NAMES = ["何静", "罗斌", "高洁", "林涛", "谢娟", "唐亮", "韩雪", "冯军", "曹颖", "彭辉", "袁媛"]


def _schools():
    return Unit.objects.filter(kind="school", is_active=True).exclude(
        school_type__in=rules.EXCLUDED_SCHOOL_TYPES
    )


def _activity_days(today: dt.date, appointed: dt.date, n: int) -> list[dt.date]:
    start, _end = rules.semester(today)
    first = max(start, appointed)
    span = max((today - first).days, 0)
    return [first + dt.timedelta(days=span * (i + 1) // (n + 1)) for i in range(n)]


@transaction.atomic
def load_lawsafety() -> dict[str, int]:
    """Create the samples once per school and register; how many of each were made."""
    made = {"v": 0, "a": 0, "r": 0, "c": 0}
    actor = User.objects.filter(username="district_officer").first()
    if actor is None:
        return made
    today = timezone.localdate()
    for number, school in enumerate(_schools().order_by("path")):
        row = PRINCIPALS.get(school.name)
        if row and not LegalVicePrincipal.objects.filter(unit=school).exists():
            name, kind, employer, post, count = row
            appointed = dt.date(today.year - 2, 9, 1)
            until = dt.date(today.year + 1, 8, 31)
            if school.name == "太和镇中心学校":
                until = today + dt.timedelta(days=20)
            item = registers.create(
                LEGAL_VICE_PRINCIPALS,
                actor,
                {
                    "unit": school,
                    "name": name,
                    "code": f"FZ-{today.year - 2}-{number + 1:02d}",
                    "employer_kind": kind,
                    "employer": employer,
                    "post": post,
                    "phone": f"1387110{number:04d}",
                    "appointed_on": appointed,
                    "term_until": until,
                },
            )
            made["v"] += 1
            for day, (act, topic, audience) in zip(
                _activity_days(today, appointed, count), ACTIVITIES, strict=False
            ):
                services.add_activity(
                    actor,
                    item.pk,
                    {"held_on": day, "kind": act, "topic": topic, "audience": audience},
                )
                made["a"] += 1
        if school.name not in NO_ROOM and not PoliceRoom.objects.filter(unit=school).exists():
            station = row[2] if row and row[1] == "police_station" else "梁子湖区公安分局"
            registers.create(
                POLICE_ROOMS,
                actor,
                {
                    "unit": school,
                    "name": "校园警务室",
                    "location": "学校正门门卫室旁",
                    "police_station": station,
                    "officers": "值守民警1名、辅警2名",
                    "duty_hours": "7:00–19:00" if school.name != "沼山镇中心学校" else "7:00–9:00",
                    "phone": f"0711-32{number:05d}",
                    "set_up_on": dt.date(today.year - 3, 9, 1),
                    "staffed_arrival": True,
                    "staffed_dismissal": school.name != "沼山镇中心学校",
                },
            )
            made["r"] += 1
        if not Counsellor.objects.filter(unit=school).exists():
            rows = COUNSELLORS_OF.get(school.name) or [
                (
                    NAMES[(number + i) % len(NAMES)],
                    "full_time",
                    "心理健康教育教师资格证（C证）",
                    f"XL-C-{number:02d}{i}",
                    14,
                )
                for i in range(rules.required_counsellors(school.enrolment))
            ]
            for name, employment, qualification, code, hours in rows:
                registers.create(
                    COUNSELLORS,
                    actor,
                    {
                        "unit": school,
                        "name": name,
                        "employment": employment,
                        "qualification": qualification,
                        "code": code,
                        "valid_until": dt.date(today.year + 3, 6, 30),
                        "hours_per_week": hours,
                    },
                )
                made["c"] += 1
    return made
