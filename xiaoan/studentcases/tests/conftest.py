"""The student-case fixtures: the principal holds the school's 学生安全专员 role (as the demo
gives it), the district's 复查 and the city's 复核 reviewers are there (likewise), and three
cases — two at School A (one followed by School A's safety officer, one by the principal) and
one at School B followed by its teacher."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.studentcases import services
from xiaoan.studentcases.demo import ensure_reviewers, ensure_role
from xiaoan.studentcases.models import StudentCase

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
PERSONAS = [
    "district_officer",
    "school_a_head",
    "school_a_officer",
    "school_a_owner",
    "school_b_teacher",
    "expert",
    "auditor",
    "sysadmin",
]


@pytest.fixture(autouse=True)
def student_role(demo):
    ensure_role()
    ensure_reviewers()


@pytest.fixture
def cases(persona, units):
    head, officer = persona("school_a_head"), persona("school_a_officer")
    a1 = services.create_case(
        head,
        unit=units[SCHOOL_A],
        category="left_behind",
        student_name="陈小雨",
        class_name="高一(2)班",
        guardian_contact="祖母 13900000001",
        situation="随祖母生活，情绪低落",
        responsible=officer,
    )
    a2 = services.create_case(
        head,
        unit=units[SCHOOL_A],
        category="conflict",
        student_name="李明轩",
        class_name="高二(5)班",
        situation="与同学多次口角",
        responsible=head,
    )
    teacher = persona("school_b_teacher")
    b = StudentCase.objects.create(
        unit=units[SCHOOL_B],
        category="health",
        student_name="赵小北",
        class_name="三(1)班",
        situation="哮喘",
        responsible=teacher,
        recorded_by=teacher,
    )
    return {"a1": a1, "a2": a2, "b": b}


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def bullying(persona, units):
    def make(reported: int = 1):
        head = persona("school_a_head")
        return services.report_bullying(
            head,
            unit=units[SCHOOL_A],
            reported_on=days_ago(reported),
            victim_name="王小川",
            accused_names="赵某某",
            description="宿舍内被推搡",
            responsible=persona("school_a_officer"),
        )

    return make
