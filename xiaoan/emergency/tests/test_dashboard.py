"""The registers at work elsewhere: the dashboard's figures (plans due for revision, teams
not staffed), the built-in indicators fire-team / rescue-squad computed per school, the
home page's to-dos, and `xiaoan demo` filling both registers once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from xiaoan.core import registers
from xiaoan.core.todos import todos_for
from xiaoan.emergency.indicators import fire_team, rescue_squad
from xiaoan.emergency.models import EmergencyPlan, EmergencyTeam
from xiaoan.emergency.registers import TEAMS
from xiaoan.emergency.tests.support import SCHOOL_A, SCHOOL_B, days, make_plan, make_team
from xiaoan.indicators import values
from xiaoan.indicators.models import Indicator
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db
DISTRICT = "梁子湖区教育局"


def figures(user, unit):
    board = dashboard(user, unit.pk)
    section = next(s for s in board.sections if s.key == "emergency")
    return section, {f.key: f for f in section.figures}


def test_it_counts_plans_due_and_teams_not_staffed(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    make_plan(officer, units[SCHOOL_A], approved_on=days(-1080), next_revision_on=days(15))
    make_plan(officer, units[SCHOOL_A], code="YA-03", next_revision_on=days(300))
    make_plan(
        district, units[SCHOOL_B], code="YA-04", approved_on=days(-1100), next_revision_on=days(-5)
    )
    make_team(officer, units[SCHOOL_A], size=5)
    make_team(officer, units[SCHOOL_A], size=2, kind="rescue_squad", code="JY", name="救援队")
    make_team(district, units[SCHOOL_B], size=2, kind="rescue_squad", code="JY", name="救援队")
    section, found = figures(district, units[DISTRICT])
    assert found["plans"].value == 3 and found["plans_due"].value == 2 and found["plans_due"].bad
    assert found["teams"].value == 3 and found["teams_short"].value == 2
    assert "is_staffed=false" in found["teams_short"].url
    assert sum(v.get("teams_short", 0) for v in section.branches.values()) == 2
    _section, mine = figures(officer, units[SCHOOL_A])
    assert mine["plans_due"].value == 1 and mine["teams_short"].value == 1
    board = dashboard(persona("school_b_teacher"), units[SCHOOL_B].pk)
    assert "emergency" not in {s.key for s in board.sections}


def test_it_computes_the_team_indicators_per_school(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    year = timezone.localdate().year
    schools = [units[SCHOOL_A], units[SCHOOL_B], units["太和镇中心学校"]]
    make_team(officer, units[SCHOOL_A], size=6)
    make_team(officer, units[SCHOOL_A], size=3, kind="rescue_squad", code="JY", name="救援队")
    short = make_team(district, units[SCHOOL_B], size=3, code="XF", name="消防队")
    got = fire_team(schools, year)
    assert got == {schools[0].pk: 100, schools[1].pk: 0, schools[2].pk: 0}
    assert rescue_squad(schools, year)[schools[0].pk] == 100
    assert fire_team(schools, year - 1) == {}
    registers.retire(
        TEAMS,
        officer,
        EmergencyTeam.objects.get(unit=units[SCHOOL_A], kind="fire_team").pk,
        reason="合并",
    )
    assert fire_team(schools, year)[schools[0].pk] == 0
    assert short.pk
    indicator = Indicator.objects.get(code="rescue-squad", owner=None)
    cell = values.board(units[SCHOOL_A], year, indicators=[indicator]).cells[0]
    assert cell.value == 100


def test_it_counts_a_department_team_for_its_school(persona, units):
    department = units["总务处"]
    make_team(persona("school_a_officer"), department, size=5)
    assert fire_team([units[SCHOOL_A]], timezone.localdate().year) == {units[SCHOOL_A].pk: 100}


def test_it_puts_plans_due_for_revision_on_the_home_page(persona, units):
    officer = persona("school_a_officer")
    make_plan(officer, units[SCHOOL_A], approved_on=days(-1080), next_revision_on=days(10))
    todo = next(t for t in todos_for(officer) if "emergency" in t.key)
    assert todo.count == 1 and "due=" in todo.url


def test_the_demo_fills_both_registers_once(db, demo):
    call_command("demo", stdout=open("/dev/null", "w"))
    plans, teams = EmergencyPlan.objects.count(), EmergencyTeam.objects.count()
    assert plans == 24 and teams == 6
    taihe = EmergencyTeam.objects.get(unit__name="太和镇中心学校", kind="rescue_squad")
    assert not taihe.is_staffed and taihe.member_count == 2
    assert EmergencyTeam.objects.filter(is_staffed=True).count() == 5
    due = EmergencyPlan.objects.get(unit__name="太和镇中心学校", code="YA-02")
    assert (
        timezone.localdate() < due.next_revision_on <= timezone.localdate() + dt.timedelta(days=30)
    )
    call_command("demo", stdout=open("/dev/null", "w"))
    assert (EmergencyPlan.objects.count(), EmergencyTeam.objects.count()) == (plans, teams)
