"""技防 on the dashboard (figures equal to counts of the records, coverage per school,
the ranking) and on the home page (checks due)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.cameras.figures import camera_section
from xiaoan.cameras.models import AlarmPoint, Camera
from xiaoan.cameras.tests.support import SCHOOL_A, SCHOOL_B, alarm, camera, days
from xiaoan.core.todos import todos_for
from xiaoan.reports.figures import Branch, Scope

pytestmark = pytest.mark.django_db


def scope_of(user, unit, schools=()):
    branches = tuple(Branch(s.pk, s.path, s.name, s.kind) for s in schools)
    return Scope(user, unit, True, timezone.localdate(), branches)


def test_the_dashboard_figures_equal_the_records(persona, units, client_for):
    officer, district = persona("school_a_officer"), persona("district_officer")
    camera(officer, units[SCHOOL_A])
    camera(officer, units[SCHOOL_A], location="食堂", key_area="canteen", platform_connected=False)
    camera(officer, units[SCHOOL_A], location="实验室", key_area="lab", status="faulty")
    camera(district, units[SCHOOL_B], platform_connected=False)
    alarm(officer, units[SCHOOL_A], police_linked=False)
    alarm(district, units[SCHOOL_B])
    bureau = units["梁子湖区教育局"]
    schools = [units[SCHOOL_A], units[SCHOOL_B]]
    section = camera_section(scope_of(district, bureau, schools))
    figures = {f.key: f.value for f in section.figures}
    live = Camera.objects.filter(retired_at__isnull=True)
    assert figures["total"] == live.count() == 4
    assert figures["not_connected"] == live.filter(platform_connected=False).count() == 2
    assert figures["faulty"] == live.filter(status="faulty").count() == 1
    assert figures["alarm_total"] == AlarmPoint.objects.count() == 2
    assert figures["alarm_not_linked"] == 1
    from xiaoan.orgs.models import Unit

    every_school = Unit.objects.filter(kind="school", is_active=True, path__startswith=bureau.path)
    assert figures["uncovered_schools"] == every_school.count()  # none covers all five
    a, b = units[SCHOOL_A], units[SCHOOL_B]
    # A (boarding): dormitory, lab (faulty) and perimeter uncovered; B: canteen, lab, perimeter.
    assert section.branches[a.path] == {"not_connected": 1, "faulty": 1, "uncovered": 3}
    assert section.branches[b.path] == {"not_connected": 1, "faulty": 0, "uncovered": 3}
    page = client_for("district_officer").get(reverse("reports:dashboard"))
    body = page.content.decode()
    assert page.status_code == 200 and "技防设施" in body and "重点部位未全覆盖的学校" in body


def test_a_school_covering_every_key_place_is_not_counted(persona, units):
    officer = persona("district_officer")
    school = units[SCHOOL_B]  # a day school: no dormitory needed
    for area in ("gate", "canteen", "lab", "perimeter"):
        camera(officer, school, location=area, key_area=area)
    section = camera_section(Scope(officer, school, False, timezone.localdate()))
    assert {f.key: f.value for f in section.figures}["uncovered_schools"] == 0
    assert section.tables == []


def test_the_section_is_only_for_those_who_may_see_cameras(persona, units):
    scope = Scope(persona("expert"), units[SCHOOL_A], False, timezone.localdate())
    assert camera_section(scope) is None


def test_checks_due_are_on_the_home_page(persona, units):
    officer = persona("school_a_officer")
    camera(officer, units[SCHOOL_A], last_checked_on=days(-28), last_check_result="passed")
    alarm(officer, units[SCHOOL_A], last_tested_on=days(-40))
    keys = {t.key for t in todos_for(officer)}
    assert {"cameras.due", "alarm_points.due"} <= keys
    assert not any(t.key.startswith("cameras") for t in todos_for(persona("school_b_teacher")))


def test_the_daily_job_warns_of_checks_due(persona, units):
    from xiaoan.core.register_due import daily

    camera(
        persona("school_a_officer"), units[SCHOOL_A], last_checked_on=days(-25),
        last_check_result="passed",
    )  # fmt: skip
    assert daily(days(0))["due_soon"] == 1
    assert daily(days(0))["due_soon"] == 0
