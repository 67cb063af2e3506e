"""The plan and assignment workflows (xiaoan.plans.workflow), on the API and the pages: each
action writes one event and bumps the version; a wrong state or a stale version is 409 (a
message on the record page); out of scope 404; in scope without the right 403; the
timelines show; and `allowed_actions` offers exactly what the services accept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from xiaoan.core.errors import ServiceError
from xiaoan.plans import review, services
from xiaoan.plans.choices import AssignmentAction, PlanAction, PlanStatus, Progress
from xiaoan.plans.models import Assignment, AssignmentEvent, Plan, PlanEvent
from xiaoan.plans.tests.support import SCHOOL_A, make_plan
from xiaoan.plans.workflow import ASSIGNMENT, PLAN

pytestmark = pytest.mark.django_db

PEOPLE = [
    "district_officer",
    "school_a_head",
    "school_a_officer",
    "school_a_owner",
    "auditor",
    "uni_security",
]


def _events(plan: Plan) -> list[str]:
    return list(PlanEvent.objects.filter(plan=plan).values_list("action", flat=True))


def _assignment_events(assignment: Assignment) -> list[str]:
    return list(
        AssignmentEvent.objects.filter(assignment=assignment).values_list("action", flat=True)
    )


@pytest.fixture
def draft(persona, units):
    return make_plan(persona, units, active=False)[0]


@pytest.fixture
def active(persona, units):
    plan, named, _ = make_plan(persona, units)
    return plan, named.assignments.get(unit=units[SCHOOL_A])


# ---------------------------------------------------------------- plan: API


def test_it_writes_the_creation_event(draft):
    event = PlanEvent.objects.get(plan=draft)
    assert event.action == PlanAction.CREATE and event.actor.username == "district_officer"
    assert draft.version == 1


def test_it_publishes_through_the_api_with_one_event(api_for, draft):
    response = api_for("district_officer").post(
        reverse("api:plan-activate", args=[draft.pk]), {"version": draft.version}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == PlanStatus.ACTIVE and body["version"] == draft.version + 1
    assert body["allowed_actions"] == ["close"]
    assert [e["action"] for e in body["events"]] == ["create", "activate"]
    assert _events(draft) == ["create", "activate"]
    # Each assignment starts its own history.
    assignment = Assignment.objects.filter(task__plan=draft).first()
    assert _assignment_events(assignment) == [AssignmentAction.ASSIGN]


def test_it_closes_through_the_api(api_for, active):
    plan, _ = active
    response = api_for("district_officer").post(
        reverse("api:plan-close", args=[plan.pk]), {"note": "三年行动结束"}, format="json"
    )
    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    event = PlanEvent.objects.filter(plan=plan).last()
    assert (event.action, event.from_status, event.to_status, event.note) == (
        "close",
        "active",
        "closed",
        "三年行动结束",
    )


@pytest.mark.parametrize(("name", "state"), [("activate", "active"), ("close", "draft")])
def test_it_answers_409_for_a_wrong_state(api_for, draft, active, name, state):
    plan = active[0] if state == "active" else draft
    before = (_events(plan), plan.version)
    response = api_for("district_officer").post(
        reverse(f"api:plan-{name}", args=[plan.pk]), {}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    plan.refresh_from_db()
    assert (_events(plan), plan.version) == before


def test_it_answers_409_for_a_stale_version(api_for, draft):
    response = api_for("district_officer").post(
        reverse("api:plan-activate", args=[draft.pk]),
        {"version": draft.version - 1},
        format="json",
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT and _events(draft) == ["create"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("uni_security", 404), ("school_a_officer", 403), ("auditor", 403), ("district_officer", 200)],
)
def test_it_guards_closing_on_the_api(api_for, active, who, expected):
    plan, _ = active
    response = api_for(who).post(reverse("api:plan-close", args=[plan.pk]), {}, format="json")
    assert response.status_code == expected, response.content


# ---------------------------------------------------------------- plan: pages


def test_it_publishes_on_the_page_and_shows_the_timeline(client_for, draft):
    client = client_for("district_officer")
    page = client.get(reverse("plans:plan_detail", args=[draft.pk])).content.decode()
    assert reverse("plans:plan_activate", args=[draft.pk]) in page
    assert reverse("plans:plan_close", args=[draft.pk]) not in page
    response = client.post(
        reverse("plans:plan_activate", args=[draft.pk]), {"version": draft.version}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("plans:plan_detail", args=[draft.pk])
    body = response.content.decode()
    assert "方案记录" in body and "record-timeline" in body and "下发" in body
    assert reverse("plans:plan_close", args=[draft.pk]) in body
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ACTIVE and draft.version == 2
    assert _events(draft) == ["create", "activate"]


def test_it_offers_no_plan_action_to_an_assignee(client_for, active):
    plan, _ = active
    page = client_for("school_a_officer").get(reverse("plans:plan_detail", args=[plan.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "record-timeline" in body
    assert reverse("plans:plan_close", args=[plan.pk]) not in body


def test_a_wrong_state_on_the_page_is_a_message(client_for, draft):
    response = client_for("district_officer").post(
        reverse("plans:plan_close", args=[draft.pk]), {"version": draft.version}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("plans:plan_detail", args=[draft.pk])
    assert "不能执行" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT and _events(draft) == ["create"]


def test_a_stale_version_on_the_page_is_a_message(client_for, draft):
    response = client_for("district_officer").post(
        reverse("plans:plan_activate", args=[draft.pk]), {"version": 0}, follow=True
    )
    assert "已被他人处理" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


@pytest.mark.parametrize(
    ("who", "expected"), [("uni_security", 404), ("school_a_officer", 403), ("auditor", 403)]
)
def test_it_guards_publishing_on_the_page(client_for, draft, active, who, expected):
    plan = active[0] if who == "school_a_officer" else draft
    response = client_for(who).post(reverse("plans:plan_activate", args=[plan.pk]), {})
    assert response.status_code == expected


# ---------------------------------------------------------------- assignment: report


def test_it_reports_through_the_api_with_one_event(api_for, active):
    _, school = active
    response = api_for("school_a_officer").post(
        reverse("api:plan-assignment-report", args=[school.pk]),
        {"status": "in_progress", "progress": 30, "text": "已部署", "version": school.version},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "in_progress" and body["version"] == school.version + 1
    assert body["last_report"]["text"] == "已部署"
    event = AssignmentEvent.objects.filter(assignment=school).last()
    assert (event.action, event.from_status, event.to_status) == (
        "report",
        "not_started",
        "in_progress",
    )
    assert event.note == "已部署" and event.data["progress"] == 30
    assert _assignment_events(school) == ["assign", "report"]


def test_a_stale_report_is_409(api_for, active):
    _, school = active
    response = api_for("school_a_officer").post(
        reverse("api:plan-assignment-report", args=[school.pk]),
        {"status": "done", "text": "完成", "version": school.version + 3},
        format="json",
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    school.refresh_from_db()
    assert school.status == Progress.NOT_STARTED


def test_reporting_on_a_closed_plan_is_409(api_for, persona, active):
    plan, school = active
    services.close_plan(persona("district_officer"), plan.pk)
    response = api_for("school_a_officer").post(
        reverse("api:plan-assignment-report", args=[school.pk]),
        {"status": "done", "text": "完成"},
        format="json",
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("uni_security", 404), ("school_a_owner", 404), ("auditor", 403), ("school_a_head", 201)],
)
def test_it_guards_reporting_on_the_api(api_for, active, who, expected):
    _, school = active
    response = api_for(who).post(
        reverse("api:plan-assignment-report", args=[school.pk]),
        {"status": "in_progress", "text": "推进"},
        format="json",
    )
    assert response.status_code == expected, response.content


def test_it_reports_on_the_page_and_shows_the_timeline(client_for, active):
    _, school = active
    client = client_for("school_a_officer")
    url = reverse("plans:assignment_report", args=[school.pk])
    page = client.get(url).content.decode()
    assert "任务记录" in page and "下达任务" in page and 'name="version"' in page
    response = client.post(
        url, {"status": "done", "progress": "100", "text": "已完成", "version": school.version}
    )
    assert response.status_code == 302 and response["Location"] == url
    body = client.get(url).content.decode()
    assert "报送进展" in body and "进度 100%" in body
    school.refresh_from_db()
    assert school.status == Progress.SUBMITTED and school.version == 2


def test_a_stale_report_on_the_page_is_a_message(client_for, active):
    _, school = active
    url = reverse("plans:assignment_report", args=[school.pk])
    response = client_for("school_a_officer").post(
        url, {"status": "done", "progress": "100", "text": "已完成", "version": 0}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert "已被他人报送或处理" in response.content.decode()
    school.refresh_from_db()
    assert school.status == Progress.NOT_STARTED


def test_a_refused_report_keeps_what_was_typed(client_for, active):
    _, school = active
    response = client_for("school_a_officer").post(
        reverse("plans:assignment_report", args=[school.pk]),
        {"status": "in_progress", "progress": "30", "text": "   ", "version": school.version},
    )
    assert response.status_code == 400


# ---------------------------------------------------------------- assignment: decompose


def test_it_decomposes_through_the_api(api_for, units, active):
    _, school = active
    response = api_for("school_a_head").post(
        reverse("api:plan-assignment-decompose", args=[school.pk]),
        {"units": [units["总务处"].pk], "version": school.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    event = AssignmentEvent.objects.get(assignment=school, action="decompose")
    assert event.note == "总务处" and event.actor.username == "school_a_head"


@pytest.mark.parametrize(
    ("who", "expected"), [("uni_security", 404), ("school_a_owner", 403), ("auditor", 403)]
)
def test_it_guards_decomposing(api_for, client_for, active, who, expected):
    _, school = active
    api = api_for(who).post(
        reverse("api:plan-assignment-decompose", args=[school.pk]), {}, format="json"
    )
    page = client_for(who).post(reverse("plans:assignment_decompose", args=[school.pk]), {})
    assert (api.status_code, page.status_code) == (expected, expected)


# ---------------------------------------------------------------- system steps


def test_the_daily_pass_writes_an_overdue_event_without_actor(persona, units):
    _, named, _ = make_plan(persona, units, due=dt.date(2025, 1, 31))
    school = named.assignments.get(unit=units[SCHOOL_A])
    services.mark_overdue(dt.date(2025, 2, 1))
    school.refresh_from_db()
    assert school.status == Progress.OVERDUE and school.version == 2
    event = AssignmentEvent.objects.filter(assignment=school).last()
    assert (event.action, event.actor, event.to_status) == ("overdue", None, "overdue")
    services.mark_overdue(dt.date(2025, 2, 1))  # twice a day: nothing more
    assert _assignment_events(school) == ["assign", "overdue"]


def test_a_decomposed_assignment_follows_its_departments(persona, units, active):
    _, school = active
    child = services.decompose(persona("school_a_head"), school.pk, [units["总务处"].pk])
    department = child.assignments.get()
    services.report_progress(persona("school_a_owner"), department.pk, text="完成", status="done")
    review.accept_report(persona("school_a_head"), department.pk)
    school.refresh_from_db()
    assert school.status == Progress.SUBMITTED
    event = AssignmentEvent.objects.filter(assignment=school).last()
    assert (event.action, event.actor, event.to_status) == ("rollup", None, "submitted")


# ---------------------------------------------------------------- allowed_actions


class _Undo(Exception):
    pass


def _accepted(call, *args) -> bool:
    """Whether the service accepts the call (undone either way)."""
    try:
        with transaction.atomic():
            call(*args)
            raise _Undo
    except _Undo:
        return True
    except ServiceError:
        return False


PLAN_CALLS = {
    "activate": lambda actor, pk: services.activate_plan(actor, pk),
    "close": lambda actor, pk: services.close_plan(actor, pk),
}


@pytest.mark.parametrize("state", [PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.CLOSED])
def test_allowed_plan_actions_are_what_the_services_accept(persona, units, state):
    officer = persona("district_officer")
    plan = make_plan(persona, units, active=state != PlanStatus.DRAFT)[0]
    if state == PlanStatus.CLOSED:
        services.close_plan(officer, plan.pk)
    assert set(PLAN_CALLS) == set(PLAN.actions)
    offered_somewhere = False
    for who in PEOPLE:
        actor = persona(who)
        plan.refresh_from_db()
        offered = PLAN.allowed_names(actor, plan)
        for name, call in PLAN_CALLS.items():
            accepted = _accepted(call, actor, plan.pk)
            assert (name in offered) == accepted, (state, who, name)
            offered_somewhere |= accepted
    assert offered_somewhere == (state != PlanStatus.CLOSED)


def _assignment_calls(units):
    return {
        "report": lambda actor, pk: services.report_progress(
            actor, pk, text="推进中", status="in_progress", progress=10
        ),
        "decompose": lambda actor, pk: services.decompose(actor, pk, [units["总务处"].pk]),
        "accept": lambda actor, pk: review.accept_report(actor, pk),
        "return_report": lambda actor, pk: review.return_report(actor, pk, note="佐证不足"),
    }


@pytest.mark.parametrize(
    "state",
    [
        Progress.NOT_STARTED,
        Progress.IN_PROGRESS,
        Progress.SUBMITTED,
        Progress.DONE,
        Progress.OVERDUE,
        "closed plan",
    ],
)
def test_allowed_assignment_actions_are_what_the_services_accept(persona, units, active, state):
    plan, school = active
    calls = _assignment_calls(units)
    assert set(calls) == set(ASSIGNMENT.actions)
    # A department's assignment too: no one may decompose it further.
    department = services.decompose(persona("school_a_head"), school.pk).assignments.first()
    if state == "closed plan":
        services.close_plan(persona("district_officer"), plan.pk)
    else:
        Assignment.objects.filter(pk__in=[school.pk, department.pk]).update(status=state)
    for record in (school, department):
        for who in PEOPLE:
            actor = persona(who)
            record.refresh_from_db()
            offered = ASSIGNMENT.allowed_names(actor, record)
            for name, call in calls.items():
                accepted = _accepted(call, actor, record.pk)
                assert (name in offered) == accepted, (state, record.unit.name, who, name)


def test_the_api_reports_the_allowed_actions(api_for, active):
    plan, school = active
    assert api_for("district_officer").get(reverse("api:plan-detail", args=[plan.pk])).json()[
        "allowed_actions"
    ] == ["close"]
    assert (
        api_for("auditor").get(reverse("api:plan-detail", args=[plan.pk])).json()["allowed_actions"]
        == []
    )
    head = api_for("school_a_head").get(reverse("api:plan-assignment-detail", args=[school.pk]))
    assert head.json()["allowed_actions"] == ["decompose", "report"]
