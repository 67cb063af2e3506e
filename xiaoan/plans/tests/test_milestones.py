"""Each deadline of a task with several (上半年 / 下半年) is enforced per assignment: a missed
first milestone makes the assignment overdue though the last is months away; a report naming
it lifts that until the next one passes. Pages and the API show the next or missed one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.plans import services
from xiaoan.plans.choices import Progress
from xiaoan.plans.models import Assignment, ProgressReport
from xiaoan.plans.tests.support import DISTRICT, SCHOOL_A

pytestmark = pytest.mark.django_db


def _two_milestones(persona, units, first_days=-10, second_days=100):
    today = timezone.localdate()
    officer = persona("district_officer")
    plan = services.create_plan(
        officer,
        unit=units[DISTRICT],
        title="防溺水防欺凌专项方案",
        start_date=dt.date(today.year - 1, 1, 1),
        end_date=today + dt.timedelta(days=365),
    )
    first = today + dt.timedelta(days=first_days)
    second = today + dt.timedelta(days=second_days)
    task = services.save_task(
        officer,
        plan,
        title="开展专项排查",
        deadlines=[
            {"date": first.isoformat(), "label": "上半年", "kind": "date"},
            {"date": second.isoformat(), "label": "下半年", "kind": "date"},
        ],
        responsible_units=[units[SCHOOL_A].pk],
    )
    services.activate_plan(officer, plan.pk)
    assignment = Assignment.objects.get(task=task, unit=units[SCHOOL_A])
    first_m, second_m = task.deadlines.order_by("date")
    return plan, task, assignment, first_m, second_m


def test_it_marks_overdue_when_the_first_milestone_is_missed(persona, units, client_for):
    plan, task, assignment, first, _second = _two_milestones(persona, units)
    assert task.due_on > timezone.localdate()  # the last deadline is still ahead
    assert assignment.due_on == first.date
    assert assignment.current_status == Progress.OVERDUE

    assert services.mark_overdue()["overdue"] == 1
    assignment.refresh_from_db()
    assert assignment.status == Progress.OVERDUE
    assert assignment.events.last().note == "上半年"

    page = client_for("district_officer").get(reverse("plans:plan_detail", args=[plan.pk]))
    grid = page.content.decode().split('id="progress-table"')[1]
    assert "未完成节点：上半年" in grid
    mine = client_for("school_a_officer").get(reverse("plans:my_tasks")).content.decode()
    assert "未完成节点：上半年" in mine
    task_page = client_for("district_officer").get(reverse("plans:task_detail", args=[task.pk]))
    assert "未完成节点：上半年" in task_page.content.decode()


def test_it_lifts_overdue_when_the_missed_milestone_is_reported(persona, units):
    _plan, _task, assignment, first, second = _two_milestones(persona, units)
    services.mark_overdue()
    services.report_progress(
        persona("school_a_officer"),
        assignment.pk,
        text="上半年排查完成",
        status=Progress.IN_PROGRESS,
        progress=50,
        milestone=first.pk,
    )
    assignment.refresh_from_db()
    assert assignment.status == assignment.current_status == Progress.IN_PROGRESS
    assert assignment.due_on == second.date
    assert services.mark_overdue()["overdue"] == 0
    # Once the second passes unmet, overdue again.
    later = second.date + dt.timedelta(days=1)
    assert services.mark_overdue(later)["overdue"] == 1
    assignment.refresh_from_db()
    assert assignment.status == Progress.OVERDUE


def test_it_waits_for_the_first_milestone_before_it_is_due(persona, units, client_for):
    _plan, _task, assignment, first, _second = _two_milestones(
        persona, units, first_days=5, second_days=100
    )
    assert assignment.current_status == Progress.NOT_STARTED
    assert services.mark_overdue()["overdue"] == 0
    mine = client_for("school_a_officer").get(reverse("plans:my_tasks")).content.decode()
    assert "下一节点：上半年" in mine
    assert services.mark_overdue(first.date + dt.timedelta(days=1))["overdue"] == 1


def test_it_refuses_a_milestone_of_another_task_or_one_already_met(persona, units, api_for):
    plan, _task, assignment, first, _second = _two_milestones(persona, units)
    other = services.save_task(
        persona("district_officer"),
        plan,
        title="另一项任务",
        deadlines=[{"date": "2030-01-01", "label": "", "kind": "date"}],
        responsible_units=[units[SCHOOL_A].pk],
    )
    url = reverse("api:plan-assignment-report", args=[assignment.pk])
    client = api_for("school_a_officer")
    wrong = client.post(
        url,
        {"text": "x", "status": "in_progress", "milestone": other.deadlines.get().pk},
        format="json",
    )
    assert wrong.status_code == 400
    assert "milestone" in wrong.json()["error"]["fields"]
    assert not ProgressReport.objects.filter(assignment=assignment).exists()
    ok = client.post(
        url, {"text": "完成", "status": "in_progress", "milestone": first.pk}, format="json"
    )
    assert ok.status_code == 201, ok.content
    again = client.post(
        url, {"text": "再报", "status": "in_progress", "milestone": first.pk}, format="json"
    )
    assert again.status_code == 400 and "milestone" in again.json()["error"]["fields"]


def test_it_shows_milestones_in_the_api(persona, units, api_for):
    _plan, _task, assignment, first, second = _two_milestones(persona, units)
    services.report_progress(
        persona("school_a_officer"),
        assignment.pk,
        text="上半年完成",
        status=Progress.IN_PROGRESS,
        milestone=first.pk,
    )
    body = api_for("school_a_officer").get(
        reverse("api:plan-assignment-detail", args=[assignment.pk])
    )
    assert body.status_code == 200
    data = body.json()
    assert [(m["label"], m["state"]) for m in data["milestones"]] == [
        ("上半年", "met"),
        ("下半年", "open"),
    ]
    assert data["due_on"] == second.date.isoformat()
    assert data["last_report"]["milestone"] == first.pk
    # Out of scope: another school's people do not see it.
    refused = api_for("school_b_teacher").get(
        reverse("api:plan-assignment-detail", args=[assignment.pk])
    )
    assert refused.status_code in (403, 404)


def test_it_reports_a_milestone_on_the_page_and_keeps_it_when_the_task_is_edited(
    persona, units, client_for
):
    plan, task, assignment, first, second = _two_milestones(persona, units)
    client = client_for("school_a_officer")
    url = reverse("plans:assignment_report", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert 'name="milestone"' in page and "上半年" in page
    response = client.post(
        url,
        {
            "version": assignment.version,
            "status": "in_progress",
            "progress": 40,
            "text": "上半年排查已完成",
            "milestone": str(first.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment.refresh_from_db()
    assert assignment.due_on == second.date
    # Editing the task rewrites its deadlines in place: the report still names 上半年.
    services.save_task(
        persona("district_officer"),
        plan,
        task=task,
        title="开展专项排查（修订）",
        deadlines=[
            {"date": first.date.isoformat(), "label": "上半年", "kind": "date"},
            {"date": second.date.isoformat(), "label": "下半年", "kind": "date"},
        ],
        responsible_units=[units[SCHOOL_A].pk],
    )
    report = ProgressReport.objects.get(assignment=assignment)
    assert report.milestone_id == first.pk
    assignment.refresh_from_db()
    assert assignment.due_on == second.date
    assert "完成节点" in client.get(url).content.decode()


def test_it_turns_existing_reports_into_met_milestones(persona, units):
    """The data migration: a report made before a passed milestone stands for it."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("xiaoan.plans.migrations.0004_milestones")
    _plan, _task, assignment, first, second = _two_milestones(persona, units)
    report = services.report_progress(
        persona("school_a_officer"), assignment.pk, text="旧的报送", status=Progress.IN_PROGRESS
    )
    old = timezone.now() - dt.timedelta(days=20)
    ProgressReport.objects.filter(pk=report.pk).update(created_at=old)
    Assignment.objects.filter(pk=assignment.pk).update(due_on=second.date)
    migration.to_milestones(apps, None)
    report.refresh_from_db()
    assignment.refresh_from_db()
    assert report.milestone_id == first.pk
    assert assignment.due_on == second.date
    migration.back_to_last(apps, None)
    assignment.refresh_from_db()
    assert assignment.due_on == second.date  # the task's last deadline
