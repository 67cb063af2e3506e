"""Sample student cases for 梁子湖高级中学 (`xiaoan demo`), made through the services, once:
the principal (school_a_head) is given the school's 学生安全专员 role; two students needing
attention (one followed by the school's safety officer as 包保), a bullying case determined
three days ago, one whose review (复查) was asked for a week ago, and the semester's conflict
screening. Two reviewers are added (the demo's people are otherwise orgs.demo's): the
district's 学生欺凌复查专员 and the city's 学生欺凌复核专员. The names are invented."""

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
# username, name, mobile, bureau (member and scope, with its subtree), role
REVIEWERS = [
    ("district_bullying_reviewer", "黄复查", "13800000061", "梁子湖区教育局", "bullying_reviewer"),
    ("city_bullying_reexaminer", "林复核", "13800000062", "鄂州市教育局", "bullying_reexaminer"),
]


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


def ensure_reviewers() -> int:
    """The county (district) reviewer and the city re-examiner, each with their role at their
    bureau over its subtree; returns how many assignments were new."""
    from xiaoan.orgs.demo import DEMO_PASSWORD

    new_count = 0
    for username, name, mobile, bureau_name, code in REVIEWERS:
        bureau = Unit.objects.filter(name=bureau_name, kind="authority").first()
        role = Role.objects.filter(code=code).first()
        if bureau is None or role is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, name=name, mobile=mobile, unit=bureau)
            user.set_password(DEMO_PASSWORD)
            user.save()
        _obj, new = RoleAssignment.objects.get_or_create(
            user=user, role=role, unit=bureau, defaults={"include_descendants": True}
        )
        forget_grants(user)
        new_count += int(new)
    return new_count


@transaction.atomic
def load_student_cases() -> int:
    ensure_role()
    ensure_reviewers()
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
    # A party disagreed with the determination: the review waits for the district's reviewer.
    disputed = services.report_bullying(
        head,
        unit=school,
        reported_on=today - dt.timedelta(days=14),
        victim_name="吴小舟",
        accused_names="郑某某",
        description="体育课后在更衣室被多次推搡、辱骂。",
        responsible=officer,
    )
    services.determine(
        head,
        disputed.pk,
        is_bullying=False,
        determination="经调查，属同学间偶发冲突，不构成欺凌。",
        on=today - dt.timedelta(days=9),
    )
    services.request_review(head, disputed.pk, on=today - dt.timedelta(days=7))
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
