"""/api/cameras/ and /api/alarm-points/: scoped like every register, structured errors,
the naming rule, and the coverage endpoint."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xiaoan.cameras.models import AlarmPoint, Camera
from xiaoan.cameras.tests.support import CAMERA_HEADER, SCHOOL_A, SCHOOL_B, alarm, camera, sheet

pytestmark = pytest.mark.django_db
URL = "/api/cameras/"
ALARMS = "/api/alarm-points/"


@pytest.fixture
def mine(persona, units):
    return camera(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return camera(persona("district_officer"), units[SCHOOL_B], status="faulty")


def test_it_lists_and_filters_in_scope(api_for, mine, other):
    client = api_for("school_a_officer")
    rows = client.get(URL).json()["results"]
    assert [r["name"] for r in rows] == [mine.name]
    assert rows[0]["subject"] == f"cameras:{mine.pk}"
    district = api_for("district_officer")
    assert district.get(URL).json()["count"] == 2
    assert district.get(URL, {"status": "faulty"}).json()["count"] == 1
    assert district.get(URL, {"platform_connected": "false"}).json()["count"] == 0
    assert api_for("auditor").get(URL).status_code == 200
    assert api_for("school_b_teacher").get(URL).status_code == 403
    assert client.get(f"{URL}{mine.pk}/").json()["unit_name"] == SCHOOL_A
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert api_for("expert").get(f"{URL}{mine.pk}/").status_code == 403


def test_it_creates_and_refuses_with_structured_errors(api_for, units):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "location": "北校门",
        "direction": "north",
        "key_area": "gate",
        "platform_connected": True,
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["name"] == f"{SCHOOL_A}-北校门-朝北"
    bad = client.post(URL, {**body, "name": "北门"}, format="json")
    assert bad.status_code == 400 and "name" in bad.json()["error"]["fields"]
    outside = client.post(URL, {**body, "unit": units[SCHOOL_B].pk}, format="json")
    assert outside.status_code == 400 and "unit" in outside.json()["error"]["fields"]
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    assert Camera.objects.count() == 1


def test_it_updates_retires_and_refuses_a_retired_one(api_for, mine, other):
    client = api_for("school_a_officer")
    changed = client.patch(f"{URL}{mine.pk}/", {"status": "faulty"}, format="json")
    assert changed.status_code == 200 and changed.json()["status"] == "faulty"
    assert client.patch(f"{URL}{other.pk}/", {"status": "faulty"}, format="json").status_code == 404
    assert api_for("auditor").patch(f"{URL}{mine.pk}/", {}, format="json").status_code == 403
    retired = client.post(f"{URL}{mine.pk}/retire/", {"reason": "拆除"}, format="json")
    assert retired.status_code == 200
    assert (
        client.post(f"{URL}{other.pk}/retire/", {"reason": "拆除"}, format="json").status_code
        == 404
    )
    assert client.patch(f"{URL}{mine.pk}/", {"status": "working"}, format="json").status_code == 409


def test_it_exports_imports_and_serves_the_template(api_for, mine):
    client = api_for("school_a_officer")
    export = client.get(f"{URL}export/")
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert mine.name in [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert api_for("school_b_teacher").get(f"{URL}export/").status_code == 403
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403
    good = sheet([[SCHOOL_A, "实验楼", "朝东", "", "实验室", "否", "正常"]], CAMERA_HEADER)
    done = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("c.xlsx", good)}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet([[SCHOOL_A, "实验楼", "朝上", "", "实验室", "否", "正常"]], CAMERA_HEADER)
    refused = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("c.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and "朝向" in str(refused.json())
    auditor = api_for("auditor").post(
        f"{URL}import/", {"file": SimpleUploadedFile("c.xlsx", good)}, format="multipart"
    )
    assert auditor.status_code == 403


def test_the_coverage_endpoint(api_for, mine):
    rows = api_for("school_a_officer").get(f"{URL}coverage/").json()
    assert [r["school_name"] for r in rows] == [SCHOOL_A]
    assert rows[0]["covered"] == ["gate"] and "dormitory" in rows[0]["missing"]
    district = api_for("district_officer").get(f"{URL}coverage/").json()
    day_school = next(r for r in district if r["school_name"] == SCHOOL_B)
    assert day_school["boarding"] is False and "dormitory" not in day_school["required"]
    assert api_for("school_b_teacher").get(f"{URL}coverage/").status_code == 403


def test_the_alarm_point_endpoints(api_for, persona, units):
    point = alarm(persona("school_a_officer"), units[SCHOOL_A])
    far = alarm(persona("district_officer"), units[SCHOOL_B], police_linked=False)
    client = api_for("school_a_officer")
    assert [r["name"] for r in client.get(ALARMS).json()["results"]] == ["门卫室"]
    assert api_for("district_officer").get(ALARMS, {"police_linked": "false"}).json()["count"] == 1
    assert api_for("school_b_teacher").get(ALARMS).status_code == 403
    assert client.get(f"{ALARMS}{point.pk}/").json()["next_test_on"]
    assert client.get(f"{ALARMS}{far.pk}/").status_code == 404
    made = client.post(ALARMS, {"unit": units[SCHOOL_A].pk, "location": "值班室"}, format="json")
    assert made.status_code == 201 and made.json()["name"] == "值班室"
    bad = client.post(ALARMS, {"unit": units[SCHOOL_A].pk, "location": ""}, format="json")
    assert bad.status_code == 400
    assert api_for("auditor").post(ALARMS, {}, format="json").status_code == 403
    assert client.patch(f"{ALARMS}{far.pk}/", {}, format="json").status_code == 404
    done = client.post(f"{ALARMS}{point.pk}/retire/", {"reason": "拆除"}, format="json")
    assert done.status_code == 200
    assert (
        client.post(f"{ALARMS}{far.pk}/retire/", {"reason": "x"}, format="json").status_code == 404
    )
    assert client.get(f"{ALARMS}export/").status_code == 200
    assert api_for("expert").get(f"{ALARMS}export/").status_code == 403
    assert client.get(f"{ALARMS}template/").status_code == 200
    assert api_for("auditor").get(f"{ALARMS}template/").status_code == 403
    rows = sheet([[SCHOOL_A, "东门岗亭", "是"]], ["所属单位", "安装位置", "联网公安"])
    imported = client.post(
        f"{ALARMS}import/", {"file": SimpleUploadedFile("a.xlsx", rows)}, format="multipart"
    )
    assert imported.status_code == 200 and AlarmPoint.objects.filter(name="东门岗亭").exists()
    assert api_for("auditor").post(f"{ALARMS}import/", {}, format="multipart").status_code == 403
