"""/api/hot-work-permits/: request, the steps, the record with its timeline, photos; each
endpoint refused to someone and served to someone, refusals as structured errors."""

from __future__ import annotations

import pytest

from xiaoan.hotwork.tests.support import SCHOOL_A, SCHOOL_B, approved, hours, photo, request, welder

pytestmark = pytest.mark.django_db
URL = "/api/hot-work-permits/"


def body(units, operator, **fields):
    values = {
        "unit": units[SCHOOL_A].pk,
        "location": "锅炉房",
        "work_type": "gas_welding",
        "description": "补焊管道",
        "starts_at": hours(-1).isoformat(),
        "ends_at": hours(2).isoformat(),
        "operator": operator.pk,
    }
    values.update(fields)
    return values


def test_it_requests_and_refuses_with_a_clear_message(api_for, persona, units):
    client = api_for("school_a_head")
    operator = welder(persona, units)
    created = client.post(URL, body(units, operator), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "requested" and data["events"][0]["action"] == "request"
    assert "approve" not in data["allowed_actions"]  # not one's own request
    expired = welder(persona, units, valid_until=hours(-48).date())
    refused = client.post(URL, body(units, expired), format="json")
    assert refused.status_code == 400
    assert "过期" in refused.json()["error"]["message"]
    assert "operator" in refused.json()["error"]["fields"]
    other = welder(persona, units, SCHOOL_B)
    assert client.post(URL, body(units, other), format="json").status_code == 400
    assert api_for("auditor").post(URL, body(units, operator), format="json").status_code == 403


def test_it_lists_and_retrieves_in_scope(api_for, persona, units):
    permit = request(persona, units)
    client = api_for("school_a_officer")
    rows = client.get(URL).json()["results"]
    assert [r["id"] for r in rows] == [permit.pk]
    detail = client.get(f"{URL}{permit.pk}/").json()
    assert "approve" in detail["allowed_actions"]
    assert api_for("district_officer").get(URL, {"status": "requested"}).json()["count"] == 1
    assert api_for("auditor").get(f"{URL}{permit.pk}/").status_code == 200
    assert api_for("uni_head").get(f"{URL}{permit.pk}/").status_code == 404
    assert api_for("school_b_teacher").get(URL).status_code == 403


def test_it_approves_and_refuses_the_requester(api_for, persona, units):
    permit = request(persona, units)
    owner = persona("school_a_owner")
    own = api_for("school_a_head").post(
        f"{URL}{permit.pk}/approve/", {"supervisor": owner.pk}, format="json"
    )
    assert own.status_code == 403 and "自己" in own.json()["error"]["message"]
    done = api_for("school_a_officer").post(
        f"{URL}{permit.pk}/approve/", {"supervisor": owner.pk, "version": 1}, format="json"
    )
    assert done.status_code == 200 and done.json()["supervisor_name"] == owner.name
    again = api_for("school_a_officer").post(
        f"{URL}{permit.pk}/approve/", {"supervisor": owner.pk}, format="json"
    )
    assert again.status_code == 409
    assert (
        api_for("auditor").post(f"{URL}{permit.pk}/approve/", {}, format="json").status_code == 403
    )


def test_it_rejects_and_cancels(api_for, persona, units):
    permit = request(persona, units)
    client = api_for("school_a_officer")
    refused = api_for("school_a_owner").post(f"{URL}{permit.pk}/reject/", {"note": "x"})
    assert refused.status_code == 403  # may not decide
    assert client.post(f"{URL}{permit.pk}/reject/", {"note": ""}, format="json").status_code == 400
    assert (
        client.post(f"{URL}{permit.pk}/reject/", {"note": "措施不全"}, format="json").status_code
        == 200
    )
    other = request(persona, units)
    assert (
        api_for("uni_head")
        .post(f"{URL}{other.pk}/cancel/", {"note": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        client.post(f"{URL}{other.pk}/cancel/", {"note": "改期"}, format="json").status_code == 200
    )
    assert (
        api_for("auditor")
        .post(f"{URL}{other.pk}/cancel/", {"note": "x"}, format="json")
        .status_code
        == 403
    )


def test_the_supervisor_starts_and_finishes_with_photos(api_for, persona, units):
    permit = approved(persona, units)
    client = api_for("school_a_owner")
    officer = api_for("school_a_officer")
    refused = officer.post(f"{URL}{permit.pk}/start/", {"photos": [photo()]}, format="multipart")
    assert refused.status_code == 403
    bare = client.post(f"{URL}{permit.pk}/start/", {}, format="multipart")
    assert bare.status_code == 400
    started = client.post(f"{URL}{permit.pk}/start/", {"photos": [photo()]}, format="multipart")
    assert started.status_code == 200 and started.json()["status"] == "working"
    finished = client.post(
        f"{URL}{permit.pk}/finish/", {"photos": [photo()], "note": "已清理"}, format="multipart"
    )
    assert finished.status_code == 200 and finished.json()["status"] == "closed"
    photo_id = finished.json()["events"][-1]["photos"][0]
    assert client.get(f"{URL}{permit.pk}/photos/{photo_id}/").status_code == 200
    assert officer.get(f"{URL}{permit.pk}/photos/{photo_id}/").status_code == 200
    assert api_for("uni_head").get(f"{URL}{permit.pk}/photos/{photo_id}/").status_code == 404
    assert (
        api_for("auditor").post(f"{URL}{permit.pk}/finish/", {}, format="multipart").status_code
        == 403
    )


def test_it_refuses_a_start_outside_the_window(api_for, persona, units):
    permit = approved(persona, units, starts_at=hours(5), ends_at=hours(8))
    early = api_for("school_a_owner").post(
        f"{URL}{permit.pk}/start/", {"photos": [photo()]}, format="multipart"
    )
    assert early.status_code == 409 and "未到动火时段" in early.json()["error"]["message"]
