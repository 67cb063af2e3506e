"""Both registers' pages: every route served to someone and refused to someone (route
coverage), out-of-scope ids 404, the team page's members and its red flag, forms keeping
what was typed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.core.models import RegisterAttachment
from xiaoan.emergency.models import EmergencyPlan, EmergencyTeam, TeamMember
from xiaoan.emergency.tests.support import (
    PLAN_HEADER_ROW,
    SCHOOL_A,
    SCHOOL_B,
    make_plan,
    make_team,
    sheet,
)

pytestmark = pytest.mark.django_db

P = "emergency_plans:emergencyplan_"
T = "emergency_teams:emergencyteam_"


@pytest.fixture
def plan(persona, units):
    return make_plan(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other_plan(persona, units):
    return make_plan(persona("district_officer"), units[SCHOOL_B], name="东沟火灾预案")


@pytest.fixture
def team(persona, units):
    return make_team(persona("school_a_officer"), units[SCHOOL_A], size=4)


@pytest.fixture
def other_team(persona, units):
    return make_team(persona("district_officer"), units[SCHOOL_B], name="东沟消防队")


def test_it_lists_plans_and_teams_in_scope(client_for, plan, other_plan, team, other_team):
    for url, mine, theirs in (
        (reverse(P + "list"), plan.name, "东沟火灾预案"),
        (reverse(T + "list"), "义务消防队", "东沟消防队"),
    ):
        page = client_for("school_a_officer").get(url).content.decode()
        assert mine in page and theirs not in page
        district = client_for("district_officer").get(url).content.decode()
        assert mine in district and theirs in district
        assert client_for("auditor").get(url).status_code == 200
        for name in ("school_b_teacher", "expert", "sysadmin"):
            assert client_for(name).get(url).status_code == 403


def test_it_shows_an_understaffed_team_in_red(client_for, team, other_team):
    page = client_for("district_officer").get(reverse(T + "list")).content.decode()
    assert page.count('class="table-danger"') == 1
    filtered = client_for("district_officer").get(reverse(T + "list"), {"is_staffed": "false"})
    assert "东沟消防队" not in filtered.content.decode()


def test_it_lists_teams_without_a_query_per_row(
    client_for, persona, units, django_assert_max_num_queries
):
    for n in range(8):
        make_team(persona("district_officer"), units[SCHOOL_A], code=f"T{n}", name=f"队{n}")
    client = client_for("district_officer")
    client.get(reverse(T + "list"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse(T + "list")).status_code == 200


def test_it_shows_records_in_scope_only(client_for, plan, other_plan, team, other_team):
    client = client_for("school_a_officer")
    page = client.get(reverse(P + "detail", args=[plan.pk])).content.decode()
    assert plan.name in page and "预案修订" in page
    assert client.get(reverse(P + "detail", args=[other_plan.pk])).status_code == 404
    assert client_for("expert").get(reverse(P + "detail", args=[plan.pk])).status_code == 403
    team_page = client.get(reverse(T + "detail", args=[team.pk])).content.decode()
    assert "队员一" in team_page and "13900000000" in team_page
    assert 'data-staffed="no"' in team_page and "增加队员" in team_page
    assert client.get(reverse(T + "detail", args=[other_team.pk])).status_code == 404
    assert (
        client_for("school_b_teacher").get(reverse(T + "detail", args=[team.pk])).status_code == 403
    )
    read_only = client_for("auditor").get(reverse(T + "detail", args=[team.pk])).content.decode()
    assert "队员一" in read_only and "增加队员" not in read_only


def test_it_creates_edits_and_retires_a_plan(client_for, units, other_plan):
    client = client_for("school_a_officer")
    assert client.get(reverse(P + "add")).status_code == 200
    typed = {
        "unit": units[SCHOOL_A].pk,
        "name": "防汛防台专项应急预案",
        "kind": "special",
        "topic": "",
        "version": "2025版",
    }
    refused = client.post(reverse(P + "add"), typed)
    assert refused.status_code == 400 and "防汛防台专项应急预案" in refused.content.decode()
    done = client.post(reverse(P + "add"), {**typed, "topic": "flood"})
    assert done.status_code == 302
    plan = EmergencyPlan.objects.get(name="防汛防台专项应急预案")
    assert client.get(reverse(P + "edit", args=[plan.pk])).status_code == 200
    edited = client.post(
        reverse(P + "edit", args=[plan.pk]), {**typed, "topic": "flood", "version": "2026版"}
    )
    assert edited.status_code == 302
    assert client.get(reverse(P + "edit", args=[other_plan.pk])).status_code == 404
    assert client_for("auditor").get(reverse(P + "add")).status_code == 403
    assert client_for("auditor").get(reverse(P + "edit", args=[plan.pk])).status_code == 403
    assert client.get(reverse(P + "retire", args=[plan.pk])).status_code == 200
    assert (
        client.post(reverse(P + "retire", args=[plan.pk]), {"reason": "已替代"}).status_code == 302
    )
    assert client_for("auditor").get(reverse(P + "retire", args=[plan.pk])).status_code == 403


def test_it_creates_edits_and_retires_a_team(client_for, units, other_team):
    client = client_for("school_a_officer")
    assert client.get(reverse(T + "add")).status_code == 200
    typed = {"unit": units[SCHOOL_A].pk, "name": "应急救援队", "kind": "rescue_squad"}
    done = client.post(reverse(T + "add"), typed)
    assert done.status_code == 302
    team = EmergencyTeam.objects.get(name="应急救援队")
    assert not team.is_staffed and team.member_count == 0
    assert (
        client.post(reverse(T + "edit", args=[team.pk]), {**typed, "note": "x"}).status_code == 302
    )
    assert client.get(reverse(T + "edit", args=[other_team.pk])).status_code == 404
    assert client_for("auditor").get(reverse(T + "add")).status_code == 403
    assert client_for("auditor").get(reverse(T + "edit", args=[team.pk])).status_code == 403
    assert client.post(reverse(T + "retire", args=[team.pk]), {"reason": "合并"}).status_code == 302
    assert client.get(reverse(T + "retire", args=[other_team.pk])).status_code == 404


def test_it_adds_and_removes_members_on_the_team_page(client_for, persona, team, other_team):
    client = client_for("school_a_officer")
    add = reverse("emergency_teams:member_add", args=[team.pk])
    assert client.get(add).status_code == 200
    refused = client.post(add, {"name": "新人", "phone": "1391111", "role": "member"})
    assert refused.status_code == 400 and "新人" in refused.content.decode()
    head = persona("school_a_head")
    done = client.post(add, {"user": head.pk, "post": "", "phone": "", "role": "member"})
    assert done.status_code == 302
    team.refresh_from_db()
    assert team.is_staffed and team.member_count == 5
    foreign = client.post(add, {"user": persona("school_b_teacher").pk, "role": "member"})
    assert foreign.status_code == 400
    member = TeamMember.objects.get(team=team, user=head)
    remove = reverse("emergency_teams:member_remove", args=[team.pk, member.pk])
    assert client_for("auditor").post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    theirs = other_team.members.first()
    assert (
        client.post(
            reverse("emergency_teams:member_remove", args=[other_team.pk, theirs.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("emergency_teams:member_add", args=[other_team.pk])).status_code == 404
    )
    assert client_for("auditor").get(add).status_code == 403


def test_it_imports_exports_and_serves_templates(client_for, plan, team):
    client = client_for("school_a_officer")
    good = sheet(PLAN_HEADER_ROW, [[SCHOOL_A, "总体预案", "YA-01", "综合应急预案", "", "2024版"]])
    assert client.get(reverse(P + "import")).status_code == 200
    done = client.post(reverse(P + "import"), {"file": SimpleUploadedFile("p.xlsx", good)})
    assert done.status_code == 302
    bad = sheet(PLAN_HEADER_ROW, [[SCHOOL_A, "专项", "YA-09", "专项应急预案", "", "2024版"]])
    shown = client.post(reverse(P + "import"), {"file": SimpleUploadedFile("p.xlsx", bad)})
    assert shown.status_code == 400 and "事件类型" in shown.content.decode()
    teams = sheet(
        ["所属单位", "队伍名称", "队伍类别", "队长", "队员"],
        [[SCHOOL_A, "应急救援队", "应急救援队", "孙强", "周涛、吴斌"]],
    )
    assert client.get(reverse(T + "import")).status_code == 200
    assert (
        client.post(
            reverse(T + "import"), {"file": SimpleUploadedFile("t.xlsx", teams)}
        ).status_code
        == 302
    )
    for prefix in (P, T):
        assert client.get(reverse(prefix + "export")).status_code == 200
        assert client.get(reverse(prefix + "template")).status_code == 200
        assert client_for("school_b_teacher").get(reverse(prefix + "export")).status_code == 403
        assert client_for("auditor").get(reverse(prefix + "template")).status_code == 403
        assert client_for("auditor").get(reverse(prefix + "import")).status_code == 403


def test_it_attaches_the_plan_document_and_serves_it_in_scope(client_for, plan, team, other_plan):
    client = client_for("school_a_officer")
    for prefix, item, kind in ((P, plan, "document"), (T, team, "roster")):
        upload = SimpleUploadedFile("文本.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
        done = client.post(
            reverse(prefix + "attach", args=[item.pk]), {"kind": kind, "file": upload}
        )
        assert done.status_code == 302
        row = RegisterAttachment.objects.get(object_id=item.pk, kind=kind)
        assert client.get(reverse(prefix + "attachment", args=[row.pk])).status_code == 200
        assert (
            client_for("school_b_teacher")
            .get(reverse(prefix + "attachment", args=[row.pk]))
            .status_code
            == 403
        )
        upload = SimpleUploadedFile("文本.pdf", b"%PDF-1.4", content_type="application/pdf")
        assert (
            client_for("auditor")
            .post(reverse(prefix + "attach", args=[item.pk]), {"kind": kind, "file": upload})
            .status_code
            == 403
        )
    district = client_for("district_officer")
    upload = SimpleUploadedFile("b.pdf", b"%PDF-1.4 b", content_type="application/pdf")
    district.post(reverse(P + "attach", args=[other_plan.pk]), {"kind": "document", "file": upload})
    theirs = RegisterAttachment.objects.get(object_id=other_plan.pk, kind="document")
    assert client.get(reverse(P + "attachment", args=[theirs.pk])).status_code == 404
    page = client.get(reverse(P + "detail", args=[plan.pk])).content.decode()
    assert "预案文本" in page and "文本.pdf" in page
