"""Plans, tasks, cascade to schools and departments, progress reports and their roll-up,
the deadline pass and the responsibility rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.notifications.models import Notification
from xiaoan.orgs.models import Unit
from xiaoan.plans import review, services, tables
from xiaoan.plans.choices import PlanStatus, Progress
from xiaoan.plans.models import Assignment, Evidence, Plan, Task
from xiaoan.plans.tests.support import DISTRICT, SCHOOL_A, SCHOOL_B, make_plan

pytestmark = pytest.mark.django_db


def test_it_creates_a_draft_plan_without_assignments(persona, units):
    plan, named, _everyone = make_plan(persona, units, active=False)
    assert plan.status == PlanStatus.DRAFT
    assert plan.period == "2024–2026"
    assert named.due_on == dt.date(2026, 12, 31)
    assert not Assignment.objects.filter(task__plan=plan).exists()


def test_it_cascades_a_district_task_to_the_units_it_names(persona, units):
    plan, named, everyone = make_plan(persona, units)
    assert plan.status == PlanStatus.ACTIVE
    assert {a.unit.name for a in named.assignments.all()} == {"安全股", SCHOOL_A}
    schools = Unit.objects.filter(
        kind="school", path__startswith=units[DISTRICT].path, is_active=True
    )
    assert {a.unit_id for a in everyone.assignments.all()} == {u.pk for u in schools}
    assert units["鄂州职业大学"].pk not in {a.unit_id for a in everyone.assignments.all()}


def test_it_tells_each_assigned_unit_once(persona, units):
    make_plan(persona, units)
    officer_a = persona("school_a_officer")
    assert Notification.objects.filter(recipient=officer_a, kind="assigned").count() == 1


def test_it_cascades_a_school_task_to_every_department(persona, units):
    head = persona("school_a_head")
    plan = services.create_plan(head, unit=units[SCHOOL_A], title="校园安全工作方案")
    task = services.save_task(head, plan, title="落实岗位安全责任", all_below=True)
    services.activate_plan(head, plan.pk)
    assert {a.unit.name for a in task.assignments.all()} == {"政教处", "总务处", "教务处"}


def test_it_decomposes_a_school_assignment_and_rolls_up(persona, units):
    _plan, named, _ = make_plan(persona, units)
    school = named.assignments.get(unit=units[SCHOOL_A])
    child = services.decompose(persona("school_a_officer"), school.pk)
    assert child.parent_id == named.pk
    departments = list(child.assignments.all())
    assert len(departments) == 3
    owner = persona("school_a_owner")
    mine = child.assignments.get(unit=units["总务处"])
    services.report_progress(owner, mine.pk, text="已完成", status=Progress.DONE)
    school.refresh_from_db()
    assert school.progress == 0  # the claim moved it, but nothing is accepted yet
    reviewer = persona("school_a_officer")  # the school issued the departments' task
    review.accept_report(reviewer, mine.pk)
    school.refresh_from_db()
    assert school.status == Progress.IN_PROGRESS
    assert school.progress == 33
    for other in departments:
        if other.pk != mine.pk:
            services.report_progress(reviewer, other.pk, text="完成", status=Progress.DONE)
            review.accept_report(reviewer, other.pk)
    school.refresh_from_db()
    # All departments done is the school's report: the district still reviews it.
    assert school.status == Progress.SUBMITTED
    district = persona("district_officer")
    review.accept_report(district, school.pk)
    section = named.assignments.get(unit=units["安全股"])
    services.report_progress(district, section.pk, text="完成", status="done")
    review.accept_report(district, section.pk)
    named.refresh_from_db()
    assert (named.status, named.progress) == (Progress.DONE, 100)


def test_it_rolls_up_done_overdue_and_ongoing():
    today = dt.date(2026, 6, 1)
    done, ongoing = Progress.DONE, Progress.ONGOING
    assert services.rollup([(done, 100), (done, 100)], None, today) == (done, 100)
    assert services.rollup([(done, 100), ("in_progress", 50)], dt.date(2026, 5, 1), today) == (
        Progress.OVERDUE,
        75,
    )
    assert services.rollup([(done, 100), (ongoing, 0)], None, today)[0] == ongoing
    assert services.rollup([("not_started", 0)], None, today) == (Progress.NOT_STARTED, 0)
    assert services.rollup([], None, today) == (Progress.NOT_STARTED, 0)


def test_it_records_a_report_with_evidence(persona, units):
    plan, named, _ = make_plan(persona, units)
    assignment = named.assignments.get(unit=units[SCHOOL_A])
    upload = SimpleUploadedFile("责任书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    report = services.report_progress(
        persona("school_a_officer"),
        assignment.pk,
        text="已签订责任书",
        status=Progress.IN_PROGRESS,
        progress=60,
        files=[upload],
    )
    assignment.refresh_from_db()
    assert assignment.status == Progress.IN_PROGRESS
    assert assignment.progress == 60
    assert assignment.last_report_id == report.pk
    assert Evidence.objects.get(report=report).name == "责任书.pdf"
    named.refresh_from_db()
    plan.refresh_from_db()
    assert named.status == Progress.IN_PROGRESS
    assert plan.progress_status == Progress.IN_PROGRESS


def test_it_refuses_reports_from_others_and_bad_input(persona, units):
    _plan, named, _ = make_plan(persona, units)
    assignment = named.assignments.get(unit=units[SCHOOL_A])
    with pytest.raises(NotFound):
        services.report_progress(persona("uni_security"), assignment.pk, text="x", status="done")
    with pytest.raises(Forbidden):
        services.report_progress(persona("auditor"), assignment.pk, text="x", status="done")
    with pytest.raises(Invalid):
        services.report_progress(
            persona("school_a_officer"), assignment.pk, text="x", status="overdue"
        )
    bad = SimpleUploadedFile("x.exe", b"MZ")
    with pytest.raises(Invalid):
        services.report_progress(
            persona("school_a_officer"), assignment.pk, text="x", status="done", files=[bad]
        )
    assert not assignment.reports.exists()


def test_it_marks_overdue_and_warns_of_due_dates(persona, units):
    plan, named, everyone = make_plan(persona, units, due=dt.date(2026, 6, 30))
    result = services.daily(today=dt.date(2026, 6, 25))
    assert result == {"overdue": 0, "due_soon": 2}
    officer = persona("school_a_officer")
    assert Notification.objects.filter(recipient=officer, kind="due_soon").count() == 1
    assert services.daily(today=dt.date(2026, 6, 26))["due_soon"] == 0
    result = services.daily(today=dt.date(2026, 7, 1))
    assert result["overdue"] == 2
    named.refresh_from_db()
    plan.refresh_from_db()
    assert named.status == Progress.OVERDUE
    assert plan.progress_status == Progress.OVERDUE
    assert Notification.objects.filter(recipient=officer, kind="overdue").exists()
    # The ongoing task (立整立改 长期坚持) has no date: never overdue.
    assert everyone.due_on is None
    assert services.daily(today=dt.date(2030, 1, 1))["overdue"] == 0
    assert everyone.assignments.filter(status=Progress.OVERDUE).count() == 0
    assert services.daily(today=dt.date(2026, 7, 2))["overdue"] == 0
    # A late report keeps it overdue until done.
    assignment = named.assignments.get(unit=units[SCHOOL_A])
    services.report_progress(officer, assignment.pk, text="推进中", status="in_progress")
    assignment.refresh_from_db()
    assert assignment.status == Progress.OVERDUE


def test_it_runs_the_daily_command(persona, units, capsys):
    make_plan(persona, units, due=dt.date(2020, 1, 31))
    call_command("plans-daily")
    assert "逾期 2 项" in capsys.readouterr().out


def test_it_reports_ongoing_tasks_as_ongoing(persona, units):
    _plan, _named, everyone = make_plan(persona, units)
    for assignment in everyone.assignments.all():
        services.report_progress(
            persona("district_officer"), assignment.pk, text="长期坚持", status="ongoing"
        )
    everyone.refresh_from_db()
    assert everyone.status == Progress.ONGOING


def test_it_gives_the_responsibility_rows_in_table_order(persona, units):
    plan, _named, _everyone = make_plan(persona, units)
    rows = tables.responsibility_rows(plan)
    assert [r.seq for r in rows] == [1, 2]
    first = rows[0]
    assert first.task_text.startswith("严格落实学校主体责任。建立")
    assert first.deadline == "2026年12月31日"
    assert list(first.lead_units) == ["安全股"]
    assert list(first.responsible_units) == [SCHOOL_A]
    assert rows[1].deadline == "立行立改、长期坚持"
    assert list(rows[1].responsible_units) == ["全区中小学幼儿园"]


def test_it_keeps_plans_inside_the_issuers_scope(persona, units):
    with pytest.raises(Invalid):
        services.create_plan(persona("school_a_officer"), unit=units[DISTRICT], title="x")
    with pytest.raises(Forbidden):
        services.create_plan(persona("auditor"), unit=units[DISTRICT], title="x")
    plan, _n, _e = make_plan(persona, units, active=False)
    with pytest.raises(Invalid):
        services.save_task(
            persona("district_officer"),
            plan,
            title="x",
            responsible_units=[units["鄂州职业大学"].pk],
        )
    with pytest.raises(NotFound):
        services.update_plan(persona("uni_security"), plan.pk, title="y")


def test_it_re_cascades_an_edited_task(persona, units):
    plan, named, _ = make_plan(persona, units)
    services.save_task(
        persona("district_officer"),
        plan,
        task=named,
        title=named.title,
        responsible_units=[units[SCHOOL_B].pk],
    )
    assert {a.unit.name for a in named.assignments.all()} == {SCHOOL_B}
    assert Task.objects.get(pk=named.pk).due_on == plan.end_date
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE


def test_the_nightly_job_runs_the_deadline_pass(persona, units):
    from xiaoan.plans.tasks import daily_deadline_pass

    make_plan(persona, units, due=dt.date(2020, 1, 31))
    assert daily_deadline_pass.call_local() == {"overdue": 2, "due_soon": 0}


def test_it_writes_labelled_deadlines_the_way_lists_do(persona, units):
    plan, named, _ = make_plan(persona, units, active=False)
    services.save_task(
        persona("district_officer"),
        plan,
        task=named,
        title=named.title,
        deadlines=[
            {"date": "2026-06-30", "label": "上半年", "kind": "date"},
            {"date": "2026-12-31", "label": "下半年", "kind": "date"},
        ],
    )
    row = tables.responsibility_rows(plan)[0]
    assert row.deadline == "上半年：2026年6月30日；下半年：2026年12月31日"
    assert Task.objects.get(pk=named.pk).due_on == dt.date(2026, 12, 31)


def test_a_rolled_up_completion_tells_the_reviewers_and_stays_returned(persona, units):
    _plan, named, _ = make_plan(persona, units)
    school = named.assignments.get(unit=units[SCHOOL_A])
    officer = persona("school_a_officer")
    child = services.decompose(officer, school.pk)
    district = persona("district_officer")
    page = reverse("plans:assignment_report", args=[school.pk])
    before = Notification.objects.filter(recipient=district, kind="submitted", url=page).count()
    for department in child.assignments.all():
        services.report_progress(officer, department.pk, text="完成", status=Progress.DONE)
        review.accept_report(officer, department.pk)
    school.refresh_from_db()
    assert school.status == Progress.SUBMITTED
    # The issuer is told, as for a report the school made itself.
    told = Notification.objects.filter(recipient=district, kind="submitted", url=page)
    assert told.count() == before + 1
    review.return_report(district, school.pk, note="缺少佐证")
    school.refresh_from_db()
    assert school.status in (Progress.IN_PROGRESS, Progress.OVERDUE)
    # A recount is not a new report: the returned one stays returned …
    services.recompute(child)
    school.refresh_from_db()
    assert school.status in (Progress.IN_PROGRESS, Progress.OVERDUE)
    # … until a department reports again.
    department = child.assignments.first()
    services.report_progress(officer, department.pk, text="补充佐证", status=Progress.DONE)
    review.accept_report(officer, department.pk)
    school.refresh_from_db()
    assert school.status == Progress.SUBMITTED
