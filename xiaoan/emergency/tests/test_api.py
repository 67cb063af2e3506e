"""/api/emergency-plans/ and /api/emergency-teams/: scoping, writes with structured errors,
the members written with a team and one at a time."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.emergency.models import EmergencyPlan, EmergencyTeam
from xiaoan.emergency.tests.support import (
    PLAN_HEADER_ROW,
    SCHOOL_A,
    SCHOOL_B,
    days,
    make_plan,
    make_team,
    sheet,
)

pytestmark = pytest.mark.django_db
PLANS = "/api/emergency-plans/"
TEAMS = "/api/emergency-teams/"


@pytest.fixture
def plan(persona, units):
    return make_plan(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other_plan(persona, units):
    return make_plan(persona("district_officer"), units[SCHOOL_B], name="东沟火灾预案")


@pytest.fixture
def team(persona, units):
    return make_team(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other_team(persona, units):
    return make_team(persona("district_officer"), units[SCHOOL_B], name="东沟消防队")


def test_it_lists_plans_in_scope_with_filters(api_for, plan, other_plan):
    body = api_for("school_a_officer").get(PLANS).json()
    assert [r["name"] for r in body["results"]] == [plan.name]
    assert body["results"][0]["subject"] == f"emergency_plans:{plan.pk}"
    district = api_for("district_officer")
    assert district.get(PLANS).json()["count"] == 2
    assert district.get(PLANS, {"q": "东沟"}).json()["count"] == 1
    assert district.get(PLANS, {"topic": "earthquake"}).json()["count"] == 0
    assert district.get(PLANS, {"due": "soon"}).json()["count"] == 0
    assert api_for("auditor").get(PLANS).status_code == 200
    refused = api_for("school_b_teacher").get(PLANS)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_it_retrieves_updates_and_retires_plans_in_scope(api_for, plan, other_plan):
    client = api_for("school_a_officer")
    assert client.get(f"{PLANS}{plan.pk}/").json()["next_revision_on"] == str(plan.next_revision_on)
    assert client.get(f"{PLANS}{other_plan.pk}/").status_code == 404
    assert api_for("expert").get(f"{PLANS}{plan.pk}/").status_code == 403
    changed = client.patch(f"{PLANS}{plan.pk}/", {"version": "2026版"}, format="json")
    assert changed.status_code == 200 and changed.json()["version"] == "2026版"
    bad = client.patch(f"{PLANS}{plan.pk}/", {"next_revision_on": str(days(-200))}, format="json")
    assert bad.status_code == 400 and "next_revision_on" in bad.json()["error"]["fields"]
    assert (
        client.patch(f"{PLANS}{other_plan.pk}/", {"version": "x"}, format="json").status_code == 404
    )
    auditor = api_for("auditor").patch(f"{PLANS}{plan.pk}/", {"version": "x"}, format="json")
    assert auditor.status_code == 403
    done = client.post(f"{PLANS}{plan.pk}/retire/", {"reason": "已修订替代"}, format="json")
    assert done.status_code == 200 and done.json()["retired_at"]
    again = client.post(f"{PLANS}{plan.pk}/retire/", {"reason": "再次"}, format="json")
    assert again.status_code == 409


def test_it_creates_plans_and_refuses_with_fields(api_for, units):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "地震应急预案",
        "kind": "special",
        "topic": "earthquake",
        "version": "2025版",
        "approved_by": "王校长",
        "approved_on": str(days(-10)),
    }
    created = client.post(PLANS, body, format="json")
    assert created.status_code == 201
    assert created.json()["next_revision_on"] == str(days(-10).replace(year=days(-10).year + 3))
    bad = client.post(PLANS, {**body, "topic": "", "name": "x"}, format="json")
    assert bad.status_code == 400 and "topic" in bad.json()["error"]["fields"]
    outside = client.post(PLANS, {**body, "unit": units[SCHOOL_B].pk}, format="json")
    assert outside.status_code == 400 and "unit" in outside.json()["error"]["fields"]
    assert api_for("auditor").post(PLANS, body, format="json").status_code == 403
    assert EmergencyPlan.objects.count() == 1


def test_it_imports_exports_and_serves_the_template_of_plans(api_for, plan):
    client = api_for("school_a_officer")
    good = sheet(PLAN_HEADER_ROW, [[SCHOOL_A, "总体预案", "YA-01", "综合应急预案", "", "2024版"]])
    upload = SimpleUploadedFile("p.xlsx", good)
    done = client.post(f"{PLANS}import/", {"file": upload}, format="multipart")
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet(PLAN_HEADER_ROW, [[SCHOOL_A, "专项", "YA-09", "专项应急预案", "", "2024版"]])
    refused = client.post(
        f"{PLANS}import/", {"file": SimpleUploadedFile("p.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["result"]["errors"]
    assert client.get(f"{PLANS}export/").status_code == 200
    assert client.get(f"{PLANS}template/").status_code == 200
    teacher = api_for("school_b_teacher")
    assert teacher.get(f"{PLANS}export/").status_code == 403
    assert api_for("auditor").get(f"{PLANS}template/").status_code == 403
    upload = SimpleUploadedFile("p.xlsx", good)
    assert (
        api_for("auditor").post(f"{PLANS}import/", {"file": upload}, format="multipart").status_code
        == 403
    )


def test_it_lists_teams_with_members_without_a_query_per_row(
    api_for, persona, units, other_team, django_assert_max_num_queries
):
    officer = persona("school_a_officer")
    for n in range(6):
        make_team(officer, units[SCHOOL_A], code=f"T{n}", name=f"队{n}")
    client = api_for("school_a_officer")
    client.get(TEAMS)
    with django_assert_max_num_queries(12):
        body = client.get(TEAMS).json()
    assert body["count"] == 6
    row = body["results"][0]
    assert row["is_staffed"] and row["size_rule"] == [5, 7] and len(row["members"]) == 5
    assert row["members"][0]["phone"] == "13900000000"
    short = api_for("district_officer").get(TEAMS, {"is_staffed": "false"}).json()
    assert short["count"] == 0
    assert api_for("school_b_teacher").get(TEAMS).status_code == 403


def test_it_creates_and_updates_a_team_with_its_roster(api_for, units, persona):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "应急救援队",
        "kind": "rescue_squad",
        "members": [
            {"user": persona("school_a_head").pk, "role": "leader"},
            {"name": "周涛", "post": "校医", "phone": "13871000012"},
        ],
    }
    created = client.post(TEAMS, body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["leader_name"] == "王校长" and data["member_count"] == 2
    assert data["is_staffed"] is False
    pk = data["id"]
    more = [*body["members"], {"name": "吴斌"}]
    changed = client.patch(f"{TEAMS}{pk}/", {"members": more}, format="json")
    assert changed.status_code == 200 and changed.json()["is_staffed"] is True
    renamed = client.patch(f"{TEAMS}{pk}/", {"note": "每月训练一次"}, format="json")
    assert renamed.json()["member_count"] == 3
    bad = client.patch(
        f"{TEAMS}{pk}/", {"members": [{"name": "甲", "phone": "123"}]}, format="json"
    )
    assert bad.status_code == 400
    foreign = client.post(
        TEAMS,
        {**body, "members": [{"user": persona("school_b_teacher").pk}]},
        format="json",
    )
    assert foreign.status_code == 400 and "members" in foreign.json()["error"]["fields"]
    assert EmergencyTeam.objects.count() == 1


def test_it_adds_and_removes_members_one_at_a_time(api_for, team, other_team):
    client = api_for("school_a_officer")
    added = client.post(
        f"{TEAMS}{team.pk}/members/", {"name": "新人", "phone": "13911110000"}, format="json"
    )
    assert added.status_code == 201 and added.json()["member_count"] == 6
    again = client.post(f"{TEAMS}{team.pk}/members/", {"name": "新人"}, format="json")
    assert again.status_code == 400 and "name" in again.json()["error"]["fields"]
    member = team.members.get(name="新人")
    removed = client.post(f"{TEAMS}{team.pk}/members/{member.pk}/remove/")
    assert removed.status_code == 200 and removed.json()["member_count"] == 5
    assert client.post(f"{TEAMS}{team.pk}/members/{member.pk}/remove/").status_code == 404
    assert (
        client.post(f"{TEAMS}{other_team.pk}/members/", {"name": "甲"}, format="json").status_code
        == 404
    )
    theirs = other_team.members.first()
    assert client.post(f"{TEAMS}{other_team.pk}/members/{theirs.pk}/remove/").status_code == 404
    auditor = api_for("auditor")
    assert (
        auditor.post(f"{TEAMS}{team.pk}/members/", {"name": "甲"}, format="json").status_code == 403
    )
    first = team.members.first()
    assert auditor.post(f"{TEAMS}{team.pk}/members/{first.pk}/remove/").status_code == 403


def test_it_serves_team_sheets_and_retires_teams(api_for, team):
    client = api_for("school_a_officer")
    assert client.get(f"{TEAMS}export/").status_code == 200
    assert client.get(f"{TEAMS}template/").status_code == 200
    good = sheet(
        ["队伍名称", "队伍类别", "队长", "队员"], [["义务消防队", "义务消防队", "甲", "乙、丙"]]
    )
    answer = client.post(
        f"{TEAMS}import/", {"file": SimpleUploadedFile("t.xlsx", good)}, format="multipart"
    )
    # No 所属单位 column and no unit chosen in the API: every row is refused, nothing written.
    assert answer.status_code == 400
    assert api_for("auditor").get(f"{TEAMS}{team.pk}/").status_code == 200
    assert (
        client.post(f"{TEAMS}{team.pk}/retire/", {"reason": "合并"}, format="json").status_code
        == 200
    )
    assert (
        client.post(f"{TEAMS}{team.pk}/members/", {"name": "甲"}, format="json").status_code == 409
    )
    assert api_for("school_b_teacher").get(f"{TEAMS}{team.pk}/").status_code == 403
    assert api_for("auditor").get(f"{TEAMS}template/").status_code == 403
    assert api_for("school_b_teacher").get(f"{TEAMS}export/").status_code == 403
    assert (
        api_for("auditor")
        .post(f"{TEAMS}import/", {"file": SimpleUploadedFile("t.xlsx", good)}, format="multipart")
        .status_code
        == 403
    )
    assert (
        api_for("auditor")
        .post(f"{TEAMS}{team.pk}/retire/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )


def test_it_imports_teams_through_the_api_and_refuses_retiring_to_readers(api_for, plan):
    good = sheet(
        ["所属单位", "队伍名称", "队伍类别", "队长", "队员"],
        [[SCHOOL_A, "应急救援队", "应急救援队", "孙强", "周涛、吴斌"]],
    )
    client = api_for("school_a_officer")
    answer = client.post(
        f"{TEAMS}import/", {"file": SimpleUploadedFile("t.xlsx", good)}, format="multipart"
    )
    assert answer.status_code == 200 and answer.json()["created"] == 1
    assert EmergencyTeam.objects.get(name="应急救援队").is_staffed
    refused = api_for("auditor").post(f"{PLANS}{plan.pk}/retire/", {"reason": "x"}, format="json")
    assert refused.status_code == 403
