"""法治与心理健康 on the dashboard: the per-school rules and the registers' counters equal
counts of the records after the demo and after every kind of write (an activity, a
retirement, an enrolment change), and the due dates reach the home page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.core import registers
from xiaoan.core.todos import todos_for
from xiaoan.lawsafety import rules
from xiaoan.lawsafety.models import Counsellor, LegalVicePrincipal, PoliceRoom
from xiaoan.lawsafety.registers import COUNSELLORS, LEGAL_VICE_PRINCIPALS
from xiaoan.lawsafety.tallies import KIND
from xiaoan.lawsafety.tests.support import (
    SCHOOL_A,
    activity,
    days,
    make_counsellor,
    make_principal,
)
from xiaoan.reports import rollups
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db
DISTRICT = "梁子湖区教育局"


def _expected(district) -> dict[str, int]:
    """The rules counted straight from the records, school by school."""
    from xiaoan.orgs.models import Unit

    today = timezone.localdate()
    start, end = rules.semester(today)
    out = dict.fromkeys(("schools", "no_lvp", "lvp_short", "no_room", "c_short", "c_need"), 0)
    out["c_have"] = 0
    schools = Unit.objects.filter(
        kind="school", is_active=True, path__startswith=district.path
    ).exclude(school_type__in=rules.EXCLUDED_SCHOOL_TYPES)
    for school in schools:
        inside = {"unit__path__startswith": school.path, "retired_at__isnull": True}
        serving = [
            p
            for p in LegalVicePrincipal.objects.filter(**inside)
            if p.term_until is None or p.term_until >= today
        ]
        done = sum(p.activities.filter(held_on__range=(start, end)).count() for p in serving)
        need = rules.required_counsellors(school.enrolment)
        have = Counsellor.objects.filter(**inside, employment="full_time").count()
        out["schools"] += 1
        out["no_lvp"] += not serving
        out["lvp_short"] += bool(serving) and done < rules.MIN_ACTIVITIES_PER_SEMESTER
        out["no_room"] += not PoliceRoom.objects.filter(**inside).exists()
        out["c_need"] += need
        out["c_have"] += have
        out["c_short"] += have < need
    return out


def _figures(persona, unit) -> dict:
    board = dashboard(persona("district_officer"), unit.pk)
    return {f.key: f.value for f in board.sections_by_key["lawsafety"].figures}


def _agrees(persona, units) -> dict:
    district = units[DISTRICT]
    assert rollups.reconcile(KIND) == 0
    expected = _expected(district)
    figures = _figures(persona, district)
    assert figures["no_lvp"] == expected["no_lvp"]
    assert figures["lvp_short"] == expected["lvp_short"]
    assert figures["no_room"] == expected["no_room"]
    assert figures["c_short"] == expected["c_short"]
    assert figures["counsellor_ratio"] == f"{expected['c_have']} / {expected['c_need']}"
    in_use = {"unit__path__startswith": district.path, "retired_at__isnull": True}
    assert figures["lvp"] == LegalVicePrincipal.objects.filter(**in_use).count()
    assert figures["rooms"] == PoliceRoom.objects.filter(**in_use).count()
    assert figures["counsellors"] == Counsellor.objects.filter(**in_use).count()
    return figures


def test_the_dashboard_counts_the_schools_against_the_rules(persona, units):
    from xiaoan.lawsafety.demo import load_lawsafety

    empty = _agrees(persona, units)
    assert empty["no_lvp"] == empty["no_room"] == empty["c_short"] > 0
    load_lawsafety()
    figures = _agrees(persona, units)
    # The demo's gaps: 涂家垴 without an LVP, 沼山's with one activity, two without a room,
    # 梁子湖高级中学 and 梧桐湖 short of full-time counsellors.
    assert figures["no_lvp"] >= 1 and figures["no_room"] >= 2 and figures["c_short"] >= 2
    officer = persona("school_a_officer")
    school = units[SCHOOL_A]
    # Writes of every kind keep it: an activity, a retirement, a new counsellor, enrolment.
    vp = LegalVicePrincipal.objects.get(unit=school)
    activity(officer, vp, held_on=days(0), topic="新增讲座")
    _agrees(persona, units)
    make_counsellor(officer, school, name="何静", code="C-9")
    _agrees(persona, units)
    registers.retire(LEGAL_VICE_PRINCIPALS, officer, vp.pk, reason="调离")
    assert _agrees(persona, units)["no_lvp"] == figures["no_lvp"] + 1
    from xiaoan.orgs.services import update_unit

    update_unit(persona("district_officer"), school.pk, {"enrolment": 3200})
    _agrees(persona, units)


def test_the_ranking_and_the_table_show_each_school(client_for, persona, units):
    from xiaoan.lawsafety.demo import load_lawsafety

    load_lawsafety()
    board = dashboard(persona("district_officer"), units[DISTRICT].pk)
    section = board.sections_by_key["lawsafety"]
    assert {c.key for c in section.columns} >= {"no_lvp", "lvp_short", "no_room", "c_short"}
    school = units[SCHOOL_A]
    branch = next(v for p, v in section.branches.items() if school.path.startswith(p))
    assert branch["c_need"] >= 2 and branch["c_have"] >= 1
    assert not section.tables  # a district reads its schools in the ranking
    own = dashboard(persona("school_a_officer"), school.pk).sections_by_key["lawsafety"]
    assert own.tables[0]["rows"] == [[SCHOOL_A, "有", 3, "有", "1 / 2"]]  # 1,860 pupils
    page = client_for("district_officer").get(reverse("reports:dashboard"))
    body = page.content.decode()
    assert page.status_code == 200 and "未聘法治副校长的学校" in body
    school = client_for("school_a_officer").get(reverse("reports:dashboard")).content.decode()
    assert "专职心理教师 实配/应配" in school
    teacher = client_for("school_b_teacher").get(reverse("reports:dashboard")).content.decode()
    assert "未聘法治副校长的学校" not in teacher


def test_due_dates_reach_the_home_page(persona, units):
    officer = persona("school_a_officer")
    make_principal(officer, units[SCHOOL_A], term_until=days(10))
    make_counsellor(officer, units[SCHOOL_A], valid_until=days(-1))
    keys = {t.key for t in todos_for(officer)}
    assert {"legal_vice_principals.due", "counsellors.due"} <= keys
    assert not any(
        t.key.startswith(("legal_vice", "counsellors")) for t in todos_for(persona("auditor"))
    )
    assert COUNSELLORS.key == "counsellors"


def test_the_schools_gaps_reach_its_own_people(persona, units):
    officer = persona("school_a_officer")
    keys = {t.key: t.count for t in todos_for(officer)}
    # Nothing on file yet: no LVP, no room, two full-time counsellors missing (1,860 pupils).
    assert keys["lawsafety.no_lvp"] == 1 and keys["lawsafety.no_room"] == 1
    assert keys["lawsafety.counsellors"] == 2
    vp = make_principal(officer, units[SCHOOL_A])
    activity(officer, vp)
    make_counsellor(officer, units[SCHOOL_A])
    keys = {t.key: t.count for t in todos_for(officer)}
    assert "lawsafety.no_lvp" not in keys and keys["lawsafety.lvp_short"] == 1
    assert keys["lawsafety.counsellors"] == 1
    # A district's officer supervises: the schools' work is not theirs.
    assert not any(t.key.startswith("lawsafety.") for t in todos_for(persona("district_officer")))
    assert not any(t.key.startswith("lawsafety.") for t in todos_for(persona("auditor")))
