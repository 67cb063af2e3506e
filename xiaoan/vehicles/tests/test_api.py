"""/api/campus-vehicles/: scoped like every register, plus the violations and lift actions."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xiaoan.vehicles.models import CampusVehicle, Violation
from xiaoan.vehicles.tests.support import SCHOOL_A, SCHOOL_B, days, make, sheet

pytestmark = pytest.mark.django_db
URL = "/api/campus-vehicles/"


@pytest.fixture
def car(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="鄂GB2222", owner="李家长")


def test_it_lists_and_retrieves_in_scope(api_for, car, other, django_assert_max_num_queries):
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(12):
        rows = client.get(URL).json()["results"]
    assert [r["name"] for r in rows] == ["鄂GA1234"] and rows[0]["may_enter"] is True
    assert api_for("district_officer").get(URL).json()["count"] == 2
    assert api_for("auditor").get(URL).status_code == 200
    assert api_for("school_b_teacher").get(URL).status_code == 403
    assert client.get(f"{URL}{car.pk}/").json()["unit_name"] == SCHOOL_A
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert api_for("expert").get(f"{URL}{car.pk}/").status_code == 403
    found = api_for("district_officer").get(URL, {"plate": "b 2222"}).json()["results"]
    assert [r["name"] for r in found] == ["鄂GB2222"]


def test_it_creates_updates_and_retires(api_for, units, car, other):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "鄂G·C3333",
        "vehicle_class": "visitor",
        "owner": "赵先生",
    }
    refused = client.post(URL, body, format="json")
    assert refused.status_code == 400 and "valid_until" in refused.json()["error"]["fields"]
    created = client.post(URL, {**body, "valid_until": str(days(3))}, format="json")
    assert created.status_code == 201 and created.json()["name"] == "鄂GC3333"
    outside = client.post(URL, {**body, "unit": units[SCHOOL_B].pk}, format="json")
    assert outside.status_code == 400
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    # The blacklist is the rule's, never written through the register.
    patched = client.patch(f"{URL}{car.pk}/", {"blacklisted": True, "phone": "1"}, format="json")
    assert patched.status_code == 200 and patched.json()["blacklisted"] is False
    assert client.patch(f"{URL}{other.pk}/", {"phone": "1"}, format="json").status_code == 404
    retire = f"{URL}{car.pk}/retire/"
    assert api_for("auditor").post(retire, {"reason": "调离"}, format="json").status_code == 403
    assert client.post(retire, {"reason": "调离"}, format="json").status_code == 200
    assert client.patch(f"{URL}{car.pk}/", {"phone": "2"}, format="json").status_code == 409


def test_it_records_violations_and_blacklists(api_for, car, other):
    client = api_for("school_a_officer")
    url = f"{URL}{car.pk}/violations/"
    bad = client.post(url, {"kind": "honking"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]
    answers = [client.post(url, {"kind": "speeding"}, format="json") for _n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.json()["blacklisted"] for a in answers] == [False, False, True]
    assert answers[0].json()["violation"]["plate"] == "鄂GA1234"
    listed = client.get(url)
    assert listed.status_code == 200 and len(listed.json()) == 3
    assert api_for("auditor").get(url).status_code == 200
    assert api_for("school_b_teacher").get(url).status_code == 403
    assert client.get(f"{URL}{other.pk}/violations/").status_code == 404
    assert api_for("auditor").post(url, {"kind": "parking"}, format="json").status_code == 403
    outside = client.post(f"{URL}{other.pk}/violations/", {"kind": "parking"}, format="json")
    assert outside.status_code == 404
    assert Violation.objects.count() == 3


def test_it_lifts_the_blacklist(api_for, car, other):
    officer = api_for("school_a_officer")
    for _n in range(3):
        officer.post(f"{URL}{car.pk}/violations/", {"kind": "parking"}, format="json")
    url = f"{URL}{car.pk}/lift/"
    assert officer.post(url, {"reason": "已教育"}, format="json").status_code == 403
    head = api_for("school_a_head")
    assert head.post(url, {}, format="json").status_code == 400
    assert (
        head.post(f"{URL}{other.pk}/lift/", {"reason": "已教育"}, format="json").status_code == 404
    )
    done = head.post(url, {"reason": "已接受安全教育"}, format="json")
    assert done.status_code == 200 and done.json()["blacklisted"] is False
    assert head.post(url, {"reason": "再解除"}, format="json").status_code == 409


def test_it_exports_imports_and_serves_the_template(api_for, car):
    client = api_for("school_a_officer")
    export = client.get(f"{URL}export/")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "鄂GA1234" in cells and "教职工车辆" in cells
    assert api_for("school_b_teacher").get(f"{URL}export/").status_code == 403
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403
    good = sheet([[SCHOOL_A, "鄂GE5555", "电动自行车", "陈老师", "138", None]])
    done = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("v.xlsx", good)}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet([[SCHOOL_A, "鄂GE6666", "访客车辆", "某人", "", None]])
    refused = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("v.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and "通行有效期" in str(refused.json())
    auditor = api_for("auditor").post(
        f"{URL}import/", {"file": SimpleUploadedFile("v.xlsx", good)}, format="multipart"
    )
    assert auditor.status_code == 403
    assert CampusVehicle.objects.count() == 2
