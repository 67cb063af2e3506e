"""Helpers of the risk tests: a risk point of School A, assessed, with a measure given to a
person of the school who holds no risk rights (a teacher)."""

from __future__ import annotations

from typing import Any

from xiaoan.risks import services

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def teacher(units, username: str = "a_teacher", school: str = SCHOOL_A):
    """A person of the school with no role at all: only a measure makes them a checker."""
    from xiaoan.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, name="宿管赵老师", unit=units[school])
    return user


def point(persona, units, school: str = SCHOOL_A, **fields: Any):
    who = "school_a_officer" if school == SCHOOL_A else "district_officer"
    values = {
        "unit": units[school],
        "name": "1号学生宿舍楼用电",
        "domain": "electricity",
        "hazardous_event": "私拉乱接、违规使用大功率电器引发火灾",
    }
    values.update(fields)
    return services.create(persona(who), **values)


def assessed(persona, units, likelihood=3, severity=4, **fields: Any):
    made = point(persona, units, **fields)
    services.assess(persona("school_a_officer"), made.pk, likelihood=likelihood, severity=severity)
    made.refresh_from_db()
    return made


def with_measure(persona, units, owner=None, frequency="daily", **fields: Any):
    made = assessed(persona, units, **fields)
    person = owner or teacher(units)
    measure = services.add_measure(
        persona("school_a_officer"),
        made.pk,
        kind="management",
        text="每晚熄灯后巡查宿舍用电",
        level="post",
        owner=person.pk,
        frequency=frequency,
    )
    made.refresh_from_db()
    return made, measure
