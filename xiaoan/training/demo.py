"""Sample training for the demo district (`xiaoan demo`): the people the plans' rule is
about at six schools (principal, deputy in charge, 安办主任 — by 职务, holding no role) with
guards, canteen staff and a dormitory keeper; two district rounds of leader training with
their attendance (the first by sheet, the second by QR code), a school's guard training with
a contractor's guards, a session held yesterday with nobody recorded yet (the organiser's
to-do) and one to come with its QR code open. Coverage is partly complete: the sixth
school's leaders are untrained. Made through the services, once (nothing when the district
already has a session)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.orgs.models import Unit
from xiaoan.training import services
from xiaoan.training.models import TrainingSession
from xiaoan.training.registers import TRAININGS

DISTRICT = "梁子湖区教育局"
SCHOOLS = [
    "梁子湖高级中学",
    "太和镇中心学校",
    "东沟镇中心小学",
    "涂家垴镇中心小学",
    "沼山镇中心学校",
    "梁子镇初级中学",
]
SURNAMES = "陈林黄周吴徐孙胡朱高"
# key, given name, 职务
STAFF = [
    ("head", "建华", "校长"),
    ("deputy", "志强", "分管安全副校长"),
    ("office", "海燕", "安办主任"),
    ("guard1", "大勇", "保安"),
    ("guard2", "国庆", "保安"),
    ("cook", "秀兰", "食堂从业人员"),
    ("dorm", "桂芳", "宿管员"),
]
LEADERS = ("head", "deputy", "office")


def _people() -> dict[tuple[int, str], User]:
    people: dict[tuple[int, str], User] = {}
    for number, name in enumerate(SCHOOLS):
        school = Unit.objects.filter(name=name, kind="school").first()
        if school is None:
            continue
        for index, (key, given, position) in enumerate(STAFF):
            username = f"demo_s{number + 1}_{key}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    name=SURNAMES[(number + index) % len(SURNAMES)] + given,
                    unit=school,
                    position=position,
                )
                user.set_unusable_password()  # people of the roster, not demo logins
                user.save()
            people[(number, key)] = user
    return people


@transaction.atomic
def load_training() -> int:
    """Create the sample sessions once; how many were made."""
    district = Unit.objects.filter(name=DISTRICT, kind="authority").first()
    officer = User.objects.filter(username="district_officer").first()
    school_officer = User.objects.filter(username="school_a_officer").first()
    if district is None or officer is None or school_officer is None:
        return 0
    if TrainingSession.objects.filter(unit=district).exists():
        return 0
    people = _people()
    today = timezone.localdate()
    made = 0

    def session(actor, unit, days: int, **fields):
        nonlocal made
        made += 1
        data = {
            "unit": unit,
            "held_on": today + dt.timedelta(days=days),
            "hours": 4,
            "domain": "other",
            **fields,
        }
        return registers.create(TRAININGS, actor, data)

    leaders = ("unit_head", "safety_officer")
    first = session(
        officer,
        district,
        -60,
        name="中小学校长、分管负责人、安办主任安全管理轮训（第一期）",
        code="PX-01",
        trainer="区应急管理局 张科长",
        hours=8,
        audience_roles=list(leaders),
    )
    extra = [u for u in User.objects.filter(username__in=["school_a_head", "school_a_officer"])]
    services.mark(
        officer,
        first.pk,
        users=[people[(n, k)].pk for n in range(4) for k in LEADERS if (n, k) in people]
        + [u.pk for u in extra],
        method="sheet",
    )
    second = session(
        officer,
        district,
        -10,
        name="中小学校长、分管负责人、安办主任安全管理轮训（第二期）",
        code="PX-02",
        trainer="区消防救援大队 李教官",
        domain="fire",
        audience_roles=list(leaders),
    )
    services.mark(
        officer,
        second.pk,
        users=[people[(4, "head")].pk] if (4, "head") in people else [],
        method="qr",
    )
    school_a = Unit.objects.get(name=SCHOOLS[0], kind="school")
    guards = session(
        school_officer,
        school_a,
        -20,
        name="校园保安防暴处置技能培训",
        code="BA-01",
        trainer="梁子湖派出所 王警官",
        domain="security",
        hours=2,
        audience_kinds=["保安"],
    )
    services.mark(
        school_officer,
        guards.pk,
        users=[people[(0, k)].pk for k in ("guard1", "guard2") if (0, k) in people],
        outsiders=[
            {
                "name": "黄国平",
                "employer": "鄂州市安保服务有限公司",
                "kind": "保安",
                "certificate_no": "鄂保安420700231",
            },
            {
                "name": "程伟",
                "employer": "鄂州市安保服务有限公司",
                "kind": "保安",
                "certificate_no": "鄂保安420700417",
            },
        ],
    )
    session(
        school_officer,
        school_a,
        -1,
        name="宿管员夜间消防应急处置培训",
        code="SG-01",
        trainer="李安办",
        domain="fire",
        hours=1,
        audience_kinds=["宿管员"],
    )
    coming = session(
        officer,
        district,
        14,
        name="校车驾驶员冬季行车安全培训",
        code="PX-03",
        trainer="区交警大队",
        domain="school_bus",
        hours=2,
        audience_kinds=["驾驶员"],
    )
    services.open_checkin(officer, coming.pk)
    return made
