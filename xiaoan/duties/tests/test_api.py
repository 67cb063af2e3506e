"""/api/duties/, /api/obligations/ (+ record) and /api/obligations/overview/: in scope 2xx,
outside 404, without the permission anywhere 403, anonymous 401/403; bad input 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from xiaoan.duties.builtin import all_builtin
from xiaoan.duties.models import Duty, DutyRecord
from xiaoan.duties.tests.support import DISTRICT, SCHOOL_A, evidence, objects

pytestmark = pytest.mark.django_db
__all__ = ["objects"]


def path(template: str, objects) -> str:
    return template.format(**objects)


GET_TABLE = [
    ("/api/duties/", "district_officer", 200),
    ("/api/duties/", "school_b_teacher", 403),
    ("/api/duties/{duty}/", "school_a_head", 200),
    ("/api/duties/{duty}/", "uni_security", 404),
    ("/api/duties/{uni_duty}/", "district_officer", 404),
    ("/api/duties/{duty}/", "expert", 403),
    ("/api/obligations/", "school_a_officer", 200),
    ("/api/obligations/?period=2026-spring&status=met", "auditor", 200),
    ("/api/obligations/?period=nope", "auditor", 400),
    ("/api/obligations/?status=nope", "auditor", 400),
    ("/api/obligations/", "school_b_teacher", 403),
    ("/api/obligations/{ob_a}/", "school_a_officer", 200),
    ("/api/obligations/{ob_b}/", "school_a_officer", 404),
    ("/api/obligations/{ob_a}/", "uni_security", 404),
    ("/api/obligations/{ob_a}/", "school_b_teacher", 403),
    ("/api/obligations/overview/", "district_officer", 200),
    ("/api/obligations/overview/?unit={district}&period=2026-H1", "auditor", 200),
    ("/api/obligations/overview/?unit={district}", "school_a_head", 404),
    ("/api/obligations/overview/?period=2026-Q5", "district_officer", 400),
    ("/api/obligations/overview/", "school_b_teacher", 403),
]


@pytest.mark.parametrize(("template", "who", "expected"), GET_TABLE)
def test_it_scopes_reading(template, who, expected, objects, api_for):
    response = api_for(who).get(path(template, objects))
    assert response.status_code == expected, (template, who, response.content[:300])


RECORD_TABLE = [
    ("ob_a", "school_a_officer", 201),
    ("ob_a", "auditor", 403),
    ("ob_a", "uni_security", 404),
    ("ob_b", "school_a_officer", 404),
    ("ob_a", "school_b_teacher", 403),
]


@pytest.mark.parametrize(("which", "who", "expected"), RECORD_TABLE)
def test_it_scopes_reporting(which, who, expected, objects, api_for):
    response = api_for(who).post(
        f"/api/obligations/{objects[which]}/record/",
        {"evidence": evidence("总结.docx", b"PK word"), "note": "已完成"},
        format="multipart",
    )
    assert response.status_code == expected, response.content[:300]
    if expected == 201:
        body = response.json()
        assert body["status"] == "met" and len(body["records"]) == 2
        assert body["records"][0]["evidence_url"].startswith("/duties/records/")
    assert DutyRecord.objects.filter(obligation_id=objects["ob_a"]).count() == (
        2 if expected == 201 else 1
    )


def test_it_refuses_a_record_without_evidence(objects, api_for):
    response = api_for("school_a_officer").post(
        f"/api/obligations/{objects['ob_a']}/record/", {"note": "x"}, format="multipart"
    )
    assert response.status_code == 400


def test_it_creates_duties_and_the_builtins(units, api_for):
    client = api_for("district_officer")
    response = client.post(
        "/api/duties/",
        {
            "name": "两轮督查",
            "issuer": units[DISTRICT].pk,
            "recurrence": "yearly",
            "required_count": 2,
            "proof": "inspection",
            "inspection_kind": "supervision",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["required_count"] == 2
    bad = client.post("/api/duties/", {"name": "x", "issuer": units[DISTRICT].pk}, format="json")
    assert bad.status_code == 400
    invalid = client.post(
        "/api/duties/",
        {"name": "x", "issuer": units[DISTRICT].pk, "recurrence": "once", "proof": "record",
         "record_kind": "summary"},
        format="json",
    )  # fmt: skip
    assert invalid.status_code == 400 and "ends_on" in invalid.json()["error"]["fields"]
    builtin = client.post("/api/duties/builtin/", {"issuer": units[DISTRICT].pk}, format="json")
    assert builtin.status_code == 201 and len(builtin.json()) == len(all_builtin())
    again = client.post("/api/duties/builtin/", {"issuer": units[DISTRICT].pk}, format="json")
    assert again.json() == []
    foreign = api_for("school_a_head").post(
        "/api/duties/", {"name": "x", "issuer": units[DISTRICT].pk, "recurrence": "monthly",
                         "proof": "record", "record_kind": "drill"}, format="json",
    )  # fmt: skip
    assert foreign.status_code == 400
    assert (
        api_for("auditor").post("/api/duties/builtin/", {"issuer": units[DISTRICT].pk}).status_code
        == 403
    )
    assert not Duty.objects.filter(issuer=units[SCHOOL_A]).exists()


def test_it_lists_only_my_units(objects, api_for):
    body = api_for("school_a_officer").get("/api/obligations/").json()
    assert {row["unit_name"] for row in body["results"]} == {SCHOOL_A}


def test_it_refuses_anonymous_callers(objects):
    client = APIClient()
    for url in ("/api/duties/", "/api/obligations/", "/api/obligations/overview/",
                f"/api/obligations/{objects['ob_a']}/"):  # fmt: skip
        assert client.get(url).status_code in (401, 403)
    assert client.post(f"/api/obligations/{objects['ob_a']}/record/").status_code in (401, 403)


def test_the_list_takes_a_constant_number_of_queries(persona, units, api_for):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from xiaoan.duties import services
    from xiaoan.duties.tests.support import duty

    today = timezone.localdate()
    client = api_for("district_officer")
    first = duty(persona, units, recurrence="yearly", name="一")
    services.generate_duty(first, today)
    client.get("/api/obligations/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/obligations/").status_code == 200
    for i in range(3):
        services.generate_duty(duty(persona, units, recurrence="yearly", name=f"多{i}"), today)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/obligations/").json()
    assert body["count"] > 30 and dt.date.fromisoformat(body["results"][0]["due_on"]) >= today
    assert len(many.captured_queries) == len(few.captured_queries)
