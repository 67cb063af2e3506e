"""/api/fire-assets/ and /api/fire-asset-checks/: scoped, with structured errors, the
monthly check idempotent on retry."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.fireassets.models import FireAssetCheck
from xiaoan.fireassets.tests.support import SCHOOL_A, SCHOOL_B, check, make, sheet
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db
URL = "/api/fire-assets/"
CHECKS = "/api/fire-asset-checks/"


@pytest.fixture
def asset(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], code="DG-1")


def test_it_lists_and_retrieves_in_scope(api_for, asset, other, django_assert_max_num_queries):
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(12):
        body = client.get(URL).json()
    assert [r["code"] for r in body["results"]] == ["MHQ-01"]
    assert body["results"][0]["subject"] == f"fireassets:{asset.pk}"
    assert body["results"][0]["is_expired"] is False
    assert api_for("district_officer").get(URL, {"q": "DG"}).json()["count"] == 1
    assert api_for("district_officer").get(URL, {"expired": "true"}).json()["count"] == 0
    assert client.get(f"{URL}{asset.pk}/").json()["unit_name"] == SCHOOL_A
    missing = client.get(f"{URL}{other.pk}/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    refused = api_for("school_b_teacher").get(URL)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_it_creates_updates_and_retires_with_fields(api_for, units, asset, other):
    client = api_for("school_a_officer")
    body = {"unit": units[SCHOOL_A].pk, "kind": "detector", "code": "YG-1"}
    bad = client.post(URL, body, format="json")
    assert bad.status_code == 400 and "asset_type" in bad.json()["error"]["fields"]
    created = client.post(URL, {**body, "asset_type": "smoke"}, format="json")
    assert created.status_code == 201 and created.json()["name"] == "火灾探测器 YG-1"
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    changed = client.patch(f"{URL}{asset.pk}/", {"capacity": "5kg"}, format="json")
    assert changed.status_code == 200 and changed.json()["capacity"] == "5kg"
    assert client.patch(f"{URL}{other.pk}/", {"capacity": "1"}, format="json").status_code == 404
    retire = f"{URL}{asset.pk}/retire/"
    assert api_for("auditor").post(retire, {"reason": "报废"}, format="json").status_code == 403
    done = client.post(retire, {"reason": "报废"}, format="json")
    assert done.status_code == 200
    assert client.patch(f"{URL}{asset.pk}/", {"capacity": "1"}, format="json").status_code == 409


def test_it_imports_exports_and_offers_the_template(api_for):
    from openpyxl import load_workbook

    client = api_for("school_a_officer")
    rows = [[SCHOOL_A, "灭火器", "MHQ-5", "二氧化碳", "3kg", "机房", "2030-06-01"]]
    done = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("f.xlsx", sheet(rows))}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    rows.append([SCHOOL_A, "灭火器", "MHQ-6", "烟感", "3kg", "机房", "2030-06-01"])
    refused = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("f.xlsx", sheet(rows))}, format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["result"]["errors"][0]["row"] == 3
    response = client.get(f"{URL}export/")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "MHQ-5" in values and "二氧化碳" in values
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403
    assert api_for("expert").get(f"{URL}export/").status_code == 403
    assert api_for("auditor").post(f"{URL}import/", {}, format="multipart").status_code == 403


def test_it_records_a_row_of_checks_once_per_key(api_for, persona, units, asset):
    second = make(persona("school_a_officer"), units[SCHOOL_A], code="MHQ-02")
    client = api_for("school_a_officer")
    body = {
        "checks": [
            {"asset": asset.pk, "result": "ok"},
            {"asset": second.pk, "result": "failed", "note": "铅封脱落"},
        ]
    }
    first = client.post(CHECKS, body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201 and first.json()["replayed"] is False
    assert [c["result"] for c in first.json()["checks"]] == ["ok", "failed"]
    again = client.post(CHECKS, body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert again.status_code == 200 and again.json()["batch"] == first.json()["batch"]
    assert FireAssetCheck.objects.count() == 2 and Hazard.objects.count() == 1
    other_body = {"checks": [{"asset": asset.pk, "result": "failed", "note": "坏了"}]}
    mismatch = client.post(CHECKS, other_body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert mismatch.status_code == 422
    no_reason = client.post(
        CHECKS, {"checks": [{"asset": asset.pk, "result": "failed"}]}, format="json"
    )
    assert (
        no_reason.status_code == 400 and f"asset-{asset.pk}" in no_reason.json()["error"]["fields"]
    )
    assert api_for("auditor").post(CHECKS, body, format="json").status_code == 403


def test_it_lists_checks_in_scope(api_for, persona, units, asset, other):
    check(persona("school_a_officer"), (asset, "failed", "压力不足"))
    check(persona("district_officer"), (other, "ok"))
    client = api_for("school_a_officer")
    body = client.get(CHECKS).json()
    assert [r["note"] for r in body["results"]] == ["压力不足"]
    one = body["results"][0]["id"]
    assert client.get(f"{CHECKS}{one}/").json()["result"] == "failed"
    assert api_for("district_officer").get(CHECKS, {"result": "ok"}).json()["count"] == 1
    theirs = FireAssetCheck.objects.get(asset=other).pk
    assert client.get(f"{CHECKS}{theirs}/").status_code == 404
    assert api_for("auditor").get(CHECKS).status_code == 200
    assert api_for("expert").get(CHECKS).status_code == 403


def test_it_publishes_the_schema(api_for):
    paths = api_for("school_a_officer").get("/api/schema/", {"format": "json"}).json()["paths"]
    assert "/api/fire-assets/" in paths and "/api/fire-assets/{id}/retire/" in paths
    assert "/api/fire-asset-checks/" in paths
    assert "post" in paths["/api/fire-asset-checks/"]
