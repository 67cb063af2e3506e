"""The plan pages at work: import upload → review → confirm on both example documents (and a
refusal writing nothing), creating a plan and a task, reporting with evidence, and list query
counts that stay flat as the page fills."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoan.plans import forms, importing, services
from xiaoan.plans.choices import ImportStatus, PlanStatus, Progress
from xiaoan.plans.models import Assignment, Plan, PlanImport, Task
from xiaoan.plans.tests.support import DISTRICT, SCHOOL_A, make_plan

pytestmark = pytest.mark.django_db
EXAMPLES = Path("/work/shared/examples")


def _upload(client, units, name):
    data = (EXAMPLES / name).read_bytes()
    response = client.post(
        reverse("plans:plan_import"),
        {"unit": units[DISTRICT].pk, "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    pending = PlanImport.objects.get()
    assert response["Location"] == reverse("plans:import_review", args=[pending.pk])
    return pending


def _review_post(pending, units, drop_unmatched=True):
    suggestions = importing.suggest_units(pending.draft, units[DISTRICT])
    mapping = importing.default_mapping(suggestions)
    data = {"plan_title": pending.draft["plan_title"], "document_number": "梁教〔2024〕12号"}
    for index, s in enumerate(suggestions):
        chosen = mapping.get(s.written, importing.DROP if drop_unmatched else "")
        data[f"unit-{index}"] = chosen
    for index, task in enumerate(pending.draft["tasks"]):
        data[f"title-{index}"] = task["title"]
        data[f"deadlines-{index}"] = forms.deadline_lines(task["deadlines"])
    return data


@pytest.mark.parametrize(
    ("name", "tasks", "units_named"),
    [("district-plan-2024-2026.txt", 18, True), ("county-plan-2024-2026.txt", 5, False)],
)
def test_it_imports_an_example_through_review(client_for, units, name, tasks, units_named):
    client = client_for("district_officer")
    pending = _upload(client, units, name)
    page = client.get(reverse("plans:import_review", args=[pending.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert pending.draft["tasks"][0]["title"] in body
    if units_named:
        assert "梁子湖高中" in body and "发规股" in body
    data = _review_post(pending, units)
    data["title-0"] = "第一项（已核对）"
    response = client.post(reverse("plans:import_review", args=[pending.pk]), data)
    assert response.status_code == 302, response.content.decode()[:800]
    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:plan_detail", args=[plan.pk])
    assert plan.status == PlanStatus.ACTIVE
    assert plan.tasks.count() == tasks
    assert plan.tasks.get(seq=1).title == "第一项（已核对）"
    first_draft = pending.draft["tasks"][0]
    first = plan.tasks.get(seq=1)
    assert [d.date.isoformat() if d.date else None for d in first.deadlines.all()] == [
        d["date"] for d in first_draft["deadlines"]
    ]
    assert Assignment.objects.filter(task__plan=plan).exists()
    pending.refresh_from_db()
    assert pending.status == ImportStatus.CONFIRMED
    # The detail page shows the tasks and the progress table.
    detail = client.get(response["Location"]).content.decode()
    assert "progress-table" in detail
    # Coming back to the confirmed review leads to the plan.
    again = client.get(reverse("plans:import_review", args=[pending.pk]))
    assert again.status_code == 302


def test_it_keeps_the_review_and_writes_nothing_while_a_unit_is_unmapped(client_for, units):
    client = client_for("district_officer")
    pending = _upload(client, units, "district-plan-2024-2026.txt")
    data = _review_post(pending, units, drop_unmatched=False)
    response = client.post(reverse("plans:import_review", args=[pending.pk]), data)
    assert response.status_code == 400
    assert "还有单位未对应" in response.content.decode()
    assert not Plan.objects.exists() and not Task.objects.exists()
    pending.refresh_from_db()
    assert pending.status == ImportStatus.PENDING


def test_it_refuses_a_bad_deadline_on_review(client_for, units):
    client = client_for("district_officer")
    pending = _upload(client, units, "county-plan-2024-2026.txt")
    data = _review_post(pending, units)
    data["deadlines-2"] = "某天"
    response = client.post(reverse("plans:import_review", args=[pending.pk]), data)
    assert response.status_code == 400
    assert "无法识别的时限" in response.content.decode()
    assert not Plan.objects.exists()


def test_it_imports_pasted_text(client_for, units):
    client = client_for("district_officer")
    text = "工作要点\n二、重点任务\n1. 开展检查。每月一次。（牵头单位：安全股）（2026年6月）\n"
    response = client.post(reverse("plans:plan_import"), {"unit": units[DISTRICT].pk, "text": text})
    assert response.status_code == 302
    assert PlanImport.objects.get().draft["tasks"][0]["title"] == "开展检查"


def test_it_creates_a_plan_and_a_task_and_publishes(client_for, units):
    client = client_for("school_a_head")
    response = client.post(
        reverse("plans:plan_create"),
        {"unit": units[SCHOOL_A].pk, "title": "校园安全工作方案", "document_number": ""},
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    response = client.post(
        reverse("plans:task_create", args=[plan.pk]),
        {
            "title": "签订安全责任书",
            "deadlines": "上半年 2026-06-30\n长期坚持",
            "lead_units": [units["总务处"].pk],
            "all_below": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:800]
    task = plan.tasks.get()
    assert [d.kind for d in task.deadlines.all()] == ["date", "ongoing"]
    client.post(reverse("plans:plan_activate", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert task.assignments.count() == 3


def test_it_reports_progress_with_evidence_from_my_tasks(client_for, persona, units):
    _plan, named, _ = make_plan(persona, units)
    client = client_for("school_a_officer")
    page = client.get(reverse("plans:my_tasks")).content.decode()
    assert named.title in page
    assignment = named.assignments.get(unit=units[SCHOOL_A])
    response = client.post(
        reverse("plans:assignment_report", args=[assignment.pk]),
        {
            "status": "done",
            "progress": "100",
            "text": "已完成",
            "files": [
                SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
                SimpleUploadedFile("b.jpg", b"\xff\xd8\xff"),
            ],
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Progress.SUBMITTED  # awaits the district's review
    assert assignment.last_report.files.count() == 2
    evidence = assignment.last_report.files.first()
    download = client.get(reverse("plans:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"


def test_it_shows_the_nav_entry(client_for, units):
    page = client_for("school_a_owner").get(reverse("plans:plan_list")).content.decode()
    assert "工作方案" in page and reverse("plans:plan_list") in page


def _plans(persona, units, count):
    officer = persona("district_officer")
    for index in range(count):
        plan = services.create_plan(officer, unit=units[DISTRICT], title=f"方案{index}")
        services.save_task(officer, plan, title="任务", responsible_units=[units[SCHOOL_A].pk])
        services.activate_plan(officer, plan.pk)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "url", "api"),
    [
        ("district_officer", "plans:plan_list", False),
        ("school_a_officer", "plans:plan_list", False),
        ("school_a_officer", "plans:my_tasks", False),
        ("district_officer", "api:plan-list", True),
        ("school_a_officer", "api:plan-task-list", True),
        ("school_a_officer", "api:plan-assignment-list", True),
    ],
)
def test_list_query_counts_are_flat(client_for, api_for, persona, units, who, url, api):
    client = api_for(who) if api else client_for(who)
    _plans(persona, units, 2)
    client.get(reverse(url))  # the API client keeps its user: grants load on the first call
    few = _count(client, reverse(url))
    _plans(persona, units, 8)
    many = _count(client, reverse(url))
    assert few == many


def test_it_edits_a_plan_with_its_phases_and_shows_the_history(client_for, persona, units):
    plan, _named, _ = make_plan(persona, units)
    client = client_for("district_officer")
    response = client.post(
        reverse("plans:plan_edit", args=[plan.pk]),
        {
            "title": "改过的方案",
            "document_number": "梁教〔2024〕12号",
            "start_date": "2024-01-01",
            "end_date": "2026-12-31",
            "phases": "动员部署 2024-04-01 2024-04-30\n排查整治 2024-05-01 2024-12-31",
        },
    )
    assert response.status_code == 302, response.content.decode()[:800]
    plan.refresh_from_db()
    assert plan.title == "改过的方案"
    assert [p.name for p in plan.phases.all()] == ["动员部署", "排查整治"]
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "排查整治" in page and "变更记录" in page and "改过的方案" in page
    bad = client.post(
        reverse("plans:plan_edit", args=[plan.pk]),
        {"title": "x", "phases": "阶段 2024-05-01 2024-04-01"},
    )
    assert bad.status_code == 400
    assert plan.phases.count() == 2


def test_the_plan_page_query_count_is_flat_in_tasks(client_for, persona, units):
    officer = persona("district_officer")
    plan = services.create_plan(officer, unit=units[DISTRICT], title="方案")
    services.activate_plan(officer, plan.pk)

    def add(count):
        for _index in range(count):
            services.save_task(
                officer,
                plan,
                title="任务",
                deadlines=[{"date": "2026-06-30", "label": "上半年", "kind": "date"}],
                lead_units=[units["安全股"].pk],
                responsible_units=[units[SCHOOL_A].pk],
            )

    client = client_for("district_officer")
    url = reverse("plans:plan_detail", args=[plan.pk])
    add(2)
    few = _count(client, url)
    add(8)
    assert _count(client, url) == few


def test_it_lists_plans_as_phone_cards_too(persona, units, client_for):
    from xiaoan.plans.tests.support import make_plan

    plan, _named, _everyone = make_plan(persona, units)
    page = client_for("district_officer").get(reverse("plans:plan_list")).content.decode()
    cards = page[page.index('id="plan-cards"') : page.index("d-none d-md-block table-responsive")]
    assert plan.title in cards and "2 项任务" in cards and "梁教〔2024〕12号" in cards
    # Out of scope: another district's people see no card of it.
    other = client_for("uni_security").get(reverse("plans:plan_list")).content.decode()
    assert plan.title not in other
