"""Who may open which plan page and endpoint: in scope 200 (302 after a page POST), out of
scope 404, a permission held nowhere 403, anonymous to the login page (401/403 on the API).

School A's officer and head manage their school and report on its assignments; School A's
owner (总务处) reports on the department's assignments only; the district officer issues the
plan; the auditor views the district; the university and School B's teacher are outside."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoan.core.testing import LOGIN
from xiaoan.core.testing import check_page as _check
from xiaoan.core.testing import page_client as _client
from xiaoan.plans import importing, services
from xiaoan.plans.tests.support import SCHOOL_A, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(persona, units):
    plan, named, _everyone = make_plan(persona, units)
    school = named.assignments.get(unit=units[SCHOOL_A])
    report = services.report_progress(
        persona("school_a_officer"),
        school.pk,
        text="推进中",
        status="in_progress",
        progress=20,
        files=[SimpleUploadedFile("证明.pdf", b"%PDF-1.4")],
    )
    child = services.decompose(persona("school_a_officer"), school.pk)
    department = child.assignments.get(unit=units["总务处"])
    draft = importing.start_import(
        persona("district_officer"),
        unit=units["梁子湖区教育局"],
        text="工作要点\n二、重点任务\n1. 开展检查。每月一次。（2026年6月）\n",
    )
    return {
        "plan": plan,
        "task": named,
        "school": school,
        "department": department,
        "evidence": report.files.get(),
        "import": draft,
    }


GET_PAGES = [
    ("plan_list", None, "district_officer", 200),
    ("plan_list", None, "school_a_officer", 200),
    ("plan_list", None, "school_a_owner", 200),
    ("plan_list", None, "auditor", 200),
    ("plan_list", None, "uni_security", 200),
    ("plan_list", None, "school_b_teacher", 403),
    ("plan_list", None, "expert", 403),
    ("plan_list", None, None, LOGIN),
    ("plan_create", None, "district_officer", 200),
    ("plan_create", None, "school_a_head", 200),
    ("plan_create", None, "auditor", 403),
    ("plan_create", None, "school_a_owner", 403),
    ("plan_create", None, None, LOGIN),
    ("plan_import", None, "district_officer", 200),
    ("plan_import", None, "auditor", 403),
    ("plan_import", None, None, LOGIN),
    ("import_review", "import", "district_officer", 200),
    ("import_review", "import", "uni_security", 404),
    ("import_review", "import", "school_a_officer", 404),
    ("import_review", "import", "auditor", 403),
    ("import_review", "import", None, LOGIN),
    ("plan_detail", "plan", "district_officer", 200),
    ("plan_detail", "plan", "school_a_officer", 200),
    ("plan_detail", "plan", "school_a_owner", 200),
    ("plan_detail", "plan", "auditor", 200),
    ("plan_detail", "plan", "uni_security", 404),
    ("plan_detail", "plan", "school_b_teacher", 403),
    ("plan_detail", "plan", None, LOGIN),
    ("plan_edit", "plan", "district_officer", 200),
    ("plan_edit", "plan", "school_a_officer", 403),
    ("plan_edit", "plan", "auditor", 403),
    ("plan_edit", "plan", "uni_security", 404),
    ("plan_edit", "plan", None, LOGIN),
    ("task_create", "plan", "district_officer", 200),
    ("task_create", "plan", "school_a_head", 403),
    ("task_create", "plan", "uni_security", 404),
    ("task_detail", "task", "district_officer", 200),
    ("task_detail", "task", "school_a_officer", 200),
    ("task_detail", "task", "auditor", 200),
    ("task_detail", "task", "uni_security", 404),
    ("task_detail", "task", "school_b_teacher", 403),
    ("task_detail", "task", None, LOGIN),
    ("task_edit", "task", "district_officer", 200),
    ("task_edit", "task", "school_a_officer", 403),
    ("task_edit", "task", "uni_security", 404),
    ("my_tasks", None, "school_a_officer", 200),
    ("my_tasks", None, "school_a_owner", 200),
    ("my_tasks", None, "auditor", 403),
    ("my_tasks", None, "school_b_teacher", 403),
    ("my_tasks", None, None, LOGIN),
    ("assignment_report", "school", "school_a_officer", 200),
    ("assignment_report", "school", "district_officer", 200),
    ("assignment_report", "department", "school_a_owner", 200),
    ("assignment_report", "school", "school_a_owner", 404),
    ("assignment_report", "school", "auditor", 403),
    ("assignment_report", "school", "uni_security", 404),
    ("assignment_report", "school", None, LOGIN),
    ("evidence", "evidence", "school_a_officer", 200),
    ("evidence", "evidence", "auditor", 200),
    ("evidence", "evidence", "uni_security", 404),
    ("evidence", "evidence", "school_b_teacher", 403),
    ("evidence", "evidence", None, LOGIN),
]


@pytest.mark.parametrize(("name", "obj", "who", "expected"), GET_PAGES)
def test_it_guards_each_page(client_for, world, name, obj, who, expected):
    args = [world[obj].pk] if obj else []
    response = _client(client_for, who).get(reverse(f"plans:{name}", args=args))
    _check(response, expected)


POST_PAGES = [
    ("plan_activate", "plan", "district_officer", 302),
    ("plan_close", "plan", "district_officer", 302),
    ("plan_close", "plan", "school_a_officer", 403),
    ("plan_close", "plan", "uni_security", 404),
    ("plan_close", "plan", None, LOGIN),
    ("assignment_decompose", "school", "school_a_head", 302),
    ("assignment_decompose", "school", "school_a_owner", 403),
    ("assignment_decompose", "school", "auditor", 403),
    ("assignment_decompose", "school", "uni_security", 404),
    ("assignment_report", "school", "school_a_officer", 302),
    ("assignment_report", "school", "auditor", 403),
    ("assignment_report", "school", "uni_security", 404),
    ("assignment_report", "school", None, LOGIN),
    ("plan_edit", "plan", "school_a_officer", 403),
    ("plan_edit", "plan", "uni_security", 404),
    ("task_edit", "task", "school_a_head", 403),
    ("task_edit", "task", "uni_security", 404),
    ("task_create", "plan", "uni_security", 404),
    ("import_review", "import", "uni_security", 404),
    ("import_review", "import", "school_a_officer", 404),
    ("import_review", "import", "auditor", 403),
    ("import_review", "import", None, LOGIN),
]


@pytest.mark.parametrize(("name", "obj", "who", "expected"), POST_PAGES)
def test_it_guards_each_action(client_for, world, name, obj, who, expected):
    data = {"status": "in_progress", "progress": "50", "text": "进行中"}
    response = _client(client_for, who).post(reverse(f"plans:{name}", args=[world[obj].pk]), data)
    _check(response, expected)


def test_a_refused_write_changes_nothing(client_for, world):
    plan = world["plan"]
    _client(client_for, "uni_security").post(
        reverse("plans:plan_edit", args=[plan.pk]), {"title": "改名"}
    )
    _client(client_for, "uni_security").post(
        reverse("plans:import_review", args=[world["import"].pk]), {"plan_title": "x"}
    )
    plan.refresh_from_db()
    assert plan.title != "改名"
    world["import"].refresh_from_db()
    assert world["import"].status == "pending"


def test_a_refused_report_changes_nothing(client_for, world):
    school = world["school"]
    _client(client_for, "uni_security").post(
        reverse("plans:assignment_report", args=[school.pk]),
        {"status": "done", "progress": "100", "text": "x"},
    )
    school.refresh_from_db()
    assert school.status != "done"


API = [
    ("plan-list", None, "district_officer", 200),
    ("plan-list", None, "school_a_owner", 200),
    ("plan-list", None, "school_b_teacher", 403),
    ("plan-list", None, None, 401),
    ("plan-detail", "plan", "school_a_officer", 200),
    ("plan-detail", "plan", "auditor", 200),
    ("plan-detail", "plan", "uni_security", 404),
    ("plan-detail", "plan", "expert", 403),
    ("plan-detail", "plan", None, 401),
    ("plan-task-list", None, "school_a_officer", 200),
    ("plan-task-list", None, "school_b_teacher", 403),
    ("plan-task-list", None, None, 401),
    ("plan-task-detail", "task", "school_a_officer", 200),
    ("plan-task-detail", "task", "uni_security", 404),
    ("plan-task-detail", "task", "expert", 403),
    ("plan-assignment-list", None, "school_a_owner", 200),
    ("plan-assignment-list", None, "school_b_teacher", 403),
    ("plan-assignment-list", None, None, 401),
    ("plan-assignment-detail", "school", "district_officer", 200),
    ("plan-assignment-detail", "school", "school_a_officer", 200),
    ("plan-assignment-detail", "school", "school_a_owner", 404),
    ("plan-assignment-detail", "school", "uni_security", 404),
    ("plan-assignment-detail", "school", "school_b_teacher", 403),
]


def _check_api(response, expected):
    if expected == 401:  # session authentication first: DRF answers 403, not_authenticated
        assert response.status_code in (401, 403)
        assert response.json()["error"]["code"] == "not_authenticated"
    else:
        assert response.status_code == expected, response.content[:300]


def _api(api_for, who):
    return api_for(who) if who else APIClient()


@pytest.mark.parametrize(("name", "obj", "who", "expected"), API)
def test_it_guards_each_endpoint(api_for, world, name, obj, who, expected):
    args = [world[obj].pk] if obj else []
    response = _api(api_for, who).get(reverse(f"api:{name}", args=args))
    _check_api(response, expected)


API_REPORT = [
    ("school", "school_a_officer", 201),
    ("department", "school_a_owner", 201),
    ("school", "school_a_owner", 404),
    ("school", "auditor", 403),
    ("school", "uni_security", 404),
    ("school", None, 401),
]


@pytest.mark.parametrize(("obj", "who", "expected"), API_REPORT)
def test_it_guards_the_report_endpoint(api_for, world, obj, who, expected):
    response = _api(api_for, who).post(
        reverse("api:plan-assignment-report", args=[world[obj].pk]),
        {"status": "in_progress", "progress": 40, "text": "推进中"},
        format="multipart",
    )
    _check_api(response, expected)


def test_the_lists_show_only_what_is_in_scope(api_for, world):
    assert api_for("uni_security").get(reverse("api:plan-list")).json()["count"] == 0
    assert api_for("school_a_owner").get(reverse("api:plan-list")).json()["count"] == 1
    owner = api_for("school_a_owner").get(reverse("api:plan-assignment-list")).json()
    assert {row["unit"]["name"] for row in owner["results"]} == {"总务处"}


API_WRITES = [
    ("post", "plan-list", None, "district_officer", 201),
    ("post", "plan-list", None, "auditor", 403),
    ("post", "plan-list", None, "school_a_officer", 400),
    ("patch", "plan-detail", "plan", "district_officer", 200),
    ("patch", "plan-detail", "plan", "school_a_officer", 403),
    ("patch", "plan-detail", "plan", "uni_security", 404),
    ("patch", "plan-detail", "plan", "auditor", 403),
    ("post", "plan-activate", "plan", "district_officer", 409),  # already active: wrong state
    ("post", "plan-activate", "plan", "uni_security", 404),
    ("post", "plan-task-list", None, "district_officer", 201),
    ("post", "plan-task-list", None, "school_a_officer", 403),
    ("post", "plan-task-list", None, "uni_security", 404),
    ("post", "plan-task-list", None, "auditor", 403),
]


@pytest.mark.parametrize(("method", "name", "obj", "who", "expected"), API_WRITES)
def test_it_guards_each_write(api_for, units, world, method, name, obj, who, expected):
    args = [world[obj].pk] if obj else []
    body = {
        "plan-list": {"unit": units["梁子湖区教育局"].pk, "title": "新方案"},
        "plan-detail": {"title": "改名"},
        "plan-activate": {},
        "plan-task-list": {
            "plan": world["plan"].pk,
            "title": "新任务",
            "deadlines": [{"date": "2026-06-30", "label": "上半年", "kind": "date"}],
            "responsible_units": [units[SCHOOL_A].pk],
        },
    }[name]
    client = api_for(who)
    response = getattr(client, method)(reverse(f"api:{name}", args=args), body, format="json")
    _check_api(response, expected)
    if expected == 201 and name == "plan-task-list":
        assert response.json()["deadlines"][0]["label"] == "上半年"


@pytest.mark.parametrize(
    ("who", "expected"), [("district_officer", 200), ("auditor", 403), ("uni_security", 404)]
)
def test_it_guards_activating_a_draft_plan(api_for, persona, units, who, expected):
    draft = make_plan(persona, units, active=False)[0]
    response = api_for(who).post(reverse("api:plan-activate", args=[draft.pk]), {}, format="json")
    assert response.status_code == expected, response.content
