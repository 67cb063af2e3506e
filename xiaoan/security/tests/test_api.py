"""/api/security-postures/: the register's endpoints and the workflow's steps, scoped like
every register; a school's own people never verify their school."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from xiaoan.core import registers
from xiaoan.security.models import SecurityPosture
from xiaoan.security.registers import SECURITY_POSTURES
from xiaoan.security.tests.support import SCHOOL_A, SCHOOL_B, declared, make, pdf, sheet, year

pytestmark = pytest.mark.django_db
URL = "/api/security-postures/"


@pytest.fixture
def mine(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], guards=0)


def test_it_lists_in_scope(api_for, mine, other, django_assert_max_num_queries):
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(12):
        rows = client.get(URL).json()["results"]
    assert [r["unit_name"] for r in rows] == [SCHOOL_A]
    assert rows[0]["guards_required"] == 3 and rows[0]["meets_all"] is True
    assert rows[0]["measures"] == ["theft", "fire"] and rows[0]["status"] == "draft"
    district = api_for("district_officer")
    assert district.get(URL).json()["count"] == 2
    assert district.get(URL, {"meets_all": "false"}).json()["count"] == 1
    assert district.get(URL, {"status": "verified"}).json()["count"] == 0
    assert api_for("auditor").get(URL).status_code == 200
    assert api_for("school_b_teacher").get(URL).status_code == 403


def test_it_retrieves_in_scope_only(api_for, mine, other):
    client = api_for("school_a_officer")
    body = client.get(f"{URL}{mine.pk}/").json()
    assert body["unit_name"] == SCHOOL_A and body["allowed_actions"] == ["submit"]
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.get(f"{URL}abc/").status_code == 404
    assert api_for("expert").get(f"{URL}{mine.pk}/").status_code == 403


def test_it_creates_and_refuses_bad_input(api_for, units):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "year": year(),
        "closed_management": True,
        "guards": 2,
        "measures": ["drowning", "theft"],
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["measures"] == ["theft", "drowning"]
    assert created.json()["guards_met"] is False
    again = client.post(URL, body, format="json")
    assert again.status_code == 400 and "本年度已有" in again.json()["error"]["message"]
    bad = client.post(URL, {**body, "year": year() - 1, "measures": ["magic"]}, format="json")
    assert bad.status_code == 400 and "measures" in bad.json()["error"]["fields"]
    outside = client.post(URL, {**body, "unit": units[SCHOOL_B].pk}, format="json")
    assert outside.status_code == 400
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    assert SecurityPosture.objects.count() == 1


def test_the_workflow_through_the_api(api_for, persona, units, mine):
    school, bureau = api_for("school_a_officer"), api_for("district_officer")
    refused = school.post(f"{URL}{mine.pk}/submit/", {}, format="json")
    assert refused.status_code == 400  # no evidence yet
    registers.attach(
        SECURITY_POSTURES, persona("school_a_officer"), mine.pk, kind="evidence", upload=pdf()
    )
    submitted = school.post(f"{URL}{mine.pk}/submit/", {"note": "请核验"}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    version = submitted.json()["version"]
    # The school's head holds the right at the school, not above it.
    assert api_for("school_a_head").post(f"{URL}{mine.pk}/verify/", {}).status_code == 403
    assert api_for("district_supervisor").post(f"{URL}{mine.pk}/verify/", {}).status_code == 403
    assert api_for("uni_head").post(f"{URL}{mine.pk}/verify/", {}).status_code == 404
    assert bureau.get(f"{URL}{mine.pk}/").json()["allowed_actions"] == ["return", "verify"]
    stale = bureau.post(f"{URL}{mine.pk}/verify/", {"version": version - 1}, format="json")
    assert stale.status_code == 409
    no_reason = bureau.post(f"{URL}{mine.pk}/return/", {}, format="json")
    assert no_reason.status_code == 400
    returned = bureau.post(f"{URL}{mine.pk}/return/", {"note": "缺照片"}, format="json")
    assert returned.json()["status"] == "returned" and returned.json()["return_reason"] == "缺照片"
    assert school.post(f"{URL}{mine.pk}/submit/", {}, format="json").json()["status"] == "submitted"
    done = bureau.post(f"{URL}{mine.pk}/verify/", {"note": "属实"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "verified"
    assert [e["action"] for e in done.json()["events"]] == [
        "submit",
        "send_back",
        "submit",
        "verify",
    ]
    assert bureau.post(f"{URL}{mine.pk}/verify/", {}, format="json").status_code == 409
    edited = school.patch(f"{URL}{mine.pk}/", {"guards": 1}, format="json")
    assert edited.status_code == 200 and edited.json()["status"] == "draft"


def test_it_retires_and_then_refuses_changes(api_for, mine):
    client = api_for("school_a_officer")
    assert client.post(f"{URL}{mine.pk}/retire/", {"reason": "重复"}).status_code == 200
    assert client.patch(f"{URL}{mine.pk}/", {"guards": 5}, format="json").status_code == 409
    assert client.post(f"{URL}{mine.pk}/submit/", {}, format="json").status_code == 409


def test_it_imports_exports_and_serves_the_template(api_for, mine):
    client = api_for("school_a_officer")
    rows = [[SCHOOL_A, year() + 1, "是", 3, "是", "是", "是", "是", "是", "防火、防溺水"]]
    upload = io.BytesIO(sheet(rows))
    upload.name = "p.xlsx"
    imported = client.post(f"{URL}import/", {"file": upload}, format="multipart")
    assert imported.status_code == 200 and imported.json()["created"] == 1
    bad = io.BytesIO(sheet([[SCHOOL_B, year(), "是", 3]]))
    bad.name = "p.xlsx"
    refused = client.post(f"{URL}import/", {"file": bad}, format="multipart")
    assert refused.status_code == 400
    exported = client.get(f"{URL}export/")
    book = load_workbook(io.BytesIO(b"".join(exported.streaming_content)))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "防火、防溺水" in values and "草稿" in values
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403


def test_a_declared_posture_shows_in_the_schema(api_for, persona, units):
    declared(persona("school_a_officer"), units[SCHOOL_A])
    schema = api_for("district_officer").get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/security-postures/{id}/verify/" in schema.content


def test_every_endpoint_refuses_who_may_not(api_for, mine, other):
    teacher, outsider = api_for("school_b_teacher"), api_for("uni_head")
    assert teacher.get(f"{URL}export/").status_code == 403
    assert teacher.post(f"{URL}import/", {}, format="multipart").status_code == 403
    assert outsider.post(f"{URL}{mine.pk}/retire/", {"reason": "x"}).status_code == 404
    assert teacher.post(f"{URL}{mine.pk}/submit/", {}, format="json").status_code == 403
    assert outsider.post(f"{URL}{mine.pk}/submit/", {}, format="json").status_code == 404
    assert outsider.post(f"{URL}{mine.pk}/return/", {"note": "x"}, format="json").status_code == 404
    assert teacher.post(f"{URL}{mine.pk}/return/", {"note": "x"}, format="json").status_code == 403
    assert api_for("auditor").patch(f"{URL}{mine.pk}/", {}, format="json").status_code == 403
