"""The drill's path: plan → record → evaluate, each problem a hazard once; the semester drill
duty met by an evaluated drill and missed without one; retries that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.idempotency import IdempotencyMismatch
from xiaoan.drills import services
from xiaoan.drills.checklists import CHECKLISTS
from xiaoan.drills.models import Drill, DrillCheck, DrillEvent
from xiaoan.hazards.models import Hazard

from .support import (
    RECORD,
    SCHOOL_A,
    SCHOOL_B,
    ago,
    answers,
    evaluated,
    photo,
    planned,
    recorded,
)

pytestmark = pytest.mark.django_db


def test_it_has_six_to_ten_items_for_every_kind():
    from xiaoan.drills.choices import DrillKind

    assert set(CHECKLISTS) == set(DrillKind.values)
    for items in CHECKLISTS.values():
        assert 6 <= len(items) <= 10
        assert len({i.code for i in items}) == len(items)


def test_it_plans_with_the_schools_pupils_and_staff_expected(persona, units):
    school = units[SCHOOL_A]
    drill = planned(persona, units)
    assert drill.status == "planned" and drill.version == 1
    assert drill.expected_participants == (school.enrolment or 0) + (school.staff_count or 0)
    assert drill.expected_participants > 0
    assert drill.title == "消防疏散演练" and drill.target_seconds == 180
    assert drill.roles[1] == {"role": "疏散引导组", "name": "王老师"}
    assert list(drill.events.values_list("action", flat=True)) == ["plan"]


def test_it_refuses_a_unit_out_of_scope_and_bad_roles(persona, units):
    with pytest.raises(Invalid) as caught:
        planned(persona, units, unit=units[SCHOOL_B])  # school A's officer
    assert "unit" in caught.value.fields
    with pytest.raises(Invalid) as caught:
        planned(persona, units, roles=[{"role": "总指挥", "name": ""}])
    assert "roles" in caught.value.fields
    with pytest.raises(Forbidden):
        services.plan(
            persona("school_b_teacher"),
            unit=units[SCHOOL_B],
            kind="earthquake",
            planned_on=dt.date(2026, 12, 1),
            organiser="李校长",
        )
    assert not Drill.objects.exists()


def test_it_records_the_share_of_participants(persona, units):
    drill = planned(persona, units, expected_participants=2000)
    services.record(
        persona("school_a_officer"),
        drill.pk,
        started_at=ago(90),
        ended_at=ago(60),
        photos=[photo(), photo("b.jpg")],
        video_links="https://v.example.cn/a\n\nhttps://v.example.cn/b",
        **RECORD,
    )
    drill.refresh_from_db()
    assert drill.status == "recorded" and drill.participation == 75  # 1500 / 2000
    assert drill.photos.count() == 2 and drill.links == [
        "https://v.example.cn/a",
        "https://v.example.cn/b",
    ]
    assert drill.within_target is True and drill.held_on is not None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ended_at": ago(100)}, "ended_at"),  # before the start
        ({"ended_at": ago(-120)}, "ended_at"),  # in the future
        ({"video_links": "ftp://x"}, "video_links"),
    ],
)
def test_it_refuses_a_bad_record_and_writes_nothing(persona, units, change, field):
    drill = planned(persona, units)
    values = {"started_at": ago(90), "ended_at": ago(60), **RECORD, "photos": [photo()], **change}
    with pytest.raises(Invalid) as caught:
        services.record(persona("school_a_officer"), drill.pk, **values)
    assert field in caught.value.fields
    drill.refresh_from_db()
    assert drill.status == "planned" and drill.photos.count() == 0


def test_a_retried_record_records_once(persona, units):
    drill = planned(persona, units)
    officer = persona("school_a_officer")
    values = {"started_at": ago(90), "ended_at": ago(60), **RECORD, "version": 1}
    services.record(officer, drill.pk, idempotency_key="k1", fingerprint="f1", **values)
    again = services.record(officer, drill.pk, idempotency_key="k1", fingerprint="f1", **values)
    assert again.pk == drill.pk and again.status == "recorded"
    assert DrillEvent.objects.filter(drill=drill, action="record").count() == 1
    with pytest.raises(IdempotencyMismatch):
        services.record(officer, drill.pk, idempotency_key="k1", fingerprint="f2", **values)
    with pytest.raises(Conflict):
        services.record(officer, drill.pk, idempotency_key="other", **values)


def test_it_evaluates_and_every_problem_becomes_one_hazard(persona, units):
    before = Hazard.objects.count()
    drill = evaluated(
        persona, units, problems={"routes": "东侧楼梯堆放杂物", "roll_call": "高二(3)班漏报 2 人"}
    )
    assert drill.status == "evaluated"
    checks = list(drill.checks.order_by("seq"))
    assert len(checks) == len(CHECKLISTS["fire_evacuation"])
    problems = [c for c in checks if c.result == "problem"]
    assert len(problems) == 2 and all(c.hazard_id for c in problems)
    assert Hazard.objects.count() == before + 2
    hazard = problems[0].hazard
    assert hazard.source == "drill" and hazard.unit_id == units[SCHOOL_A].pk
    assert "东侧楼梯堆放杂物" in hazard.description and hazard.domain == "fire"
    # Evaluating again is a conflict and raises nothing more.
    with pytest.raises(Conflict):
        services.evaluate(persona("school_a_head"), drill.pk, results=answers())
    assert Hazard.objects.count() == before + 2


def test_a_retried_evaluation_raises_no_second_hazard(persona, units):
    drill = recorded(persona, units)
    head = persona("school_a_head")
    results = answers(problems={"alarm": "三楼听不到警报"})
    services.evaluate(head, drill.pk, results=results, idempotency_key="e1", fingerprint="x")
    count = Hazard.objects.filter(source="drill").count()
    again = services.evaluate(
        head, drill.pk, results=results, idempotency_key="e1", fingerprint="x"
    )
    assert again.status == "evaluated"
    assert Hazard.objects.filter(source="drill").count() == count == 1
    assert DrillCheck.objects.filter(drill=drill).count() == len(results)


def test_it_refuses_an_incomplete_evaluation_or_a_problem_without_a_note(persona, units):
    drill = recorded(persona, units)
    head = persona("school_a_head")
    with pytest.raises(Invalid, match="未评"):
        services.evaluate(head, drill.pk, results=answers()[:-1])
    with pytest.raises(Invalid, match="写明问题"):
        services.evaluate(head, drill.pk, results=answers(problems={"alarm": ""}))
    with pytest.raises(Invalid, match="不在"):
        services.evaluate(head, drill.pk, results=[*answers(), {"code": "x", "result": "ok"}])
    drill.refresh_from_db()
    assert drill.status == "recorded" and not drill.checks.exists()
    assert not Hazard.objects.filter(source="drill").exists()


def test_it_cancels_a_planned_drill_with_a_reason(persona, units):
    drill = planned(persona, units)
    officer = persona("school_a_officer")
    with pytest.raises(Invalid):
        services.cancel(officer, drill.pk, note=" ")
    services.cancel(officer, drill.pk, note="暴雨改期")
    drill.refresh_from_db()
    assert drill.status == "cancelled"
    with pytest.raises(Conflict):
        services.record(officer, drill.pk, started_at=ago(90), ended_at=ago(60), **RECORD)


def test_others_may_not_touch_the_drill(persona, units):
    drill = planned(persona, units)
    with pytest.raises(NotFound):
        services.cancel(persona("school_b_teacher"), drill.pk, note="x")
    with pytest.raises(Forbidden):  # sees it, may not record it
        services.record(
            persona("auditor"), drill.pk, started_at=ago(90), ended_at=ago(60), **RECORD
        )


def test_an_invited_observer_sees_that_drill_and_nothing_else(persona, units):
    drill = planned(persona, units)
    other = planned(persona, units, kind="earthquake")
    expert = persona("expert")
    assert not Drill.objects.restrict(expert).exists()
    services.invite(persona("school_a_officer"), drill.pk, user=expert.pk)
    assert list(Drill.objects.restrict(expert).values_list("pk", flat=True)) == [drill.pk]
    assert not Drill.objects.restrict(expert, "change").exists()
    assert other.pk not in Drill.objects.restrict(expert).values_list("pk", flat=True)
    services.uninvite(persona("school_a_officer"), drill.pk, user=expert.pk)
    assert not Drill.objects.restrict(expert).exists()
    actions = list(drill.events.values_list("action", flat=True))
    assert actions == ["plan", "invite", "uninvite"]


def test_a_school_may_invite_its_superiors_people_but_not_strangers(persona, units):
    drill = planned(persona, units)
    officer = persona("school_a_officer")
    district = persona("district_officer")
    services.invite(officer, drill.pk, user=district.pk)
    assert drill.invites.filter(user=district).exists()
    with pytest.raises(Invalid):  # another school's teacher: not someone they may call on
        services.invite(officer, drill.pk, user=persona("school_b_teacher").pk)


def test_it_fills_the_demo_once(demo):
    from xiaoan.drills.demo import load_drills

    assert load_drills() == 2
    assert load_drills() == 0
    fire = Drill.objects.get(kind="fire_evacuation")
    assert fire.status == "evaluated" and fire.photos.count() == 1
    assert fire.invites.count() == 1
    hazards = Hazard.objects.filter(source="drill", unit=fire.unit)
    assert hazards.count() == DrillCheck.objects.filter(drill=fire, result="problem").count() == 2
    assert Drill.objects.get(kind="earthquake").status == "planned"


def test_an_evaluated_drill_counts_toward_its_teams_readiness(persona, units):
    from xiaoan.emergency.models import EmergencyTeam
    from xiaoan.reports.models import Rollup

    school = units[SCHOOL_A]
    officer = persona("school_a_officer")
    team = EmergencyTeam.objects.create(unit=school, name="义务消防队", kind="fire_team")
    other = EmergencyTeam.objects.create(unit=units[SCHOOL_B], name="外校消防队", kind="fire_team")
    from xiaoan.reports import rollups

    rollups.changed(EmergencyTeam, [school.pk, units[SCHOOL_B].pk])

    def undrilled() -> int:
        row = Rollup.objects.filter(kind="reg:emergency_teams", unit=school).first()
        return (row.own if row else {}).get("undrilled", 0)

    assert undrilled() == 1
    with pytest.raises(Invalid) as refused:  # another school's team
        planned(persona, units, teams=[other.pk])
    assert "teams" in refused.value.fields
    drill = planned(persona, units, teams=[team.pk])
    services.record(officer, drill.pk, started_at=ago(90), ended_at=ago(60), **RECORD)
    assert EmergencyTeam.objects.get(pk=team.pk).last_drilled_on is None  # not evaluated yet
    services.evaluate(persona("school_a_head"), drill.pk, results=answers())
    team.refresh_from_db()
    drill.refresh_from_db()
    # The day it was held (just after midnight, an hour and a half ago was yesterday).
    assert team.last_drilled_on == drill.held_on
    assert undrilled() == 0
    other.refresh_from_db()
    assert other.last_drilled_on is None
