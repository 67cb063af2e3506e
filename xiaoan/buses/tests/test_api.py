"""/api/buses/: scoped like every register, crew as certificate ids in and summaries out,
structured errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.buses.models import Bus
from xiaoan.buses.tests.support import SCHOOL_A, SCHOOL_B, cert, days, make, sheet

pytestmark = pytest.mark.django_db
URL = "/api/buses/"


@pytest.fixture
def bus(persona, units):
    officer = persona("school_a_officer")
    driver = cert(officer, units[SCHOOL_A], "张国庆", "D-1", valid_until=days(-2))
    return make(officer, units[SCHOOL_A], drivers=[driver])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], plate="鄂GC3001")


def test_it_lists_and_retrieves_in_scope(api_for, bus, other, django_assert_max_num_queries):
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(14):
        body = client.get(URL).json()
    (row,) = body["results"]
    assert row["plate"] == "鄂G12345" and row["subject"] == f"buses:{bus.pk}"
    assert row["drivers_detail"][0]["status"] == "expired" and row["escorts"] == []
    assert api_for("district_officer").get(URL, {"q": "C3001"}).json()["count"] == 1
    assert api_for("district_officer").get(URL, {"no_valid_driver": "true"}).json()["count"] == 2
    assert client.get(f"{URL}{bus.pk}/").json()["unit_name"] == SCHOOL_A
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert api_for("auditor").get(URL).status_code == 200
    assert api_for("school_b_teacher").get(URL).status_code == 403
    assert api_for("expert").get(f"{URL}{bus.pk}/").status_code == 403


def test_it_creates_with_crew_and_refuses_a_wrong_one(api_for, persona, units):
    officer = persona("school_a_officer")
    driver = cert(officer, units[SCHOOL_A], "张国庆", "D-1")
    escort = cert(officer, units[SCHOOL_A], "王秀英", "Z-1", escort=True)
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "plate": "鄂GA2002",
        "seats": 19,
        "has_face_recognition": True,
        "drivers": [driver.pk],
        "escorts": [escort.pk],
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["drivers"] == [driver.pk] and created.json()["name"] == "鄂GA2002"
    bad = client.post(URL, {**body, "plate": "鄂GA2003", "drivers": [escort.pk]}, format="json")
    assert bad.status_code == 400 and "drivers" in bad.json()["error"]["fields"]
    assert not Bus.objects.filter(plate="鄂GA2003").exists()
    outside = client.post(URL, {**body, "plate": "鄂GA2004", "unit": units[SCHOOL_B].pk})
    assert outside.status_code == 400
    assert api_for("auditor").post(URL, body, format="json").status_code == 403


def test_it_changes_and_retires(api_for, bus, other):
    client = api_for("school_a_officer")
    patched = client.patch(f"{URL}{bus.pk}/", {"has_infrared": True}, format="json")
    assert patched.status_code == 200 and patched.json()["has_infrared"] is True
    assert client.patch(f"{URL}{other.pk}/", {"seats": 9}, format="json").status_code == 404
    auditor = api_for("auditor").patch(f"{URL}{bus.pk}/", {"seats": 9}, format="json")
    assert auditor.status_code == 403
    retire = client.post(f"{URL}{bus.pk}/retire/", {"reason": "车辆报废"}, format="json")
    assert retire.status_code == 200
    assert client.post(f"{URL}{other.pk}/retire/", {"reason": "报废"}).status_code == 404
    assert client.patch(f"{URL}{bus.pk}/", {"seats": 9}, format="json").status_code == 409


def test_it_exports_imports_and_serves_the_template(api_for, bus, units):
    client = api_for("school_a_officer")
    assert client.get(f"{URL}export/").status_code == 200
    assert api_for("school_b_teacher").get(f"{URL}export/").status_code == 403
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403
    good = sheet([[SCHOOL_A, "鄂GA5566", 19, "本校", "2030-01-01", "是", "否", "否"]])
    done = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("b.xlsx", good)}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet([[SCHOOL_A, "坏车牌", 19]])
    refused = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("b.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and "车牌号" in str(refused.json())
    auditor = api_for("auditor").post(
        f"{URL}import/", {"file": SimpleUploadedFile("b.xlsx", good)}, format="multipart"
    )
    assert auditor.status_code == 403
