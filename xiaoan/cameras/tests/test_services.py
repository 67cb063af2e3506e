"""技防 rules through the register services: the point naming rule, checks as due dates,
scope and rights, retirement, history, coverage of key places."""

from __future__ import annotations

import pytest

from xiaoan.cameras.coverage import coverage_of, required_areas
from xiaoan.cameras.models import Camera, name_follows_rule, standard_name
from xiaoan.cameras.registers import ALARM_POINTS, CAMERAS
from xiaoan.cameras.tests.support import SCHOOL_A, SCHOOL_B, alarm, camera, days
from xiaoan.core import history, registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid
from xiaoan.core.models import DueDate

pytestmark = pytest.mark.django_db


def test_it_names_a_point_by_the_rule_when_left_empty(persona, units):
    item = camera(persona("school_a_officer"), units[SCHOOL_A])
    assert item.name == f"{SCHOOL_A}-南校门-朝南"
    assert standard_name(units[SCHOOL_A], "食堂", "east") == f"{SCHOOL_A}-食堂-朝东"
    assert name_follows_rule(f"{SCHOOL_A}-北门-朝北", units[SCHOOL_A])
    assert not name_follows_rule("北门摄像头", units[SCHOOL_A])
    assert not name_follows_rule(f"{SCHOOL_A}-北门", units[SCHOOL_A])
    assert not name_follows_rule(f"{SCHOOL_B}-北门-朝北", units[SCHOOL_A])


def test_it_refuses_a_name_against_the_rule(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as refused:
        camera(officer, units[SCHOOL_A], name="南门摄像头")
    assert "name" in refused.value.fields
    assert f"{SCHOOL_A}-南校门-朝南" in refused.value.fields["name"][0]
    assert not Camera.objects.exists()
    ok = camera(officer, units[SCHOOL_A], name=f"{SCHOOL_A}-南校门外-朝南")
    assert ok.name.endswith("南校门外-朝南")


def test_it_names_a_department_point_after_its_school(persona, units):
    item = camera(persona("school_a_officer"), units["政教处"], location="宿舍楼")
    assert item.name == f"{SCHOOL_A}-宿舍楼-朝南"


def test_it_checks_dates_and_results(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as future:
        camera(officer, units[SCHOOL_A], last_checked_on=days(2), last_check_result="passed")
    assert "last_checked_on" in future.value.fields
    with pytest.raises(Invalid) as no_result:
        camera(officer, units[SCHOOL_A], last_checked_on=days(-2))
    assert "last_check_result" in no_result.value.fields
    with pytest.raises(Invalid):
        alarm(officer, units[SCHOOL_A], last_tested_on=days(1))


def test_it_keeps_the_monthly_check_as_a_due_date(persona, units):
    officer = persona("school_a_officer")
    item = camera(officer, units[SCHOOL_A], last_checked_on=days(-25), last_check_result="passed")
    assert item.next_check_on == days(5)
    row = DueDate.objects.get(content_type=CAMERAS.content_type(), object_id=item.pk)
    assert row.due_on == days(5) and row.warn_on == days(-2)
    point = alarm(officer, units[SCHOOL_A], last_tested_on=days(-40))
    due = DueDate.objects.get(content_type=ALARM_POINTS.content_type(), object_id=point.pk)
    assert due.due_on == days(-10)
    registers.retire(CAMERAS, officer, item.pk, reason="拆除")
    assert not DueDate.objects.filter(content_type=CAMERAS.content_type()).exists()


def test_it_refuses_outside_the_scope_without_the_right_and_once_retired(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as outside:
        camera(officer, units[SCHOOL_B])
    assert "unit" in outside.value.fields
    with pytest.raises(Forbidden):
        camera(persona("auditor"), units[SCHOOL_A])
    other = camera(persona("district_officer"), units[SCHOOL_B])
    from xiaoan.core.errors import NotFound

    with pytest.raises(NotFound):
        registers.update(CAMERAS, officer, other.pk, {"status": "faulty"})
    item = camera(officer, units[SCHOOL_A])
    registers.retire(CAMERAS, officer, item.pk, reason="拆除")
    with pytest.raises(Conflict):
        registers.update(CAMERAS, officer, item.pk, {"status": "faulty"})


def test_it_keeps_the_history(persona, units):
    officer = persona("school_a_officer")
    item = camera(officer, units[SCHOOL_A])
    registers.update(CAMERAS, officer, item.pk, {"status": "faulty"})
    changes = [c.field for e in history.entries_for(item) for c in e.changes]
    assert any("运行状态" in str(f) for f in changes)


def test_it_covers_the_key_places_by_working_cameras(persona, units):
    officer = persona("school_a_officer")
    school = units[SCHOOL_A]
    assert required_areas(school) == ("gate", "dormitory", "canteen", "lab", "perimeter")
    assert "dormitory" not in required_areas(units[SCHOOL_B])
    camera(officer, school)
    camera(officer, units["政教处"], location="宿舍", key_area="dormitory")
    camera(officer, school, location="食堂", key_area="canteen", status="faulty")
    retired = camera(officer, school, location="实验室", key_area="lab")
    registers.retire(CAMERAS, officer, retired.pk, reason="拆除")
    camera(officer, school, location="教学楼", key_area="teaching")
    [row] = coverage_of([school])
    assert row.missing == ["canteen", "lab", "perimeter"]
    assert row.missing_labels == ["食堂", "实验室", "周界"]
    [none] = coverage_of([units[SCHOOL_B]])
    assert none.missing == ["gate", "canteen", "lab", "perimeter"]


def test_it_fills_the_demo_once(demo):
    from xiaoan.cameras.demo import load_cameras

    assert load_cameras() == {"cameras": 9, "alarms": 3}
    assert load_cameras() == {"cameras": 0, "alarms": 0}
