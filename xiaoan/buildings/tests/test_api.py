"""/api/buildings/: the register viewset through buildings, with structured errors."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.buildings.models import BuildingFile
from xiaoan.buildings.tests.support import SCHOOL_A, SCHOOL_B, make, sheet

pytestmark = pytest.mark.django_db
URL = "/api/buildings/"


@pytest.fixture
def building(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="东沟教学楼")


def test_it_lists_in_scope_with_filters(api_for, building, other, django_assert_max_num_queries):
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(12):
        body = client.get(URL).json()
    assert [r["name"] for r in body["results"]] == ["1号教学楼"]
    assert body["results"][0]["subject"] == f"buildings:{building.pk}"
    assert api_for("district_officer").get(URL, {"q": "东沟"}).json()["count"] == 1
    assert api_for("auditor").get(URL).status_code == 200
    refused = api_for("school_b_teacher").get(URL)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_it_retrieves_in_scope_only(api_for, building, other):
    client = api_for("school_a_officer")
    assert client.get(f"{URL}{building.pk}/").json()["unit_name"] == SCHOOL_A
    missing = client.get(f"{URL}{other.pk}/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert api_for("expert").get(f"{URL}{building.pk}/").status_code == 403


def test_it_creates_and_refuses_with_fields(api_for, units):
    client = api_for("school_a_officer")
    body = {"unit": units[SCHOOL_A].pk, "name": "宿舍楼", "use": "dormitory", "floors_above": 9}
    created = client.post(URL, {**body, "height": "30.5"}, format="json")
    assert created.status_code == 201 and created.json()["is_high_rise"] is True
    bad = client.post(URL, {**body, "name": "x", "appraisal_grade": "C"}, format="json")
    assert bad.status_code == 400
    assert "appraised_on" in bad.json()["error"]["fields"]
    outside = client.post(URL, {**body, "unit": units[SCHOOL_B].pk}, format="json")
    assert outside.status_code == 400 and "unit" in outside.json()["error"]["fields"]
    assert api_for("auditor").post(URL, body, format="json").status_code == 403


def test_it_updates_partially_and_refuses_others(api_for, building, other):
    client = api_for("school_a_officer")
    changed = client.patch(f"{URL}{building.pk}/", {"exits": 3}, format="json")
    assert changed.status_code == 200 and changed.json()["exits"] == 3
    full = client.put(
        f"{URL}{building.pk}/",
        {"unit": building.unit_id, "name": "新楼名", "use": "teaching", "floors_above": 4},
        format="json",
    )
    assert full.status_code == 200 and full.json()["name"] == "新楼名"
    assert client.patch(f"{URL}{other.pk}/", {"exits": 3}, format="json").status_code == 404
    assert (
        api_for("auditor").patch(f"{URL}{building.pk}/", {"exits": 1}, format="json").status_code
        == 403
    )


def test_it_retires_and_then_conflicts(api_for, building, other):
    client = api_for("school_a_officer")
    assert client.post(f"{URL}{building.pk}/retire/", {}, format="json").status_code == 400
    done = client.post(f"{URL}{building.pk}/retire/", {"reason": "已拆除"}, format="json")
    assert done.status_code == 200 and done.json()["retire_reason"] == "已拆除"
    again = client.patch(f"{URL}{building.pk}/", {"exits": 3}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert client.get(URL).json()["count"] == 0
    assert client.get(URL, {"retired": "with"}).json()["count"] == 1
    assert client.get(f"{URL}{building.pk}/").json()["retired_at"]
    assert (
        client.post(f"{URL}{other.pk}/retire/", {"reason": "x"}, format="json").status_code == 404
    )
    assert (
        api_for("auditor")
        .post(f"{URL}{building.pk}/retire/", {"reason": "拆除"}, format="json")
        .status_code
        == 403
    )


def test_it_imports_with_a_row_report(api_for):
    client = api_for("school_a_officer")
    good = SimpleUploadedFile("b.xlsx", sheet([[SCHOOL_A, "图书馆", "TS", "图书馆", 3, 12]]))
    done = client.post(f"{URL}import/", {"file": good}, format="multipart")
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = SimpleUploadedFile(
        "b.xlsx",
        sheet([[SCHOOL_A, "图书馆", "TS", "图书馆", 3, 12], [SCHOOL_A, "", "", "教学楼", 2, 8]]),
    )
    refused = client.post(f"{URL}import/", {"file": bad}, format="multipart")
    assert refused.status_code == 400
    body = refused.json()
    assert body["error"]["code"] == "invalid" and "第3行 名称" in body["error"]["fields"]
    assert body["result"]["errors"][0]["row"] == 3
    assert (
        api_for("auditor").post(f"{URL}import/", {"file": good}, format="multipart").status_code
        == 403
    )


def test_it_exports_and_offers_the_template(api_for, building, other):
    from openpyxl import load_workbook

    response = api_for("school_a_officer").get(f"{URL}export/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "1号教学楼" in values and "东沟教学楼" not in values
    assert api_for("school_a_officer").get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403
    assert api_for("expert").get(f"{URL}export/").status_code == 403


def test_it_publishes_the_schema(api_for):
    schema = api_for("school_a_officer").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/buildings/" in paths and "/api/buildings/{id}/retire/" in paths
    assert "/api/buildings/import/" in paths and "/api/buildings/export/" in paths
    assert BuildingFile.objects.count() == 0
