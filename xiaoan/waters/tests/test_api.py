"""/api/waters/: scoped like every register, linked schools as ids within the owner's
subtree, patrols listed and logged."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xiaoan.waters.models import Water, WaterPatrol
from xiaoan.waters.tests.support import BUREAU, SCHOOL_A, SCHOOL_B, days, make, sheet

pytestmark = pytest.mark.django_db
URL = "/api/waters/"


@pytest.fixture
def mine(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A], schools=[units[SCHOOL_A]])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="河沟", kind="ditch")


def test_it_lists_filters_and_retrieves_in_scope(api_for, mine, other, units):
    client = api_for("school_a_officer")
    rows = client.get(URL).json()["results"]
    assert [r["name"] for r in rows] == [mine.name]
    assert rows[0]["school_names"] == [SCHOOL_A] and rows[0]["subject"] == f"waters:{mine.pk}"
    district = api_for("district_officer")
    assert district.get(URL).json()["count"] == 2
    assert district.get(URL, {"kind": "ditch"}).json()["count"] == 1
    assert district.get(URL, {"school": units[SCHOOL_A].pk}).json()["count"] == 1
    assert api_for("auditor").get(URL).status_code == 200
    assert api_for("school_b_teacher").get(URL).status_code == 403
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert api_for("expert").get(f"{URL}{mine.pk}/").status_code == 403


def test_it_creates_with_schools_and_refuses_outside_ones(api_for, units):
    client = api_for("district_officer")
    body = {
        "unit": units[BUREAU].pk,
        "name": "梁子湖某段",
        "kind": "lake",
        "location": "沿岸",
        "village": "某村",
        "contact_person": "张",
        "contact_phone": "13900000000",
        "schools": [units[SCHOOL_A].pk, units[SCHOOL_B].pk],
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    assert sorted(created.json()["school_names"]) == sorted([SCHOOL_A, SCHOOL_B])
    school = api_for("school_a_officer")
    bad = school.post(
        URL, {**body, "unit": units[SCHOOL_A].pk, "schools": [units[SCHOOL_B].pk]}, format="json"
    )
    assert bad.status_code == 400 and "schools" in bad.json()["error"]["fields"]
    outside = school.post(URL, {**body, "schools": []}, format="json")
    assert outside.status_code == 400 and "unit" in outside.json()["error"]["fields"]
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    assert Water.objects.count() == 1


def test_it_updates_retires_and_refuses_a_retired_one(api_for, mine, other):
    client = api_for("school_a_officer")
    changed = client.patch(f"{URL}{mine.pk}/", {"has_signs": False, "sign_count": 0}, format="json")
    assert changed.status_code == 200, changed.json()
    assert client.patch(f"{URL}{other.pk}/", {"note": "x"}, format="json").status_code == 404
    assert api_for("auditor").patch(f"{URL}{mine.pk}/", {}, format="json").status_code == 403
    assert (
        client.post(f"{URL}{mine.pk}/retire/", {"reason": "填埋"}, format="json").status_code == 200
    )
    assert (
        client.post(f"{URL}{other.pk}/retire/", {"reason": "填埋"}, format="json").status_code
        == 404
    )
    assert client.patch(f"{URL}{mine.pk}/", {"note": "x"}, format="json").status_code == 409


def test_it_lists_and_logs_patrols(api_for, mine, other):
    client = api_for("school_a_officer")
    body = {"patrolled_on": str(days(0)), "patroller": "网格员", "findings": "正常"}
    logged = client.post(f"{URL}{mine.pk}/patrols/", body, format="json")
    assert logged.status_code == 201, logged.json()
    rows = client.get(f"{URL}{mine.pk}/patrols/").json()
    assert [r["patroller"] for r in rows] == ["网格员"]
    assert client.get(f"{URL}{mine.pk}/").json()["last_patrolled_on"] == str(days(0))
    problem = {**body, "signs_ok": False, "findings": "", "raise_hazard": True}
    refused = client.post(f"{URL}{mine.pk}/patrols/", problem, format="json")
    assert refused.status_code == 400 and "findings" in refused.json()["error"]["fields"]
    raised = client.post(
        f"{URL}{mine.pk}/patrols/", {**problem, "findings": "警示牌缺失"}, format="json"
    )
    assert raised.status_code == 201 and raised.json()["hazard"]
    assert client.post(f"{URL}{other.pk}/patrols/", body, format="json").status_code == 404
    assert client.get(f"{URL}{other.pk}/patrols/").status_code == 404
    assert (
        api_for("auditor").post(f"{URL}{mine.pk}/patrols/", body, format="json").status_code == 403
    )
    assert api_for("school_b_teacher").get(f"{URL}{mine.pk}/patrols/").status_code == 403
    assert WaterPatrol.objects.count() == 2


def test_it_exports_imports_and_serves_the_template(api_for, mine):
    client = api_for("school_a_officer")
    export = client.get(f"{URL}export/")
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert SCHOOL_A in [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert api_for("school_b_teacher").get(f"{URL}export/").status_code == 403
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403
    good = sheet(
        [[SCHOOL_A, "后山水库", "水库", "后山", "某村", "李", "13900000001", "是", 3, SCHOOL_A]]
    )
    done = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("w.xlsx", good)}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet([[SCHOOL_A, "后山水库2", "大海", "后山", "某村", "李", "13900000001", "否", 0, ""]])
    refused = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("w.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and "类型" in str(refused.json())
    auditor = api_for("auditor").post(
        f"{URL}import/", {"file": SimpleUploadedFile("w.xlsx", good)}, format="multipart"
    )
    assert auditor.status_code == 403


def test_it_keeps_a_waters_photos_and_signs_through_the_api(api_for, mine, other):
    client = api_for("school_a_officer")
    photo = SimpleUploadedFile("警示牌.pdf", b"%PDF-1.4 sign", content_type="application/pdf")
    files = f"{URL}{mine.pk}/attachments/"
    added = client.post(files, {"kind": "photo", "file": photo}, format="multipart")
    assert added.status_code == 201, added.json()
    assert [r["id"] for r in client.get(files).json()] == [added.json()["id"]]
    got = client.get(added.json()["url"])
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 sign"
    assert client.get(f"{URL}{other.pk}/attachments/").status_code == 404
