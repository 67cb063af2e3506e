"""/api/alerts/ (list and filters, the steps with Idempotency-Key), /api/alert-rules/,
/api/silences/, /api/alert-warnings/: what each answers and the scoping of every endpoint
(other units' ids 404, no right 403, wrong state 409), huge ids and nested JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.alerts import bulletins
from xiaoan.alerts.models import Alert, AlertRule, Silence

from .support import DISTRICT, SCHOOL_A, SCHOOL_B, smoke

pytestmark = pytest.mark.django_db
API = "/api/alerts/"


def test_it_lists_alerts_in_scope_with_filters(api_for, units):
    a, _ = smoke(units)
    b, _ = smoke(units, name=SCHOOL_B, severity="critical")
    mine = api_for("school_a_officer").get(API).json()
    ids = {row["id"] for row in mine["results"]} if "results" in mine else {r["id"] for r in mine}
    assert a.pk in ids and b.pk not in ids
    district = api_for("district_officer")

    def found(query):
        body = district.get(API + query).json()
        rows = body["results"] if isinstance(body, dict) else body
        return {row["id"] for row in rows}

    assert {a.pk, b.pk} <= found("")
    assert b.pk in found("?severity=critical") and a.pk not in found("?severity=critical")
    assert a.pk in found(f"?unit={units[SCHOOL_A].pk}") and b.pk not in found(
        f"?unit={units[SCHOOL_A].pk}"
    )
    assert a.pk in found("?status=raised&open=true&kind=smoke")
    assert found("?status=closed") & {a.pk, b.pk} == set()
    assert district.get(API + "?unit=99999999999999999999").status_code in (200, 400)
    assert api_for("auditor").get(API).status_code == 200
    assert api_for("school_b_teacher").get(API).status_code == 403
    assert api_for("expert").get(API).status_code == 403


def test_it_walks_the_steps_over_the_api(api_for, units):
    alert, _ = smoke(units)
    client = api_for("school_a_officer")
    detail = client.get(f"{API}{alert.pk}/").json()
    assert detail["allowed_actions"] == ["acknowledge", "handle"]
    acked = client.post(
        f"{API}{alert.pk}/acknowledge/",
        {"note": "已知悉", "version": detail["version"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="ack-1",
    )
    assert acked.status_code == 200 and acked.json()["status"] == "acknowledged"
    retried = client.post(
        f"{API}{alert.pk}/acknowledge/",
        {"note": "已知悉", "version": detail["version"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="ack-1",
    )
    assert retried.status_code == 200
    assert Alert.objects.get(pk=alert.pk).events.filter(action="acknowledge").count() == 1
    other = client.post(
        f"{API}{alert.pk}/acknowledge/",
        {"note": "别的", "version": detail["version"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="ack-1",
    )
    assert other.status_code == 422
    again = client.post(f"{API}{alert.pk}/acknowledge/", {}, format="json")
    assert again.status_code == 409
    handled = client.post(
        f"{API}{alert.pk}/handle/",
        {"disposition": "hazard", "note": "线路老化", "hazard_description": "配电箱线路老化"},
        format="json",
    )
    assert handled.status_code == 200, handled.content
    assert handled.json()["hazard_number"] and handled.json()["disposition"] == "hazard"
    closed = client.post(f"{API}{alert.pk}/close/", {"note": "已转隐患闭环"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_it_scopes_every_alert_endpoint(api_for, units):
    other, _ = smoke(units, name=SCHOOL_B)
    mine, _ = smoke(units)
    officer = api_for("school_a_officer")
    assert officer.get(f"{API}{other.pk}/").status_code == 404
    for step, body in (
        ("acknowledge", {}),
        ("handle", {"disposition": "fixed", "note": "x"}),
        ("close", {}),
    ):
        assert officer.post(f"{API}{other.pk}/{step}/", body, format="json").status_code == 404
        assert officer.post(f"{API}{2**62}/{step}/", body, format="json").status_code == 404
        huge = officer.post(f"{API}{'9' * 30}/{step}/", body, format="json")
        assert huge.status_code in (400, 404)
        auditor = api_for("auditor").post(f"{API}{mine.pk}/{step}/", body, format="json")
        assert auditor.status_code == 403
    assert officer.post(f"{API}{mine.pk}/close/", {}, format="json").status_code == 409
    assert api_for("auditor").get(f"{API}{mine.pk}/").status_code == 200
    assert api_for("school_b_teacher").get(f"{API}{mine.pk}/").status_code == 403
    bad = officer.post(
        f"{API}{mine.pk}/handle/",
        {"disposition": "transferred", "note": "x", "unit": units[SCHOOL_B].pk},
        format="json",
    )
    assert bad.status_code == 400 and "unit" in bad.json()["error"]["fields"]
    missing = officer.post(f"{API}{mine.pk}/handle/", {"disposition": "fixed"}, format="json")
    assert missing.status_code == 400


def test_it_keeps_rules_over_the_api(api_for, units, rule_condition):
    district = api_for("district_officer")
    body = {
        "owner": units[DISTRICT].pk,
        "name": "超期事项",
        "condition": "test_overdue",
        "thresholds": {"days": 7},
        "severity": "warning",
        "roles": ["safety_officer"],
    }
    made = district.post("/api/alert-rules/", body, format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    changed = district.put(
        f"/api/alert-rules/{pk}/", {**body, "name": "改名", "owner": None}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["name"] == "改名"
    assert district.post(f"/api/alert-rules/{pk}/deactivate/").json()["is_active"] is False
    nested = district.post(
        "/api/alert-rules/", {**body, "thresholds": {"days": {"a": [1]}}}, format="json"
    )
    assert nested.status_code == 400
    school = api_for("school_a_officer")
    assert school.get(f"/api/alert-rules/{pk}/").status_code == 404
    assert school.put(f"/api/alert-rules/{pk}/", body, format="json").status_code == 404
    assert school.post(f"/api/alert-rules/{pk}/deactivate/").status_code == 404
    refused = school.post("/api/alert-rules/", body, format="json")
    assert refused.status_code == 400  # the district is not the school's to own rules for
    assert api_for("auditor").post("/api/alert-rules/", body, format="json").status_code == 403
    assert api_for("auditor").get(f"/api/alert-rules/{pk}/").status_code == 200
    assert api_for("expert").get("/api/alert-rules/").status_code == 403
    assert AlertRule.objects.filter(pk=pk, is_active=False).exists()


def test_it_keeps_silences_over_the_api(api_for, units):
    district = api_for("district_officer")
    body = {
        "unit": units[DISTRICT].pk,
        "kind": "smoke",
        "matchers": {"sensor": "B3-3F-07"},
        "ends_at": (timezone.now() + dt.timedelta(hours=2)).isoformat(),
        "reason": "消防年检",
    }
    made = district.post("/api/silences/", body, format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    alert, _ = smoke(units)
    assert alert.silenced_by_id == pk
    assert district.get("/api/silences/").status_code == 200
    assert district.get(f"/api/silences/{pk}/").json()["reason"] == "消防年检"
    nested = district.post(
        "/api/silences/", {**body, "matchers": {"sensor": {"a": 1}}}, format="json"
    )
    assert nested.status_code == 400
    school = api_for("school_a_officer")
    assert school.get(f"/api/silences/{pk}/").status_code == 404
    assert school.post(f"/api/silences/{pk}/end/").status_code == 404
    assert api_for("auditor").post(f"/api/silences/{pk}/end/").status_code == 403
    assert api_for("auditor").post("/api/silences/", body, format="json").status_code == 403
    ended = district.post(f"/api/silences/{pk}/end/")
    assert ended.status_code == 200
    assert Silence.objects.get(pk=pk).ends_at <= timezone.now()


def test_it_posts_warnings_once_over_the_api(api_for, units):
    district = api_for("district_officer")
    body = {"unit": units[DISTRICT].pk, "kind": "typhoon", "title": "台风蓝色预警"}
    made = district.post("/api/alert-warnings/", body, format="json", HTTP_IDEMPOTENCY_KEY="w1")
    assert made.status_code == 201, made.content
    pk, schools = made.json()["id"], made.json()["schools"]
    assert len(made.json()["progress"]) == schools
    again = district.post("/api/alert-warnings/", body, format="json", HTTP_IDEMPOTENCY_KEY="w1")
    assert again.status_code == 200 and again.json()["id"] == pk
    assert Alert.objects.filter(bulletin_id=pk).count() == schools
    officer = api_for("school_a_officer")
    row = next(r for r in made.json()["progress"] if r["unit"] == units[SCHOOL_A].pk)
    assert officer.post(f"{API}{row['alert']}/acknowledge/", {}, format="json").status_code == 200
    progress = district.get(f"/api/alert-warnings/{pk}/").json()
    assert progress["acknowledged"] == 1
    assert officer.get(f"/api/alert-warnings/{pk}/").status_code == 404
    assert officer.post("/api/alert-warnings/", body, format="json").status_code == 400
    assert api_for("auditor").post("/api/alert-warnings/", body, format="json").status_code == 403
    assert api_for("auditor").get(f"/api/alert-warnings/{pk}/").status_code == 200
    assert district.get(f"/api/alert-warnings/{2**62}/").status_code == 404
    assert bulletins.load_bulletin  # the pages and the API share the service


def test_it_takes_photos_with_the_handling(api_for, units):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .support import photo

    alert, _ = smoke(units)
    client = api_for("school_a_officer")
    done = client.post(
        f"{API}{alert.pk}/handle/",
        {"disposition": "fixed", "note": "已复位", "photos": [photo("a.jpg"), photo("b.jpg")]},
        format="multipart",
    )
    assert done.status_code == 200, done.content
    assert len(done.json()["photos"]) == 2
    bad = client.post(
        f"{API}{smoke(units, labels={'s': '2'})[0].pk}/handle/",
        {"disposition": "fixed", "note": "x", "photos": [SimpleUploadedFile("c.jpg", b"no")]},
        format="multipart",
    )
    assert bad.status_code == 400
