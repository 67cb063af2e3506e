"""应急队伍: the roster kept with the team, the staffing rule (fire team 5–7, rescue squad
3–5, a leader named), phones encrypted at rest, one member added or removed, every refusal."""

from __future__ import annotations

import pytest
from django.db import connection

from xiaoan.core import history, registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.emergency import services
from xiaoan.emergency.models import EmergencyTeam, TeamMember, roster
from xiaoan.emergency.registers import TEAMS
from xiaoan.emergency.tests.support import SCHOOL_A, SCHOOL_B, make_team, people

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kind,size,leader,ok",
    [
        ("fire_team", 4, True, False),
        ("fire_team", 5, True, True),
        ("fire_team", 7, True, True),
        ("fire_team", 8, True, False),
        ("fire_team", 6, False, False),
        ("rescue_squad", 2, True, False),
        ("rescue_squad", 3, True, True),
        ("rescue_squad", 5, True, True),
        ("rescue_squad", 6, True, False),
    ],
)
def test_it_flags_staffing_by_the_rule(persona, units, kind, size, leader, ok):
    team = make_team(
        persona("school_a_officer"), units[SCHOOL_A], kind=kind, members=people(size, leader)
    )
    team.refresh_from_db()
    assert team.member_count == size and team.is_staffed is ok
    assert team.leader_name == ("队员一" if leader else "")


def test_it_keeps_phones_encrypted_at_rest(persona, units):
    team = make_team(persona("school_a_officer"), units[SCHOOL_A])
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM emergency_teammember WHERE team_id = %s", [team.pk])
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all(s.startswith("sm4gcm:") for s in stored)
    assert "13900000000" in {m.phone for m in team.members.all()}


def test_it_changes_the_staffing_when_the_kind_changes(persona, units):
    officer = persona("school_a_officer")
    team = make_team(officer, units[SCHOOL_A], size=4, kind="rescue_squad")
    assert EmergencyTeam.objects.get(pk=team.pk).is_staffed
    registers.update(TEAMS, officer, team.pk, {"kind": "fire_team"})
    assert not EmergencyTeam.objects.get(pk=team.pk).is_staffed


def test_it_replaces_the_roster_keeping_what_is_not_restated(persona, units):
    officer = persona("school_a_officer")
    team = make_team(officer, units[SCHOOL_A], size=5)
    kept = TeamMember.objects.get(team=team, name="队员二")
    new = [
        {"name": "队员二", "role": "leader"},
        {"name": "新队员", "post": "保安", "phone": "13911112222"},
        {"name": "队员一"},
    ]
    registers.update(TEAMS, officer, team.pk, {"members": new})
    team.refresh_from_db()
    names = [m.name for m in roster(team)]
    assert names == ["队员二", "队员一", "新队员"]
    again = TeamMember.objects.get(team=team, name="队员二")
    assert again.pk == kept.pk and again.phone == "13900000001" and again.role == "leader"
    assert team.leader_name == "队员二" and team.member_count == 3 and not team.is_staffed
    assert history.entries_for(team)[0].action != "创建"


def test_it_links_a_named_member_to_the_schools_user(persona, units):
    team = make_team(
        persona("school_a_officer"),
        units[SCHOOL_A],
        kind="rescue_squad",
        members=[{"name": "王校长", "role": "leader"}, {"user": persona("school_a_owner")}],
    )
    head, owner = roster(team)
    assert head.user == persona("school_a_head") and head.phone is None
    assert owner.name == "周总务" and owner.phone == "13800000013"


@pytest.mark.parametrize(
    "members,message",
    [
        ([{"name": "甲", "role": "leader"}, {"name": "乙", "role": "leader"}], "一名队长"),
        ([{"name": "甲"}, {"name": "甲"}], "重复"),
        ([{"name": ""}], "姓名"),
        ([{"name": "甲", "phone": "12345"}], "手机"),
        ([{"name": "甲", "role": "captain"}], "职务"),
    ],
)
def test_it_refuses_a_bad_roster_and_writes_nothing(persona, units, members, message):
    with pytest.raises(Invalid) as error:
        make_team(persona("school_a_officer"), units[SCHOOL_A], members=members)
    text = str(error.value.message) + str(error.value.fields)
    assert message in text
    assert not EmergencyTeam.objects.exists() and not TeamMember.objects.exists()


def test_it_refuses_a_user_of_another_school(persona, units):
    with pytest.raises(Invalid):
        make_team(
            persona("district_officer"),
            units[SCHOOL_A],
            members=[{"user": persona("school_b_teacher")}],
        )
    assert not EmergencyTeam.objects.exists()


def test_it_adds_and_removes_one_member(persona, units):
    officer = persona("school_a_officer")
    team = make_team(officer, units[SCHOOL_A], size=4)
    assert not EmergencyTeam.objects.get(pk=team.pk).is_staffed
    member = services.add_member(
        officer, team.pk, {"name": "新人", "post": "电工", "phone": "13911110000"}
    )
    team.refresh_from_db()
    assert team.is_staffed and team.member_count == 5
    assert "增加队员" in (history.entries_for(team)[0].reason or "")
    services.remove_member(officer, team.pk, member.pk)
    team.refresh_from_db()
    assert not team.is_staffed and team.member_count == 4
    assert TeamMember.history.filter(name="新人", history_type="-").exists()


def test_it_refuses_adding_a_bad_member(persona, units):
    officer = persona("school_a_officer")
    team = make_team(officer, units[SCHOOL_A], size=3)
    cases = [
        ({"name": "队员一"}, "name"),
        ({"name": "另一位队长", "role": "leader"}, "role"),
        ({"name": "甲", "phone": "1390000"}, "phone"),
        ({"name": ""}, "name"),
        ({"user": persona("school_b_teacher")}, "user"),
    ]
    for data, field in cases:
        with pytest.raises(Invalid) as error:
            services.add_member(officer, team.pk, data)
        assert field in error.value.fields, data
    services.add_member(officer, team.pk, {"user": persona("school_a_head")})
    with pytest.raises(Invalid) as error:
        services.add_member(officer, team.pk, {"user": persona("school_a_head"), "name": "别名"})
    assert "user" in error.value.fields
    assert TeamMember.objects.filter(team=team).count() == 4


def test_it_refuses_member_changes_out_of_scope_or_retired(persona, units):
    officer = persona("school_a_officer")
    team = make_team(officer, units[SCHOOL_A])
    other = make_team(persona("district_officer"), units[SCHOOL_B])
    member = team.members.first()
    with pytest.raises(NotFound):
        services.add_member(officer, other.pk, {"name": "甲"})
    with pytest.raises(NotFound):
        services.remove_member(officer, other.pk, other.members.first().pk)
    with pytest.raises(NotFound):
        services.remove_member(officer, team.pk, other.members.first().pk)
    for name in ("auditor", "school_b_teacher"):
        with pytest.raises(Forbidden):
            services.add_member(persona(name), team.pk, {"name": "甲"})
        with pytest.raises(Forbidden):
            services.remove_member(persona(name), team.pk, member.pk)
    registers.retire(TEAMS, officer, team.pk, reason="合并")
    with pytest.raises(Conflict):
        services.add_member(officer, team.pk, {"name": "甲"})
    assert team.members.count() == 5


def test_a_hazard_or_inspection_can_name_a_team_or_plan(persona, units):
    from xiaoan.emergency.tests.support import make_plan

    officer = persona("school_a_officer")
    team = make_team(officer, units[SCHOOL_A])
    plan = make_plan(officer, units[SCHOOL_A])
    assert registers.resolve_subject(officer, f"emergency_teams:{team.pk}", units[SCHOOL_A]) == team
    assert registers.resolve_subject(officer, f"emergency_plans:{plan.pk}", units["总务处"]) == plan
    with pytest.raises(Invalid):
        registers.resolve_subject(
            persona("school_b_teacher"), f"emergency_teams:{team.pk}", units[SCHOOL_B]
        )
