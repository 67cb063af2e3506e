"""/api/certificates/: masked ID numbers out, full numbers in, scoped like every register."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from xiaoan.certificates.models import Certificate
from xiaoan.certificates.tests.support import ID_A, ID_B, SCHOOL_A, SCHOOL_B, days, make, sheet

pytestmark = pytest.mark.django_db
URL = "/api/certificates/"


@pytest.fixture
def cert(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="李师傅", id_number=ID_B)


def test_it_lists_masked_and_in_scope(api_for, cert, other, django_assert_max_num_queries):
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    body = response.content.decode()
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["张师傅"]
    assert rows[0]["id_number"] == ID_A[:6] + "********" + ID_A[-4:]
    assert ID_A not in body and rows[0]["valid_today"] is True
    assert api_for("district_officer").get(URL).json()["count"] == 2
    assert api_for("auditor").get(URL).status_code == 200
    assert api_for("school_b_teacher").get(URL).status_code == 403


def test_it_finds_by_the_full_id_number_and_filters(api_for, cert, other, persona, units):
    client = api_for("district_officer")
    assert [r["name"] for r in client.get(URL, {"id_number": ID_B}).json()["results"]] == ["李师傅"]
    make(persona("school_a_officer"), units[SCHOOL_A], name="过期", code="E1", valid_until=days(-1))
    assert [r["name"] for r in client.get(URL, {"expired": "true"}).json()["results"]] == ["过期"]
    soon = client.get(URL, {"due": "soon"}).json()["results"]
    assert [r["name"] for r in soon] == ["过期"]
    assert client.get(URL, {"kind": "health"}).json()["count"] == 0


def test_it_retrieves_in_scope_only(api_for, cert, other):
    client = api_for("school_a_officer")
    assert client.get(f"{URL}{cert.pk}/").json()["unit_name"] == SCHOOL_A
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert api_for("expert").get(f"{URL}{cert.pk}/").status_code == 403


def test_it_creates_with_a_full_number_and_refuses_a_wrong_one(api_for, units):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "食堂王阿姨",
        "employer": "某餐饮公司",
        "post": "canteen",
        "kind": "health",
        "code": "JK-001",
        "valid_until": str(days(200)),
    }
    created = client.post(URL, {**body, "id_number": ID_B}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["id_number"].startswith("420702****")
    assert Certificate.objects.get(code="JK-001").id_number == ID_B
    bad = client.post(
        URL, {**body, "code": "JK-2", "id_number": "420702199203150021"}, format="json"
    )
    assert bad.status_code == 400 and "id_number" in bad.json()["error"]["fields"]
    outside = client.post(URL, {**body, "code": "JK-3", "unit": units[SCHOOL_B].pk}, format="json")
    assert outside.status_code == 400
    assert api_for("auditor").post(URL, body, format="json").status_code == 403


def test_it_keeps_the_number_when_the_mask_comes_back(api_for, cert, other):
    client = api_for("school_a_officer")
    shown = client.get(f"{URL}{cert.pk}/").json()
    changed = client.put(
        f"{URL}{cert.pk}/",
        {k: shown[k] for k in ("unit", "name", "id_number", "post", "kind", "code")}
        | {"issuer": "新发证机关"},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    cert.refresh_from_db()
    assert cert.id_number == ID_A and cert.issuer == "新发证机关"
    patched = client.patch(f"{URL}{cert.pk}/", {"id_number": ID_B}, format="json")
    assert patched.status_code == 200
    cert.refresh_from_db()
    assert cert.id_number == ID_B
    assert client.patch(f"{URL}{other.pk}/", {"issuer": "x"}, format="json").status_code == 404
    auditor = api_for("auditor").patch(f"{URL}{cert.pk}/", {"issuer": "x"}, format="json")
    assert auditor.status_code == 403


def test_it_retires(api_for, cert, other):
    client = api_for("school_a_officer")
    assert (
        client.post(f"{URL}{cert.pk}/retire/", {"reason": "离职"}, format="json").status_code == 200
    )
    assert (
        client.post(f"{URL}{other.pk}/retire/", {"reason": "离职"}, format="json").status_code
        == 404
    )
    assert client.patch(f"{URL}{cert.pk}/", {"issuer": "x"}, format="json").status_code == 409


def test_it_exports_masked_and_serves_the_template(api_for, cert):
    client = api_for("school_a_officer")
    export = client.get(f"{URL}export/")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert ID_A not in cells and ID_A[:6] + "********" + ID_A[-4:] in cells
    assert api_for("school_b_teacher").get(f"{URL}export/").status_code == 403
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403


def test_it_imports_through_the_api(api_for, units):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = sheet(
        [
            [
                SCHOOL_A,
                "张三",
                ID_A,
                "电工",
                "特种作业操作证（电工作业）",
                "D-1",
                "应急局",
                "2030-01-01",
            ]
        ]
    )
    client = api_for("school_a_officer")
    upload = SimpleUploadedFile("c.xlsx", good)
    done = client.post(f"{URL}import/", {"file": upload}, format="multipart")
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet(
        [[SCHOOL_A, "李四", "420702198001011235", "电工", "特种作业操作证（电工作业）", "D-2"]]
    )
    refused = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("c.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and "身份证号" in str(refused.json())
    auditor = api_for("auditor").post(
        f"{URL}import/", {"file": SimpleUploadedFile("c.xlsx", good)}, format="multipart"
    )
    assert auditor.status_code == 403
