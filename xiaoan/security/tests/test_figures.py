"""安防建设 at work elsewhere: the dashboard's figures equal counts of the records, the
四个100% indicators from verified declarations only, the home page's to-dos for the bureau
and the school, and `xiaoan demo` filling the register once."""

from __future__ import annotations

import pytest

from xiaoan.core import registers
from xiaoan.core.todos import todos_for
from xiaoan.indicators import values
from xiaoan.indicators.models import Indicator
from xiaoan.orgs.models import Unit
from xiaoan.reports.services import dashboard
from xiaoan.security import services
from xiaoan.security.choices import PostureStatus
from xiaoan.security.indicators import alarm_video, closed, escort_post
from xiaoan.security.models import SecurityPosture, meets_all_q
from xiaoan.security.registers import SECURITY_POSTURES
from xiaoan.security.tests.support import (
    DISTRICT,
    SCHOOL_A,
    SCHOOL_B,
    declared,
    make,
    verified,
    year,
)

pytestmark = pytest.mark.django_db
C, D, E = "太和镇中心学校", "涂家垴镇中心小学", "沼山镇中心学校"


def figures(user, unit):
    board = dashboard(user, unit.pk)
    section = next(s for s in board.sections if s.key == "security")
    return section, {f.key: f for f in section.figures}


@pytest.fixture
def postures(persona, units):
    """A verified meeting all, a verified short of guards, one awaiting verification, one
    returned, one draft, and one of last year (not counted)."""
    officer, district, head = (
        persona("school_a_officer"),
        persona("district_officer"),
        persona("district_head"),
    )
    verified(officer, district, units[SCHOOL_A])
    for name, fields in ((SCHOOL_B, {"guards": 0}), (C, {}), (D, {"alarm_networked": False})):
        posture = make(district, units[name], **fields)
        registers.attach(SECURITY_POSTURES, district, posture.pk, kind="evidence", upload=_pdf())
        posture.submitted_by = district
        from xiaoan.security.workflow import POSTURE

        POSTURE.advance(posture, district, "submit")
    services.verify(head, SecurityPosture.objects.get(unit=units[SCHOOL_B]).pk)
    services.send_back(head, SecurityPosture.objects.get(unit=units[D]).pk, note="缺凭证")
    make(district, units[E], escort_noon=False)
    make(district, units[E], year=year() - 1)
    return SecurityPosture.objects.all()


def _pdf():
    from xiaoan.security.tests.support import pdf

    return pdf()


def test_the_dashboard_counts_this_years_declarations(persona, units, postures):
    district = persona("district_officer")
    section, found = figures(district, units[DISTRICT])
    this_year = SecurityPosture.objects.filter(year=year(), retired_at__isnull=True)
    assert found["declared"].value == this_year.count() == 5
    assert found["verified"].value == this_year.filter(status="verified").count() == 2
    assert found["submitted"].value == this_year.filter(status="submitted").count() == 1
    assert found["returned"].value == this_year.filter(status="returned").count() == 1
    met = this_year.filter(meets_all_q(), status="verified")
    assert found["met"].value == met.count() == 1
    schools = Unit.objects.filter(kind="school", path__startswith=units[DISTRICT].path).count()
    assert found["missing"].value == schools - 5 and found["missing"].bad
    assert "status=submitted" in found["submitted"].url
    unverified = sum(v.get("unverified", 0) for v in section.branches.values())
    unmet = sum(v.get("unmet", 0) for v in section.branches.values())
    assert unverified == this_year.exclude(status="verified").count() == 3
    assert unmet == 1  # 东沟镇中心小学: verified with no guard
    _section, mine = figures(persona("school_a_officer"), units[SCHOOL_A])
    assert (mine["declared"].value, mine["met"].value, mine["missing"].value) == (1, 1, 0)
    board = dashboard(persona("school_b_teacher"), units[SCHOOL_B].pk)
    assert "security" not in {s.key for s in board.sections}


def test_the_indicators_count_verified_declarations_only(units, postures):
    schools = [units[n] for n in (SCHOOL_A, SCHOOL_B, C, D, E, "梁子镇初级中学")]
    a, b, c, d, e, none = (s.pk for s in schools)
    got = closed(schools, year())
    assert got == {a: 100, b: 100, c: None, d: None, e: None, none: None}
    assert alarm_video(schools, year()) == {a: 100, b: 100, c: None, d: None, e: None, none: None}
    assert escort_post(schools, year())[a] == 100
    verified_ids = set(
        SecurityPosture.objects.filter(year=year(), status="verified").values_list(
            "unit_id", flat=True
        )
    )
    assert {k for k, v in got.items() if v is not None} == verified_ids
    assert closed(schools, year() - 1) == dict.fromkeys((s.pk for s in schools), None)
    indicator = Indicator.objects.get(code="security-escort-post", owner=None)
    cell = values.board(units[SCHOOL_A], year(), indicators=[indicator]).cells[0]
    assert cell.value == 100


def test_a_verified_declaration_short_of_a_measure_scores_zero(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    school = units[SCHOOL_A]
    posture = verified(officer, district, school, video_networked=False, escort_noon=False,
                       closed_management=False)  # fmt: skip
    assert closed([school], year()) == {school.pk: 0}
    assert alarm_video([school], year()) == {school.pk: 0}
    assert escort_post([school], year()) == {school.pk: 0}
    registers.update(SECURITY_POSTURES, officer, posture.pk, {"closed_management": True})
    assert closed([school], year()) == {school.pk: None}  # back to draft: not verified


def test_the_home_page_to_dos(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")

    def keys(user):
        return {t.key: t.count for t in todos_for(user)}

    assert keys(officer).get("security.declare") == 1  # nothing declared this year
    posture = declared(officer, units[SCHOOL_A])
    assert "security.declare" not in keys(officer)
    assert keys(district).get("security.verify") == 1
    assert "security.verify" not in keys(persona("school_a_head"))  # never its own school
    services.send_back(district, posture.pk, note="缺照片")
    assert keys(officer).get("security.returned") == 1
    assert "security.verify" not in keys(district)
    assert "security.returned" not in keys(district)
    assert not any(k.startswith("security") for k in keys(persona("school_b_teacher")))


def test_the_demo_fills_the_register_once(units):
    from xiaoan.security.demo import load_security

    made = load_security()
    assert made == SecurityPosture.objects.count() >= 10
    states = {s: SecurityPosture.objects.filter(status=s).count() for s in PostureStatus.values}
    assert states["verified"] >= 3 and states["returned"] == 1 and states["submitted"] >= 1
    assert load_security() == 0
