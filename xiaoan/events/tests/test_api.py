"""/api/events/: scoped like every register, and `POST {id}/signoff/` with its refusals."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xiaoan.events.models import Event
from xiaoan.events.tests.support import SCHOOL_A, SCHOOL_B, days, make, ready, sheet

pytestmark = pytest.mark.django_db
URL = "/api/events/"


@pytest.fixture
def event(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="东沟毕业典礼")


def test_it_lists_in_scope_and_filters(api_for, event, other, persona, units):
    client = api_for("school_a_officer")
    rows = client.get(URL).json()["results"]
    assert [r["name"] for r in rows] == ["秋季运动会"]
    assert rows[0]["subject"] == f"events:{event.pk}" and rows[0]["signed_off_at"] is None
    district = api_for("district_officer")
    assert district.get(URL).json()["count"] == 2
    make(persona("school_a_officer"), units[SCHOOL_A], name="已办", starts_on=days(-3))
    missed = district.get(URL, {"signoff": "missed"}).json()["results"]
    assert [r["name"] for r in missed] == ["已办"]
    assert district.get(URL, {"signoff": "soon"}).json()["count"] == 2
    assert district.get(URL, {"kind": "exam"}).json()["count"] == 0
    assert api_for("auditor").get(URL).status_code == 200
    assert api_for("school_b_teacher").get(URL).status_code == 403


def test_it_retrieves_in_scope_only(api_for, event, other):
    client = api_for("school_a_officer")
    assert client.get(f"{URL}{event.pk}/").json()["unit_name"] == SCHOOL_A
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert api_for("school_b_teacher").get(f"{URL}{event.pk}/").status_code == 403


def test_it_creates_updates_and_refuses_bad_input(api_for, units, event, other):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "高二研学",
        "kind": "study_tour",
        "starts_on": str(days(20)),
        "ends_on": str(days(22)),
        "destination": "湖北省博物馆",
        "participants": 600,
        "organiser": "李年级",
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    bad = client.post(URL, {**body, "ends_on": str(days(1))}, format="json")
    assert bad.status_code == 400 and "ends_on" in bad.json()["error"]["fields"]
    # The sign-off is no field one writes.
    sneaky = client.patch(
        f"{URL}{event.pk}/", {"signed_off_at": "2026-01-01T00:00:00Z"}, format="json"
    )
    assert sneaky.status_code == 200 and sneaky.json()["signed_off_at"] is None
    assert client.patch(f"{URL}{other.pk}/", {"note": "x"}, format="json").status_code == 404
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    assert Event.objects.count() == 3


def test_it_retires(api_for, event, other):
    client = api_for("school_a_officer")
    assert client.post(f"{URL}{event.pk}/retire/", {"reason": "取消"}).status_code == 200
    assert client.post(f"{URL}{other.pk}/retire/", {"reason": "取消"}).status_code == 404
    assert client.patch(f"{URL}{event.pk}/", {"note": "x"}, format="json").status_code == 409


def test_it_signs_off_through_the_api(api_for, persona, event, other, checklist):
    head = api_for("school_a_head")
    refused = head.post(f"{URL}{event.pk}/signoff/", {"note": "同意"}, format="json")
    assert refused.status_code == 409 and "安全工作方案" in str(refused.json())
    ready(persona, event, checklist)
    officer = api_for("school_a_officer").post(f"{URL}{event.pk}/signoff/", {}, format="json")
    assert officer.status_code == 403
    assert head.post(f"{URL}{other.pk}/signoff/", {}, format="json").status_code == 404
    signed = head.post(f"{URL}{event.pk}/signoff/", {"note": "同意"}, format="json")
    assert signed.status_code == 200, signed.json()
    body = signed.json()
    assert body["signed_off_by_name"] == "王校长" and body["signoff_note"] == "同意"
    again = head.post(f"{URL}{event.pk}/signoff/", {}, format="json")
    assert again.status_code == 409


def test_it_exports_and_serves_the_template(api_for, event):
    client = api_for("school_a_officer")
    export = client.get(f"{URL}export/")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "秋季运动会" in cells and "运动会" in cells
    assert api_for("school_b_teacher").get(f"{URL}export/").status_code == 403
    assert client.get(f"{URL}template/").status_code == 200
    assert api_for("auditor").get(f"{URL}template/").status_code == 403


def test_it_imports_through_the_api(api_for):
    good = sheet([[SCHOOL_A, "期末考试", "考试", str(days(40)), "", "教学楼", 2000, "陈教务"]])
    client = api_for("school_a_officer")
    upload = SimpleUploadedFile("e.xlsx", good)
    done = client.post(f"{URL}import/", {"file": upload}, format="multipart")
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet([[SCHOOL_A, "运动会", "赛跑", str(days(40)), "", "操场", 100, "王"]])
    refused = client.post(
        f"{URL}import/", {"file": SimpleUploadedFile("e.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and "活动类别" in str(refused.json())
    auditor = api_for("auditor").post(
        f"{URL}import/", {"file": SimpleUploadedFile("e.xlsx", good)}, format="multipart"
    )
    assert auditor.status_code == 403
