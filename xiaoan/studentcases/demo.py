"""Sample student cases for 梁子湖高级中学 (`xiaoan demo`), made through the services, once:
the principal (school_a_head) is given the school's 学生安全专员 role; two students needing
attention (one followed by the school's safety officer as 包保), a bullying case determined
three days ago and the semester's conflict screening. The names are invented."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.core.scoping import forget_grants
from xiaoan.orgs.models import Unit
from xiaoan.studentcases import services
from xiaoan.studentcases.models import StudentCase

SCHOOL = "梁子湖高级中学"
ROLE = "student_safety"
HOLDER = "school_a_head"


def ensure_role() -> int:
    """The principal holds the role at the school itself (no subtree)."""
    user = User.objects.filter(username=HOLDER).first()
    school = Unit.objects.filter(name=SCHOOL, kind="school").first()
    role = Role.objects.filter(code=ROLE).first()
    if user is None or school is None or role is None:
        return 0
    _obj, new = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=school, defaults={"include_descendants": False}
    )
    forget_grants(user)
    return int(new)


@transaction.atomic
def load_student_cases() -> int:
    ensure_role()
    people = {u.username: u for u in User.objects.filter(username__in=[HOLDER, "school_a_officer"])}
    school = Unit.objects.filter(name=SCHOOL, kind="school").first()
    if len(people) < 2 or school is None or StudentCase.objects.filter(unit=school).exists():
        return 0
    head, officer = people[HOLDER], people["school_a_officer"]
    for user in (head, officer):
        forget_grants(user)
    left = services.create_case(
        head,
        unit=school,
        category="left_behind",
        student_name="陈小雨",
        class_name="高一(2)班",
        guardian_contact="祖母 陈桂兰 13900000001",
        situation="父母在外务工，随祖母生活，近期成绩下滑、情绪低落。",
        responsible=officer,
    )
    services.add_followup(officer, left.pk, text="家访一次，与祖母沟通；每周谈心一次。")
    conflict = services.create_case(
        head,
        unit=school,
        category="conflict",
        student_name="李明轩",
        class_name="高二(5)班",
        guardian_contact="父亲 李建国 13900000002",
        situation="与同宿舍同学多次发生口角。",
        responsible=head,
    )
    today = timezone.localdate()
    bullying = services.report_bullying(
        head,
        unit=school,
        reported_on=today - dt.timedelta(days=6),
        victim_name="王小川",
        accused_names="赵某某、钱某某",
        description="宿舍内多次被索要财物并遭推搡。",
        responsible=officer,
        case=conflict,
    )
    services.determine(
        head,
        bullying.pk,
        is_bullying=True,
        determination="经学生欺凌治理委员会调查，构成欺凌。",
        on=today - dt.timedelta(days=3),
    )
    services.report_bullying(
        head,
        unit=school,
        reported_on=today - dt.timedelta(days=1),
        victim_name="周小可",
        accused_names="孙某某",
        description="课间被同学多次起侮辱性绰号。",
        responsible=head,
    )
    semester = f"{today.year}年{'春季' if 2 <= today.month <= 7 else '秋季'}学期"
    services.record_screening(
        head,
        unit=school,
        semester=semester,
        screened_on=today - dt.timedelta(days=10),
        summary="全校逐班排查，发现矛盾纠纷 1 起，已落实包保。",
        cases=[conflict.pk],
    )
    return 2
