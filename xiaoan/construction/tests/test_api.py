"""/api/construction-projects/: scoped like every register, the status derived from dates."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xiaoan.construction.models import ConstructionProject
from xiaoan.construction.tests.support import SCHOOL_A, SCHOOL_B, days, make, sheet

pytestmark = pytest.mark.django_db
URL = "/api/construction-projects/"


@pytest.fixture
def project(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="东沟厕所改造")


def test_it_lists_in_scope_and_filters(api_for, project, other, persona, units):
    client = api_for("school_a_officer")
    rows = client.get(URL).json()["results"]
    assert [r["name"] for r in rows] == ["食堂改扩建"]
    assert rows[0]["status"] == "in_progress"
    assert rows[0]["subject"] == f"construction_projects:{project.pk}"
    district = api_for("district_officer")
    assert district.get(URL).json()["count"] == 2
    make(persona("school_a_officer"), units[SCHOOL_A], name="跑道", starts_on=days(3))
    planned = district.get(URL, {"status": "planned"}).json()["results"]
    assert [r["name"] for r in planned] == ["跑道"]
    assert district.get(URL, {"uninspected": "true"}).json()["count"] == 2
    assert district.get(URL, {"unsafe": "true"}).json()["count"] == 0
    assert api_for("auditor").get(URL).status_code == 200
    assert api_for("school_b_teacher").get(URL).status_code == 403


def test_it_retrieves_in_scope_only(api_for, project, other):
    client = api_for("school_a_officer")
    assert client.get(f"{URL}{project.pk}/").json()["unit_name"] == SCHOOL_A
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert api_for("school_b_teacher").get(f"{URL}{project.pk}/").status_code == 403


def test_it_creates_updates_and_refuses_bad_input(api_for, units, project, other):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "外墙维修",
        "location": "1号教学楼",
        "contractor": "华鑫装饰",
        "site_manager": "吴工",
        "site_manager_phone": "13807110002",
        "starts_on": str(days(-1)),
        "ends_on": str(days(30)),
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["segregated"] is False
    bad = client.post(URL, {**body, "agreement_signed": True}, format="json")
    assert bad.status_code == 400 and "agreement_signed_on" in bad.json()["error"]["fields"]
    patched = client.patch(f"{URL}{project.pk}/", {"segregated": False}, format="json")
    assert patched.status_code == 200 and patched.json()["segregated"] is False
    assert client.patch(f"{URL}{other.pk}/", {"note": "x"}, format="json").status_code == 404
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    assert ConstructionProject.objects.count() == 3


def test_it_retires(api_for, project, other):
    client = api_for("school_a_officer")
    assert client.post(f"{URL}{project.pk}/retire/", {"reason": "已竣工"}).status_code == 200
    assert client.post(f"{URL}{other.pk}/retire/", {"reason": "已竣工"}).status_code == 404
    assert client.patch(f"{URL}{project.pk}/", {"note": "x"}, format="json").status_code == 409


def test_it_exports_with_the_status_and_serves_the_template(api_for, project):
    client = api_for("school_a_officer")
    export = client.get(f"{URL}export/")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "食堂改扩建" in cells and "施工中" in cells
    assert api_for("school_b_teacher").get(f"{URL}export/").status_code == 403
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403


def test_it_imports_through_the_api(api_for):
    row = [SCHOOL_A, "围墙", "东墙", "太和建筑队", "孙工", "138", "2030-01-01", "2030-02-01"]
    client = api_for("school_a_officer")
    done = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("p.xlsx", sheet([row]))}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet([[*row[:6], "2030-03-01", "2030-02-01"]])
    refused = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("p.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and "计划完工日期" in str(refused.json())
    auditor = api_for("auditor").post(
        f"{URL}import/", {"file": SimpleUploadedFile("p.xlsx", sheet([row]))}, format="multipart"
    )
    assert auditor.status_code == 403
