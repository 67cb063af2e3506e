"""An inspection's team: 带队领导 (a person), 检查组成员 (people) and outside members without an
account, set on creation and afterwards (page and API), only from the people the organiser
may call on; shown on the record and in the printed record."""

from __future__ import annotations

import pytest
from django.template.loader import get_template

from xiaoan.core.errors import Invalid
from xiaoan.inspections import printing, team
from xiaoan.inspections.choices import InspectionAction, InspectionKind, InspectionStatus
from xiaoan.inspections.models import Inspection, InspectionEvent
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, done, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


def test_it_records_the_team_on_creation(persona, units, checklist):
    inspection = make(
        persona,
        units,
        checklist,
        leader=persona("school_a_head"),
        members=[persona("school_a_owner").pk, persona("expert").pk],
        outside_members="市消防救援支队 刘工",
    )
    inspection.refresh_from_db()
    assert inspection.leader.username == "school_a_head"
    assert sorted(inspection.members.values_list("username", flat=True)) == [
        "expert",
        "school_a_owner",
    ]
    assert inspection.outside_members == "市消防救援支队 刘工"


@pytest.mark.parametrize("field", ["leader", "members"])
def test_it_refuses_people_of_other_units(persona, units, checklist, field):
    stranger = persona("school_b_teacher")  # another school: not the organiser's to call on
    value = stranger if field == "leader" else [stranger.pk]
    with pytest.raises(Invalid) as refused:
        make(persona, units, checklist, **{field: value})
    assert field in refused.value.fields
    assert not Inspection.objects.filter(unit=units[SCHOOL_A]).exists()  # nothing written


def test_it_offers_only_the_organisers_people(persona, units):
    people = team.team_people(persona("school_a_officer"), units[SCHOOL_A])
    names = set(people.values_list("username", flat=True))
    assert {"school_a_head", "school_a_owner", "expert"} <= names
    assert not names & {"school_b_teacher", "district_officer", "uni_security", "sysadmin"}


def test_it_sets_the_team_through_the_api(api_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    url = f"/api/inspections/{inspection.pk}/team/"
    body = {
        "leader": persona("school_a_head").pk,
        "members": [persona("school_a_owner").pk],
        "outside_members": "区消防大队 陈工",
    }
    answer = api_for("school_a_officer").post(url, body, format="json")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["leader"]["name"] == "王校长"
    assert [m["name"] for m in data["members"]] == ["周总务"]
    assert data["outside_members"] == "区消防大队 陈工"
    assert data["version"] == inspection.version  # a phone's draft stays valid
    event = InspectionEvent.objects.filter(inspection=inspection).latest("pk")
    assert event.action == InspectionAction.TEAM and "王校长" in event.note


def test_it_refuses_a_team_through_the_api(api_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    url = f"/api/inspections/{inspection.pk}/team/"
    officer = api_for("school_a_officer")
    wrong = officer.post(url, {"leader": persona("school_b_teacher").pk}, format="json")
    assert wrong.status_code == 400 and "leader" in wrong.json()["error"]["fields"]
    stranger = officer.post(url, {"members": [persona("uni_security").pk]}, format="json")
    assert stranger.status_code == 400 and "members" in stranger.json()["error"]["fields"]
    assert api_for("uni_security").post(url, {}, format="json").status_code == 404
    assert api_for("auditor").post(url, {}, format="json").status_code == 403
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.CLOSED)
    closed = officer.post(url, {"leader": persona("school_a_head").pk}, format="json")
    assert closed.status_code == 409
    inspection.refresh_from_db()
    assert inspection.leader is None


def test_it_creates_with_a_team_through_the_api(api_for, persona, units, checklist):
    body = {
        "kind": "self_check",
        "unit": units[SCHOOL_A].pk,
        "checklist": checklist.pk,
        "leader": persona("school_a_head").pk,
        "members": [persona("expert").pk],
    }
    made = api_for("school_a_officer").post("/api/inspections/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["leader"]["id"] == persona("school_a_head").pk
    refused = api_for("school_a_officer").post(
        "/api/inspections/", {**body, "leader": persona("school_b_teacher").pk}, format="json"
    )
    assert refused.status_code == 400 and "leader" in refused.json()["error"]["fields"]


def test_it_sets_the_team_on_the_page(client_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    url = f"/inspections/{inspection.pk}/team/"
    head, owner = persona("school_a_head"), persona("school_a_owner")
    page = client_for("school_a_officer")
    shown = page.get(f"/inspections/{inspection.pk}/").content.decode()
    assert 'id="id_team_leader"' in shown and "张老师" not in shown  # school B's teacher
    answer = page.post(url, {"leader": head.pk, "members": [owner.pk], "outside_members": ""})
    assert answer.status_code == 302
    html = page.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "王校长" in html and "周总务" in html
    refused = page.post(url, {"leader": persona("school_b_teacher").pk})
    assert refused.status_code == 400 and "带队领导" in refused.content.decode()
    assert client_for("uni_security").post(url, {"leader": head.pk}).status_code == 404


def test_it_offers_the_team_on_the_create_page(client_for, persona, units, checklist):
    page = client_for("school_a_officer")
    html = page.get("/inspections/new/").content.decode()
    assert "带队领导" in html and "王校长" in html and "张老师" not in html
    answer = page.post(
        "/inspections/new/",
        {
            "kind": "self_check",
            "unit": units[SCHOOL_A].pk,
            "checklist": checklist.pk,
            "scheduled_on": "2026-10-05",
            "leader": persona("school_a_head").pk,
            "members": [persona("school_a_owner").pk],
            "outside_members": "刘工（市消防救援支队）",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    made = Inspection.objects.get(unit=units[SCHOOL_A])
    assert made.leader.username == "school_a_head" and made.outside_members


def test_it_prints_the_team(persona, units, checklist):
    inspection = make(
        persona,
        units,
        checklist,
        leader=persona("school_a_head"),
        members=[persona("school_a_owner")],
        outside_members="刘工（市消防救援支队）",
    )
    done(persona, inspection)
    html = get_template(printing.TEMPLATE).render(printing.record_context(inspection))
    assert "带队领导" in html and "王校长（梁子湖高级中学）" in html
    assert "周总务" in html and "刘工（市消防救援支队）" in html
    assert inspection.number in html


def test_it_leaves_the_team_of_an_outside_inspection_to_its_organiser(
    api_for, persona, units, checklist
):
    supervision = make(
        persona, units, checklist, who="district_officer", kind=InspectionKind.SUPERVISION
    )
    url = f"/api/inspections/{supervision.pk}/team/"
    school = api_for("school_a_officer")
    assert "team" not in school.get(f"/api/inspections/{supervision.pk}/").json()["allowed_actions"]
    assert (
        school.post(url, {"leader": persona("school_a_head").pk}, format="json").status_code == 403
    )
    district = api_for("district_officer")
    assert "team" in district.get(f"/api/inspections/{supervision.pk}/").json()["allowed_actions"]
    answer = district.post(url, {"leader": persona("district_officer").pk}, format="json")
    assert answer.status_code == 200 and answer.json()["leader"]["name"] == "刘安全"
