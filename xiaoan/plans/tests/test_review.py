"""The issuing unit reviews a report of 已完成 (xiaoan.plans.workflow: accept, return_report):
the assignment awaits review (submitted) and only an accepted one counts as done in the
task's and plan's figures; returning needs a reason, reopens it and tells the reporter; the
school cannot accept its own report (403), another district's people cannot see it (404);
a wrong state is 409."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.notifications.models import Notification
from xiaoan.plans import services
from xiaoan.plans.choices import Progress
from xiaoan.plans.models import Plan
from xiaoan.plans.tests.support import SCHOOL_A, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(persona, units):
    plan, named, _ = make_plan(persona, units)
    school = named.assignments.get(unit=units[SCHOOL_A])
    services.report_progress(
        persona("school_a_officer"), school.pk, text="已全部完成", status="in_progress", progress=60
    )
    services.report_progress(persona("school_a_officer"), school.pk, text="已完成", status="done")
    school.refresh_from_db()
    return plan, named, school


def test_it_leaves_a_report_of_done_awaiting_review(submitted):
    plan, named, school = submitted
    assert (school.status, school.progress) == (Progress.SUBMITTED, 60)
    named.refresh_from_db()
    plan.refresh_from_db()
    # Only accepted work counts: the task is not done and its figure is the last accepted one.
    assert named.status == Progress.IN_PROGRESS and named.progress < 100
    assert plan.progress_status != Progress.DONE
    assert Notification.objects.filter(
        recipient__username="district_officer", kind="submitted"
    ).exists()


def test_it_accepts_through_the_api_and_only_then_counts_as_done(api_for, submitted):
    _plan, named, school = submitted
    named.refresh_from_db()
    before = named.progress
    response = api_for("district_officer").post(
        reverse("api:plan-assignment-accept", args=[school.pk]),
        {"version": school.version, "note": "材料齐全"},
        format="json",
    )
    assert response.status_code == 200, response.content
    school.refresh_from_db()
    assert (school.status, school.progress) == (Progress.DONE, 100)
    assert school.events.last().action == "accept"
    named.refresh_from_db()
    # The task's other unit (安全股) has not reported: the accepted 100% now counts.
    assert named.progress > before and named.status == Progress.IN_PROGRESS
    # Accepting twice: wrong state.
    again = api_for("district_officer").post(
        reverse("api:plan-assignment-accept", args=[school.pk]), {}, format="json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_it_returns_with_a_reason_and_tells_the_reporter(api_for, submitted):
    _plan, _named, school = submitted
    url = reverse("api:plan-assignment-return-report", args=[school.pk])
    blank = api_for("district_officer").post(url, {"note": " "}, format="json")
    assert blank.status_code == 400
    school.refresh_from_db()
    assert school.status == Progress.SUBMITTED
    response = api_for("district_officer").post(url, {"note": "缺少佐证材料"}, format="json")
    assert response.status_code == 200, response.content
    school.refresh_from_db()
    assert (school.status, school.progress) == (Progress.IN_PROGRESS, 60)
    event = school.events.last()
    assert (event.action, event.note) == ("return_report", "缺少佐证材料")
    notice = Notification.objects.get(recipient__username="school_a_officer", kind="rejected")
    assert notice.body == "缺少佐证材料"
    assert api_for("district_officer").post(url, {"note": "x"}, format="json").status_code == 409


@pytest.mark.parametrize(
    ("who", "expected"),
    [("uni_security", 404), ("school_a_head", 403), ("school_a_officer", 403), ("auditor", 403)],
)
@pytest.mark.parametrize("action", ["accept", "return-report"])
def test_it_scopes_the_review(api_for, submitted, who, expected, action):
    _plan, _named, school = submitted
    response = api_for(who).post(
        reverse(f"api:plan-assignment-{action}", args=[school.pk]), {"note": "x"}, format="json"
    )
    assert response.status_code == expected, response.content
    school.refresh_from_db()
    assert school.status == Progress.SUBMITTED


def test_the_reviewer_sees_the_buttons_and_accepts_on_the_page(client_for, submitted):
    _plan, named, school = submitted
    client = client_for("district_officer")
    task_page = client.get(reverse("plans:task_detail", args=[named.pk])).content.decode()
    page_url = reverse("plans:assignment_report", args=[school.pk])
    assert page_url in task_page and "审核" in task_page
    page = client.get(page_url).content.decode()
    assert reverse("plans:assignment_accept", args=[school.pk]) in page
    assert reverse("plans:assignment_return_report", args=[school.pk]) in page
    assert "待审核" in page
    # The school sees the state but no review buttons.
    own = client_for("school_a_officer").get(page_url).content.decode()
    assert reverse("plans:assignment_accept", args=[school.pk]) not in own
    assert (
        client_for("school_a_officer")
        .post(reverse("plans:assignment_accept", args=[school.pk]), {})
        .status_code
        == 403
    )
    assert (
        client_for("school_a_officer")
        .post(reverse("plans:assignment_return_report", args=[school.pk]), {"note": "x"})
        .status_code
        == 403
    )
    assert client_for("uni_security").get(page_url).status_code == 404
    # A return without a reason keeps the form; with one it goes back.
    missing = client.post(reverse("plans:assignment_return_report", args=[school.pk]), {"note": ""})
    assert missing.status_code == 400
    response = client.post(
        reverse("plans:assignment_accept", args=[school.pk]), {"version": school.version}
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.status == Progress.DONE
    assert Plan.objects.get(pk=named.plan_id).progress > 0


def test_a_reviewer_without_the_report_right_opens_the_page_the_notice_links_to(
    persona, units, submitted, client_for
):
    from xiaoan.accounts.models import Role, RoleAssignment, User

    _plan, _named, school = submitted
    role = Role.objects.create(
        code="plan-reviewer",
        name="方案审核员",
        permissions=["orgs.view_unit", "plans.view_plan", "plans.change_plan"],
    )
    reviewer = User.objects.create(
        username="plan_reviewer", name="审核员", unit=units["梁子湖区教育局"]
    )
    RoleAssignment.objects.create(
        user=reviewer, role=role, unit=units["梁子湖区教育局"], include_descendants=True
    )
    client = client_for("plan_reviewer")
    page = client.get(reverse("plans:assignment_report", args=[school.pk]))
    assert page.status_code == 200
    assert reverse("plans:assignment_accept", args=[school.pk]) in page.content.decode()
    # Reporting is still theirs to do nowhere.
    response = client.post(reverse("plans:assignment_report", args=[school.pk]), {"text": "x"})
    assert response.status_code == 403


def test_the_reviewer_returns_a_report_on_the_page(client_for, submitted):
    _plan, _named, school = submitted
    response = client_for("district_officer").post(
        reverse("plans:assignment_return_report", args=[school.pk]),
        {"note": "佐证材料不全", "version": school.version},
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.status in (Progress.IN_PROGRESS, Progress.OVERDUE)
