"""Due dates: kept on every save, warned once per item and date by the daily job, shown in
the home to-dos and the list's due filter."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from xiaoan.buildings.registers import BUILDINGS
from xiaoan.buildings.tests.support import SCHOOL_A, SCHOOL_B, days, make
from xiaoan.core import register_due, registers
from xiaoan.core.models import DueDate
from xiaoan.core.todos import todos_for
from xiaoan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def appraised(persona, units, due, **kw):
    return make(
        persona("school_a_officer"),
        units[SCHOOL_A],
        appraisal_grade="B",
        appraised_on=days(-300),
        next_appraisal_on=due,
        **kw,
    )


def test_it_keeps_the_due_row_with_the_item(persona, units):
    building = appraised(persona, units, days(100))
    row = DueDate.objects.get()
    assert row.due_on == days(100) and row.warn_on == days(70) and row.unit == units[SCHOOL_A]
    officer = persona("school_a_officer")
    registers.update(BUILDINGS, officer, building.pk, {"next_appraisal_on": days(10)})
    assert DueDate.objects.get().due_on == days(10)
    registers.update(BUILDINGS, officer, building.pk, {"next_appraisal_on": None})
    assert not DueDate.objects.exists()
    registers.update(BUILDINGS, officer, building.pk, {"next_appraisal_on": days(5)})
    registers.retire(BUILDINGS, officer, building.pk, reason="拆除")
    assert not DueDate.objects.exists()


def test_it_warns_once_per_item_and_date(persona, units):
    building = appraised(persona, units, days(10))
    appraised(persona, units, days(200), name="远期楼", code="FAR")
    first = register_due.daily()
    assert first["due_soon"] == 1 and first["notifications"] >= 2
    officer = persona("school_a_officer")
    notes = Notification.objects.filter(recipient=officer, kind="due_soon")
    assert notes.count() == 1 and "一楼一档" in notes.get().title
    # District people are not the school's keepers.
    assert not Notification.objects.filter(recipient=persona("district_officer")).exists()
    again = register_due.daily()
    assert again["due_soon"] == 0 and again["notifications"] == 0
    # A new date is a new warning.
    registers.update(BUILDINGS, officer, building.pk, {"next_appraisal_on": days(5)})
    assert register_due.daily()["due_soon"] == 1


def test_it_warns_once_more_when_past(persona, units):
    appraised(persona, units, days(3))
    register_due.daily()
    assert register_due.daily(days(4))["overdue"] == 1
    assert register_due.daily(days(5))["overdue"] == 0
    assert Notification.objects.filter(kind="overdue").count() >= 1


def test_the_command_runs_the_job(persona, units, capsys):
    appraised(persona, units, days(3))
    call_command("registers-daily", "--json")
    assert '"due_soon": 1' in capsys.readouterr().out
    call_command("registers-daily")
    assert "即将到期 0 项" in capsys.readouterr().out


def test_it_shows_in_the_home_todos_and_the_due_filter(persona, units, client_for):
    appraised(persona, units, days(-2))
    appraised(persona, units, days(20), name="2号楼", code="B2")
    appraised(persona, units, days(300), name="3号楼", code="B3")
    make(
        persona("district_officer"),
        units[SCHOOL_B],
        next_appraisal_on=days(1),
        appraisal_grade="A",
        appraised_on=days(-10),
        name="东沟楼",
    )
    todo = next(t for t in todos_for(persona("school_a_officer")) if t.key == "buildings.due")
    assert todo.count == 2 and todo.late == 1
    # The district's officer supervises; the schools keep their own files.
    assert not [t for t in todos_for(persona("district_officer")) if t.key == "buildings.due"]
    assert not [t for t in todos_for(persona("auditor")) if t.key == "buildings.due"]
    client = client_for("school_a_officer")
    url = reverse("buildings:buildingfile_list")
    soon = client.get(url, {"due": "soon"}).content.decode()
    assert "2号楼" in soon and "3号楼" not in soon
    late = client.get(url, {"due": "overdue"}).content.decode()
    assert "1号教学楼" in late and "2号楼" not in late
    home = client.get(reverse("core:home")).content.decode()
    assert "一楼一档即将到期或已过期" in home
