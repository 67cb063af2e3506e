"""/api/equipment/: list, record, create, update, retire, import, export, template and the
inspection step, with structured errors and the scope."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiaoan.equipment.models import Equipment
from xiaoan.equipment.tests.support import (
    SCHOOL_A,
    SCHOOL_B,
    certificate,
    days,
    make,
    sheet,
)
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db
URL = "/api/equipment/"


@pytest.fixture
def item(persona, units):
    operator = certificate(units[SCHOOL_A], "T1", name="张三")
    return make(persona("school_a_officer"), units[SCHOOL_A], operators=[operator.pk])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="东沟电梯")


def test_it_lists_in_scope_with_filters(
    api_for, item, other, persona, units, django_assert_max_num_queries
):
    make(
        persona("school_a_officer"),
        units[SCHOOL_A],
        name="食堂锅炉",
        kind="boiler",
        code="锅1",
        last_inspected_on=days(-400),
        next_inspection_on=days(-5),
    )
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(12):
        body = client.get(URL).json()
    assert [r["name"] for r in body["results"]] == ["宿舍楼电梯", "食堂锅炉"]
    row = body["results"][0]
    assert row["subject"] == f"equipment:{item.pk}"
    operator = item.operators.get()
    assert row["operators"] == [operator.pk]
    assert row["operators_detail"] == [
        {
            "id": operator.pk,
            "name": "张三",
            "code": "T1",
            "kind": "special_equipment",
            "valid_until": str(days(365)),
            "status": "valid",
        }
    ]
    invalid = client.get(URL, {"operators_invalid": "true"}).json()["results"]
    assert [r["name"] for r in invalid] == ["食堂锅炉"]
    assert [r["name"] for r in client.get(URL, {"kind": "boiler"}).json()["results"]] == [
        "食堂锅炉"
    ]
    overdue = client.get(URL, {"inspection_overdue": "true"}).json()["results"]
    assert [r["name"] for r in overdue] == ["食堂锅炉"]
    assert client.get(URL, {"due": "overdue"}).json()["count"] == 1
    assert api_for("district_officer").get(URL, {"q": "东沟"}).json()["count"] == 1
    assert api_for("auditor").get(URL).status_code == 200
    refused = api_for("school_b_teacher").get(URL)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_it_retrieves_in_scope_only(api_for, item, other):
    client = api_for("school_a_officer")
    assert client.get(f"{URL}{item.pk}/").json()["unit_name"] == SCHOOL_A
    missing = client.get(f"{URL}{other.pk}/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert api_for("expert").get(f"{URL}{item.pk}/").status_code == 403


def test_it_creates_and_refuses_with_fields(api_for, units):
    client = api_for("school_a_officer")
    wang = certificate(units[SCHOOL_A], "R1-001", name="王五")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "储气罐",
        "kind": "pressure_vessel",
        "code": "容1",
        "next_inspection_on": str(days(300)),
        "operators": [wang.pk],
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["operators"] == [wang.pk]
    assert created.json()["operators_detail"][0]["name"] == "王五"
    again = client.post(URL, {**body, "name": "另一罐"}, format="json")
    assert again.status_code == 400  # the same registration code in the unit
    bad = client.post(URL, {**body, "code": "容2", "conclusion": "passed"}, format="json")
    assert bad.status_code == 400 and "last_inspected_on" in bad.json()["error"]["fields"]
    missing = client.post(URL, {**body, "code": "容3", "next_inspection_on": None}, format="json")
    assert "next_inspection_on" in missing.json()["error"]["fields"]
    outside = client.post(URL, {**body, "code": "容4", "unit": units[SCHOOL_B].pk}, format="json")
    assert outside.status_code == 400 and "unit" in outside.json()["error"]["fields"]
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    assert Equipment.objects.count() == 1


def test_it_updates_partially_and_refuses_others(api_for, item, other):
    client = api_for("school_a_officer")
    changed = client.patch(f"{URL}{item.pk}/", {"maintainer": "新维保"}, format="json")
    assert changed.status_code == 200 and changed.json()["maintainer"] == "新维保"
    assert changed.json()["operators_detail"][0]["code"] == "T1"  # kept when not sent
    assert client.patch(f"{URL}{other.pk}/", {"maintainer": "x"}, format="json").status_code == 404
    refused = api_for("auditor").patch(f"{URL}{item.pk}/", {"maintainer": "x"}, format="json")
    assert refused.status_code == 403


def test_it_sets_operators_by_certificate_ids_and_refuses_unfit_ones(api_for, item, units):
    client = api_for("school_a_officer")
    url = f"{URL}{item.pk}/"
    li = certificate(units[SCHOOL_A], "T2", name="李四")
    changed = client.patch(url, {"operators": [li.pk]}, format="json")
    assert changed.status_code == 200 and changed.json()["operators"] == [li.pk]
    refused = {
        "other school": certificate(units[SCHOOL_B], "T3", name="赵六").pk,
        "retired": certificate(units[SCHOOL_A], "T4", retired_at=timezone.now()).pk,
        "boiler kind": certificate(units[SCHOOL_A], "G1", kind="boiler").pk,
        "not an operator": certificate(units[SCHOOL_A], "D1", kind="driving").pk,
        "missing": 999999,
    }
    for why, pk in refused.items():
        answer = client.patch(url, {"operators": [li.pk, pk]}, format="json")
        assert answer.status_code == 400, why
        assert "operators" in answer.json()["error"]["fields"], why
    assert list(Equipment.objects.get(pk=item.pk).operators.all()) == [li]
    cleared = client.patch(url, {"operators": []}, format="json")
    assert cleared.json()["operators"] == [] and cleared.json()["operators_detail"] == []


def test_it_records_an_inspection(api_for, item, other):
    client = api_for("school_a_officer")
    url = f"{URL}{item.pk}/inspection/"
    body = {
        "inspected_on": str(days(-1)),
        "conclusion": "passed",
        "next_inspection_on": str(days(364)),
    }
    done = client.post(url, body, format="json")
    assert done.status_code == 200 and done.json()["next_inspection_on"] == str(days(364))
    older = client.post(url, {**body, "inspected_on": str(days(-30))}, format="json")
    assert older.status_code == 400 and "inspected_on" in older.json()["error"]["fields"]
    assert client.post(url, {}, format="json").status_code == 400
    assert client.post(f"{URL}{other.pk}/inspection/", body, format="json").status_code == 404
    assert api_for("auditor").post(url, body, format="json").status_code == 403


def test_it_retires_and_then_conflicts(api_for, item, other):
    client = api_for("school_a_officer")
    assert client.post(f"{URL}{item.pk}/retire/", {}, format="json").status_code == 400
    done = client.post(f"{URL}{item.pk}/retire/", {"reason": "已报废"}, format="json")
    assert done.status_code == 200 and done.json()["retire_reason"] == "已报废"
    again = client.patch(f"{URL}{item.pk}/", {"maintainer": "x"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert client.get(URL).json()["count"] == 0
    assert (
        client.post(f"{URL}{other.pk}/retire/", {"reason": "x"}, format="json").status_code == 404
    )
    refused = api_for("auditor").post(f"{URL}{item.pk}/retire/", {"reason": "报废"}, format="json")
    assert refused.status_code == 403


def test_it_imports_with_a_row_report(api_for):
    client = api_for("school_a_officer")
    row = [SCHOOL_A, "食堂锅炉", "锅炉", "锅1", "维保", "2025-12-01", "合格", str(days(200))]
    good = SimpleUploadedFile("e.xlsx", sheet([row]))
    done = client.post(f"{URL}import/", {"file": good}, format="multipart")
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = SimpleUploadedFile(
        "e.xlsx", sheet([row, [SCHOOL_A, "电梯", "电梯", "梯1", "", "", "", ""]])
    )
    refused = client.post(f"{URL}import/", {"file": bad}, format="multipart")
    assert refused.status_code == 400
    body = refused.json()
    assert "第3行 下次定期检验日期" in body["error"]["fields"]
    assert body["result"]["errors"][0]["row"] == 3
    denied = api_for("auditor").post(f"{URL}import/", {"file": good}, format="multipart")
    assert denied.status_code == 403


def test_it_exports_and_offers_the_template(api_for, item, other):
    from openpyxl import load_workbook

    response = api_for("school_a_officer").get(f"{URL}export/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "宿舍楼电梯" in values and "东沟电梯" not in values and "张三（T1）" in values
    assert api_for("school_a_officer").get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403
    assert api_for("expert").get(f"{URL}export/").status_code == 403


def test_a_hazard_can_name_the_equipment(api_for, item, other, units):
    client = api_for("school_a_officer")
    body = {"unit": units[SCHOOL_A].pk, "description": "电梯异响，门锁不灵"}
    done = client.post("/api/hazards/", {**body, "subject": f"equipment:{item.pk}"}, format="json")
    assert done.status_code == 201, done.json()
    assert Hazard.objects.get().subject == item
    refused = client.post(
        "/api/hazards/", {**body, "subject": f"equipment:{other.pk}"}, format="json"
    )
    assert refused.status_code == 400 and "subject" in refused.json()["error"]["fields"]


def test_it_publishes_the_schema(api_for):
    paths = api_for("school_a_officer").get("/api/schema/", {"format": "json"}).json()["paths"]
    assert "/api/equipment/" in paths and "/api/equipment/{id}/inspection/" in paths
    assert "/api/equipment/import/" in paths and "/api/equipment/{id}/retire/" in paths


def test_the_schema_says_ids_in_and_summaries_out(api_for):
    schema = api_for("school_a_officer").get("/api/schema/", {"format": "json"}).json()
    props = schema["components"]["schemas"]["Equipment"]["properties"]
    assert props["operators"]["type"] == "array"
    assert props["operators"]["items"]["type"] == "integer"
    detail = props["operators_detail"]
    assert detail["readOnly"] and detail["type"] == "array"
    summary = detail["items"]["$ref"].rsplit("/", 1)[-1]
    assert "status" in schema["components"]["schemas"][summary]["properties"]
