"""Inviting someone to an inspection finds only people the inviter may see, plus the
platform's expert pool (services.invitable_people); anyone else is "not found", exactly like
a person who does not exist — by username, id or mobile number, on the API and the page,
and in the invite picker (GET /api/inspections/{id}/invite-candidates/)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.inspections import services
from xiaoan.inspections.models import InspectionInvite
from xiaoan.inspections.tests.support import checklist, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


@pytest.fixture
def inspection(persona, units, checklist):
    """A School A self-check, organised by School A's safety officer."""
    return make(persona, units, checklist)


def _invite(api_for, inspection, who: str, user) -> tuple[int, dict]:
    response = api_for(who).post(
        f"/api/inspections/{inspection.pk}/invite/", {"user": user}, format="json"
    )
    return response.status_code, response.json()


def test_it_does_not_find_a_person_of_another_school(api_for, persona, inspection):
    teacher = persona("school_b_teacher")
    nobody = _invite(api_for, inspection, "school_a_officer", "no-such-person")
    assert nobody[0] == 400
    for identifier in ("school_b_teacher", str(teacher.pk), teacher.mobile):
        if identifier:
            assert _invite(api_for, inspection, "school_a_officer", identifier) == nobody
    assert not InspectionInvite.objects.filter(user=teacher).exists()


def test_it_does_not_find_a_platform_administrator(api_for, inspection):
    nobody = _invite(api_for, inspection, "school_a_officer", "no-such-person")
    for admin in ("sysadmin", "secadmin", "auditadmin"):
        assert _invite(api_for, inspection, "school_a_officer", admin) == nobody


def test_it_finds_someone_of_the_inviters_own_school(api_for, persona, inspection):
    status, body = _invite(api_for, inspection, "school_a_officer", "school_a_owner")
    assert status == 201 and body["user"] == persona("school_a_owner").pk


def test_it_finds_the_expert_pool(api_for, persona, inspection):
    status, body = _invite(api_for, inspection, "school_a_officer", "expert")
    assert status == 201 and body["user"] == persona("expert").pk


def test_it_lets_a_district_officer_invite_a_teacher_of_any_school_of_the_district(
    api_for, persona, inspection
):
    status, _body = _invite(api_for, inspection, "district_officer", "school_b_teacher")
    assert status == 201


def test_it_answers_the_page_form_the_same_way(client_for, persona, inspection):
    client = client_for("school_a_officer")
    url = reverse("inspections:inspection_invite", args=[inspection.pk])
    hidden = client.post(url, {"user": "school_b_teacher", "role": "inspector"})
    missing = client.post(url, {"user": "no-such-person", "role": "inspector"})
    assert hidden.status_code == missing.status_code == 400
    assert "找不到此人" in hidden.content.decode()
    assert not InspectionInvite.objects.filter(user=persona("school_b_teacher")).exists()
    assert client.post(url, {"user": "expert", "role": "expert"}).status_code == 302


def _candidates(api_for, inspection, who: str, q: str = ""):
    return api_for(who).get(f"/api/inspections/{inspection.pk}/invite-candidates/", {"q": q})


def test_it_offers_the_picker_only_visible_people_and_the_expert_pool(api_for, inspection):
    response = _candidates(api_for, inspection, "school_a_officer")
    assert response.status_code == 200
    offered = {row["username"]: row for row in response.json()}
    assert "expert" in offered and offered["expert"]["expert"] is True
    assert "school_a_owner" in offered and offered["school_a_owner"]["expert"] is False
    for hidden in ("school_b_teacher", "uni_head", "district_officer", "sysadmin", "secadmin"):
        assert hidden not in offered


def test_it_searches_the_picker_within_the_same_set(api_for, persona, inspection):
    teacher = persona("school_b_teacher")
    for q in ("school_b", teacher.name, teacher.mobile or "school_b"):
        assert _candidates(api_for, inspection, "school_a_officer", q).json() == []
    found = _candidates(api_for, inspection, "school_a_officer", "专家").json()
    assert [row["username"] for row in found] == ["expert"]
    district = _candidates(api_for, inspection, "district_officer", "school_b").json()
    assert [row["username"] for row in district] == ["school_b_teacher"]
    if teacher.mobile:  # a mobile number is found as a whole
        by_mobile = _candidates(api_for, inspection, "district_officer", teacher.mobile).json()
        assert [row["username"] for row in by_mobile] == ["school_b_teacher"]


def test_it_keeps_the_picker_to_those_who_may_invite(api_for, inspection, units, checklist):
    assert _candidates(api_for, inspection, "uni_security").status_code == 404
    assert _candidates(api_for, inspection, "auditor").status_code == 403


def test_it_names_the_rule_in_one_function(persona):
    pool = set(
        services.invitable_people(persona("uni_security")).values_list("username", flat=True)
    )
    assert "expert" in pool and "uni_head" in pool
    assert not pool & {"school_a_officer", "sysadmin", "secadmin", "auditadmin"}
