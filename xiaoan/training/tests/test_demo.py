"""`xiaoan demo` shows a trained district: sessions with attendance, coverage of the plans'
rule partly complete, a to-do for the school that has not recorded a session; once only."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from xiaoan.core.todos import todos_for
from xiaoan.training import services
from xiaoan.training.indicators import leader_training
from xiaoan.training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_trained_district_once(persona, units):
    from xiaoan.training.demo import load_training

    assert load_training() == 5
    assert load_training() == 0
    assert TrainingSession.objects.count() == 5
    assert Attendance.objects.filter(user__isnull=True).count() == 2
    for session in TrainingSession.objects.all():
        assert session.attendee_count == Attendance.objects.filter(session=session).count()
    district = persona("district_officer")
    result = services.coverage(district, units["梁子湖区教育局"], role=services.LEADERS)
    assert 0 < result.total.trained < result.total.total
    by_unit = {row.unit.name: row for row in result.rows}
    assert by_unit["东沟镇中心小学"].share == 100 and by_unit["梁子镇初级中学"].trained == 0
    assert by_unit["沼山镇中心学校"].trained == 1
    schools = [units["东沟镇中心小学"], units["梁子镇初级中学"]]
    year = timezone.localdate().year
    assert leader_training(schools, year) == {schools[0].pk: 100, schools[1].pk: 0}
    todo = next(t for t in todos_for(persona("school_a_officer")) if t.key == "training.unattended")
    assert todo.count == 1


def test_the_demo_command_reports_the_sessions(units):
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "安全培训：新建培训 5 场" in out.getvalue()
