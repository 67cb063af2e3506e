"""/api/traffic-agreements/: scoped like every register; the share is read-only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xiaoan.traffic.models import TrafficAgreement
from xiaoan.traffic.tests.support import SCHOOL_A, SCHOOL_B, current, make, sheet

pytestmark = pytest.mark.django_db
URL = "/api/traffic-agreements/"


@pytest.fixture
def item(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="一年级(1)班")


def test_it_lists_and_retrieves_in_scope(api_for, item, other, django_assert_max_num_queries):
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(12):
        rows = client.get(URL).json()["results"]
    assert [(r["name"], r["share"]) for r in rows] == [("高一(1)班", 90)]
    district = api_for("district_officer")
    assert district.get(URL).json()["count"] == 2
    assert district.get(URL, {"incomplete": "true", "semester": current()}).json()["count"] == 2
    assert api_for("auditor").get(URL).status_code == 200
    assert api_for("school_b_teacher").get(URL).status_code == 403
    assert client.get(f"{URL}{item.pk}/").json()["unit_name"] == SCHOOL_A
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert api_for("expert").get(f"{URL}{item.pk}/").status_code == 403


def test_it_creates_updates_and_retires(api_for, units, item, other):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "semester": current(),
        "name": "高一(2)班",
        "pupils": 40,
        "returned": 40,
        "share": 5,
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201 and created.json()["share"] == 100
    again = client.post(URL, body, format="json")
    assert again.status_code == 400
    bad = client.post(URL, {**body, "name": "高一(3)班", "semester": "秋季"}, format="json")
    assert bad.status_code == 400 and "semester" in bad.json()["error"]["fields"]
    outside = client.post(URL, {**body, "unit": units[SCHOOL_B].pk}, format="json")
    assert outside.status_code == 400
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    patched = client.patch(f"{URL}{item.pk}/", {"returned": 50}, format="json")
    assert patched.status_code == 200 and patched.json()["share"] == 100
    assert client.patch(f"{URL}{other.pk}/", {"returned": 1}, format="json").status_code == 404
    retire = f"{URL}{item.pk}/retire/"
    assert api_for("auditor").post(retire, {"reason": "合并"}, format="json").status_code == 403
    assert client.post(retire, {"reason": "班级合并"}, format="json").status_code == 200
    assert client.patch(f"{URL}{item.pk}/", {"returned": 1}, format="json").status_code == 409


def test_it_exports_imports_and_serves_the_template(api_for, item):
    client = api_for("school_a_officer")
    export = client.get(f"{URL}export/")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "高一(1)班" in cells and 90 in cells
    assert api_for("school_b_teacher").get(f"{URL}export/").status_code == 403
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403
    good = sheet([[SCHOOL_A, current(), "高二", "高二(1)班", 40, 38]])
    done = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("t.xlsx", good)}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet([[SCHOOL_A, current(), "高二", "高二(2)班", 40, 41]])
    refused = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("t.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and "已回收份数" in str(refused.json())
    auditor = api_for("auditor").post(
        f"{URL}import/", {"file": SimpleUploadedFile("t.xlsx", good)}, format="multipart"
    )
    assert auditor.status_code == 403
    assert TrafficAgreement.objects.count() == 2
