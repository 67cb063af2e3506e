"""Sample 值班 rosters and incidents (`xiaoan demo`), made through the services like real work,
once (nothing when the units already have shifts or incidents): a week of shifts around
today for 梁子湖高级中学 and 东沟镇中心小学; at School A an injury reported,
classified and reviewed (its problems still to be entered as hazards), and a serious
incident reported late waiting for the district's classification."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.incidents import services
from xiaoan.incidents.models import DutyShift, Incident
from xiaoan.incidents.registers import ROSTER
from xiaoan.orgs.models import Unit

SCHOOL_A, SCHOOL_B = "梁子湖高级中学", "东沟镇中心小学"
# school: [(day offset, start, end, person, phone, leader, leader phone)]
SHIFTS = {
    SCHOOL_A: [
        ("刘老师", "13871000001", "张校长", "13871000009", dt.time(8), dt.time(20)),
        ("陈老师", "13871000002", "张校长", "13871000009", dt.time(20), dt.time(8)),
    ],
    SCHOOL_B: [("周老师", "13871000101", "吴校长", "13871000109", dt.time(8), dt.time(8))],
}


@transaction.atomic
def load_incidents() -> int:
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["school_a_officer", "district_officer", "school_a_head"]
        )
    }
    if len(people) < 3:
        return 0
    district = people["district_officer"]
    today = timezone.localdate()
    made = 0
    for name, rows in SHIFTS.items():
        school = Unit.objects.filter(name=name, kind="school").first()
        if school is None or DutyShift.objects.filter(unit=school).exists():
            continue
        for offset in range(-3, 4):
            for person, phone, leader, leader_phone, start, end in rows:
                registers.create(
                    ROSTER,
                    district,
                    {
                        "unit": school,
                        "name": person,
                        "phone": phone,
                        "leader": leader,
                        "leader_phone": leader_phone,
                        "duty_date": today + dt.timedelta(days=offset),
                        "starts_at": start,
                        "ends_at": end,
                        "period": "期中考试期间",
                    },
                )
    school = Unit.objects.filter(name=SCHOOL_A, kind="school").first()
    if school is None or Incident.objects.filter(unit=school).exists():
        return made
    officer = people["school_a_officer"]
    now = timezone.now()
    injury = services.report(
        officer,
        unit=school,
        kind="injury",
        occurred_at=now - dt.timedelta(days=2, hours=3),
        first_reported_at=now - dt.timedelta(days=2, hours=2),
        place="田径场跑道东侧",
        injured=1,
        summary="体育课 800 米测试中一名高一学生摔倒，右臂骨折。",
        measures="校医现场处置，送区人民医院，已通知家长。",
    )
    services.follow_up(
        officer,
        injury.pk,
        text="学生已完成手术，情况稳定；家长情绪平稳。",
        at=now - dt.timedelta(days=2),
    )
    services.classify(district, injury.pk, classification="non_liability", note="意外伤害。")
    services.review(
        officer,
        injury.pk,
        summary="课前场地检查不到位，跑道破损未及时报修。",
        findings=[
            # Left for the school to enter in the ledger (the page's 登记为隐患): the demo's
            # hazards are counted by the hazards' own demo.
            {"text": "田径场跑道东侧塑胶破损起翘", "measure": "报修并设置警示"},
            {"text": "体测前热身时间不足", "measure": "体测前统一热身 10 分钟"},
        ],
    )
    # The second problem is a task of the school's people, not a hazard (交办整改措施).
    injury.refresh_from_db()
    problem = services.findings_of(injury)[1]
    owner = services.task_owners(injury).exclude(pk=officer.pk).first() or officer
    services.assign_finding(
        officer,
        injury.pk,
        finding=problem.pk,
        owner=owner,
        due=timezone.localdate() + dt.timedelta(days=7),
    )
    made += 1
    services.report(
        officer,
        unit=school,
        kind="food",
        severity="serious",
        occurred_at=now - dt.timedelta(hours=5),
        first_reported_at=now - dt.timedelta(hours=2),
        place="学生食堂",
        injured=12,
        summary="午餐后 12 名学生出现腹痛、呕吐，疑似食物中毒。",
        measures="已送医观察，封存留样，报告市场监管部门。",
    )
    return made + 1
