"""/api/trainings/: scoping, filters, writes, attendance (list, mark, sheet, export), the QR
code's token and check-in by it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from xiaoan.training.models import Attendance, TrainingSession
from xiaoan.training.tests.support import DISTRICT, SCHOOL_A, SCHOOL_B, days, make_session, sheet

pytestmark = pytest.mark.django_db
API = "/api/trainings/"


@pytest.fixture
def session(persona, units):
    return make_session(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make_session(
        persona("district_officer"), units[SCHOOL_B], name="东沟防溺水培训", domain="drowning"
    )


def test_it_lists_sessions_in_scope_with_filters(
    api_for, session, other, django_assert_max_num_queries
):
    body = api_for("school_a_officer").get(API).json()
    assert [r["id"] for r in body["results"]] == [session.pk]
    assert body["results"][0]["checkin_open"] is False and "checkin_token" not in body["results"][0]
    district = api_for("district_officer")
    assert district.get(API).json()["count"] == 2
    assert district.get(API, {"domain": "drowning"}).json()["count"] == 1
    assert district.get(API, {"audience_role": "safety_officer"}).json()["count"] == 2
    assert district.get(API, {"audience_role": "unit_head"}).json()["count"] == 0
    assert district.get(API, {"held_after": str(days(0))}).json()["count"] == 0
    assert district.get(API, {"unattended": "true"}).json()["count"] == 2
    for n in range(5):
        district.post(
            API,
            {
                "unit": session.unit_id,
                "name": f"培训{n}",
                "domain": "fire",
                "held_on": str(days(-n)),
                "trainer": "李教官",
                "hours": "1",
            },
            format="json",
        )
    with django_assert_max_num_queries(12):
        assert district.get(API).json()["count"] == 7
    refused = api_for("school_b_teacher").get(API)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_it_creates_updates_and_refuses_sessions(api_for, units, session, other):
    client = api_for("school_a_officer")
    made = client.post(
        API,
        {
            "unit": units[SCHOOL_A].pk,
            "name": "宿管员安全培训",
            "domain": "fire",
            "held_on": str(days(3)),
            "trainer": "李安办",
            "hours": "1.5",
            "audience_kinds": ["宿管"],
            "covers": [units["总务处"].pk],
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["covers"] == [units["总务处"].pk] and made.json()["audience_kinds"] == [
        "宿管"
    ]
    pk = made.json()["id"]
    changed = client.patch(f"{API}{pk}/", {"hours": "3"}, format="json")
    assert changed.status_code == 200 and changed.json()["hours"] == "3.0"
    bad = client.post(
        API,
        {
            "unit": units[SCHOOL_A].pk,
            "name": "x",
            "domain": "fire",
            "held_on": str(days(1)),
            "trainer": "y",
            "hours": "0",
            "audience_roles": ["system_admin"],
        },
        format="json",
    )
    assert bad.status_code == 400
    outside = client.post(
        API,
        {
            "unit": units[SCHOOL_A].pk,
            "name": "x",
            "domain": "fire",
            "held_on": str(days(1)),
            "trainer": "y",
            "hours": "1",
            "covers": [units[SCHOOL_B].pk],
        },
        format="json",
    )
    assert outside.status_code == 400 and "covers" in outside.json()["error"]["fields"]
    assert client.get(f"{API}{other.pk}/").status_code == 404
    assert client.patch(f"{API}{other.pk}/", {"hours": "3"}, format="json").status_code == 404
    assert (
        api_for("auditor").patch(f"{API}{session.pk}/", {"hours": "3"}, format="json").status_code
        == 403
    )


def test_it_lists_and_marks_attendance(api_for, persona, session, other):
    client = api_for("school_a_officer")
    head, owner = persona("school_a_head"), persona("school_a_owner")
    body = {
        "users": [head.pk, owner.pk],
        "outsiders": [{"name": "黄保安", "employer": "保安公司", "certificate_no": "BA-1"}],
    }
    first = client.post(f"{API}{session.pk}/attendance/", body, format="json")
    assert first.status_code == 200 and first.json() == {
        "added": 2,
        "removed": 0,
        "outsiders": 1,
        "total": 3,
    }
    again = client.post(f"{API}{session.pk}/attendance/", body, format="json")
    assert again.json() == {"added": 0, "removed": 0, "outsiders": 0, "total": 3}
    replaced = client.post(
        f"{API}{session.pk}/attendance/", {"users": [head.pk], "replace": True}, format="json"
    )
    assert replaced.json()["removed"] == 1 and replaced.json()["total"] == 2
    rows = client.get(f"{API}{session.pk}/attendance/").json()
    assert {(r["name"], r["outsider"], r["method"]) for r in rows} == {
        ("王校长", False, "api"),
        ("黄保安", True, "api"),
    }
    wrong = client.post(
        f"{API}{session.pk}/attendance/", {"users": [persona("school_b_teacher").pk]}, format="json"
    )
    assert wrong.status_code == 400 and Attendance.objects.filter(session=session).count() == 2
    assert client.get(f"{API}{other.pk}/attendance/").status_code == 404
    assert (
        client.post(f"{API}{other.pk}/attendance/", {"users": []}, format="json").status_code == 404
    )
    assert api_for("auditor").get(f"{API}{session.pk}/attendance/").status_code == 200
    assert (
        api_for("auditor")
        .post(f"{API}{session.pk}/attendance/", {"users": []}, format="json")
        .status_code
        == 403
    )
    assert api_for("school_b_teacher").get(f"{API}{session.pk}/attendance/").status_code == 403
    assert client.get(f"{API}99999999999999999999/attendance/").status_code in (400, 404)


def test_it_imports_and_exports_the_attendance_sheet(api_for, session, other):
    client = api_for("school_a_officer")
    bad = SimpleUploadedFile("s.xlsx", sheet([["王校长"], ["无名氏"]], header=("姓名",)))
    refused = client.post(f"{API}{session.pk}/attendance/sheet/", {"file": bad}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["result"]["errors"] == [
        {"row": 3, "message": refused.json()["result"]["errors"][0]["message"]}
    ]
    assert "第3行" in refused.json()["error"]["fields"]
    assert not Attendance.objects.filter(session=session).exists()
    good = SimpleUploadedFile("s.xlsx", sheet([["王校长"]], header=("姓名",)))
    done = client.post(f"{API}{session.pk}/attendance/sheet/", {"file": good}, format="multipart")
    assert done.status_code == 200 and done.json()["added"] == 1
    other_file = SimpleUploadedFile("s.xlsx", sheet([["王校长"]], header=("姓名",)))
    assert (
        client.post(
            f"{API}{other.pk}/attendance/sheet/", {"file": other_file}, format="multipart"
        ).status_code
        == 404
    )
    assert (
        api_for("auditor")
        .post(f"{API}{session.pk}/attendance/sheet/", {}, format="multipart")
        .status_code
        == 403
    )
    export = client.get(f"{API}{session.pk}/attendance/export/")
    assert export.status_code == 200
    assert client.get(f"{API}{other.pk}/attendance/export/").status_code == 404
    assert (
        api_for("school_b_teacher").get(f"{API}{session.pk}/attendance/export/").status_code == 403
    )


def test_it_opens_the_qr_code_and_checks_in_by_it(api_for, persona, session, other):
    client = api_for("school_a_officer")
    opened = client.post(f"{API}{session.pk}/checkin/open/")
    assert opened.status_code == 200 and opened.json()["checkin_open"] is True
    token = TrainingSession.objects.get(pk=session.pk).checkin_token
    head = api_for("school_a_head")
    assert head.post(f"{API}checkin/", {"token": token}, format="json").json() == {
        "session": session.pk,
        "name": session.name,
        "recorded": True,
    }
    assert head.post(f"{API}checkin/", {"token": token}, format="json").json()["recorded"] is False
    refused = api_for("school_b_teacher").post(f"{API}checkin/", {"token": token}, format="json")
    assert refused.status_code == 400 and "不在本次培训" in refused.json()["error"]["message"]
    assert APIClient().post(f"{API}checkin/", {"token": token}, format="json").status_code in (
        401,
        403,
    )
    assert client.post(f"{API}{other.pk}/checkin/open/").status_code == 404
    assert api_for("auditor").post(f"{API}{session.pk}/checkin/open/").status_code == 403
    assert api_for("auditor").post(f"{API}{session.pk}/checkin/close/").status_code == 403
    closed = client.post(f"{API}{session.pk}/checkin/close/")
    assert closed.status_code == 200 and closed.json()["checkin_open"] is False
    assert head.post(f"{API}checkin/", {"token": token}, format="json").status_code == 404
    assert Attendance.objects.filter(session=session, method="qr").count() == 1


def test_it_scopes_the_district_ledger(api_for, session, other, units):
    assert api_for("district_officer").get(API, {"unit": units[DISTRICT].pk}).json()["count"] == 2
    assert api_for("uni_security").get(API).json()["count"] == 0
