"""/api/incidents/ (report, follow-up, classify, review, to-hazard, close) and
/api/duty-rosters/: answers, refusals and the scoping of every endpoint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.incidents.tests.support import (
    SCHOOL_A,
    SCHOOL_B,
    ago,
    classified,
    reported,
    reviewed,
    shift,
)

pytestmark = pytest.mark.django_db
API = "/api/incidents/"
ROSTER = "/api/duty-rosters/"


def _body(units, **kw):
    return {
        "unit": units[SCHOOL_A].pk,
        "kind": "fire",
        "severity": "serious",
        "occurred_at": ago(150).isoformat(),
        "place": "实验楼二楼",
        "injured": 2,
        "summary": "化学实验室起火",
        "measures": "已疏散，消防已到场",
        **kw,
    }


def test_it_reports_through_the_api_with_the_clock(api_for, units):
    client = api_for("school_a_officer")
    made = client.post(API, _body(units), format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "reported" and body["late"] is True and body["minutes_late"] == 30
    assert body["allowed_actions"] == ["edit", "follow_up"]
    assert body["deadline"] and body["events"][0]["action"] == "report"
    on_time = client.post(API, _body(units, occurred_at=ago(60).isoformat()), format="json")
    assert on_time.json()["late"] is False


def test_it_refuses_bad_input(api_for, units):
    client = api_for("school_a_officer")
    for bad, field in (
        ({"kind": "alien"}, "kind"),
        ({"unit": units[SCHOOL_B].pk}, "unit"),
        ({"unit": 10**15}, "unit"),
        ({"injured": -1}, "injured"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"summary": {"nested": {"json": [1, 2]}}}, "summary"),
        ({"occurred_at": (timezone.now() + dt.timedelta(hours=3)).isoformat()}, "occurred_at"),
    ):
        answer = client.post(API, _body(units, **bad), format="json")
        assert answer.status_code == 400, (bad, answer.content)
        assert field in answer.json()["error"]["fields"], bad
    assert api_for("auditor").post(API, _body(units), format="json").status_code == 403
    assert api_for("expert").post(API, _body(units), format="json").status_code == 403


def test_it_scopes_the_list_and_the_record(api_for, persona, units, django_assert_max_num_queries):
    a = reported(persona, units)
    b = reported(persona, units, SCHOOL_B)
    district = api_for("district_officer")
    district.get(API)
    with django_assert_max_num_queries(12):
        ids = {row["id"] for row in district.get(API).json()["results"]}
    assert {a.pk, b.pk} <= ids
    head = api_for("school_a_head")
    ids = {row["id"] for row in head.get(API).json()["results"]}
    assert a.pk in ids and b.pk not in ids
    assert head.get(f"{API}{b.pk}/").status_code == 404
    assert head.get(f"{API}{10**15}/").status_code == 404
    assert head.get(f"{API}{a.pk}/").status_code == 200
    assert api_for("auditor").get(f"{API}{a.pk}/").status_code == 200
    assert api_for("school_b_teacher").get(API).status_code == 403
    assert api_for("school_b_teacher").get(f"{API}{a.pk}/").status_code == 403
    assert api_for("expert").get(API).status_code == 403
    filtered = district.get(API, {"unit": units[SCHOOL_B].pk, "kind": "injury"}).json()
    assert [row["id"] for row in filtered["results"]] == [b.pk]


def test_it_runs_the_workflow(api_for, persona, units):
    incident = reported(persona, units)
    school = api_for("school_a_officer")
    district = api_for("district_officer")
    url = f"{API}{incident.pk}"
    follow = school.post(f"{url}/follow-up/", {"text": "伤者已送医", "version": 1}, format="json")
    assert follow.status_code == 200 and follow.json()["follow_ups"][0]["text"] == "伤者已送医"
    assert school.post(f"{url}/follow-up/", {"text": "x", "version": 1}).status_code == 409
    assert school.post(f"{url}/follow-up/", {"version": 2}, format="json").status_code == 400
    # Only the superior classifies; the school holds the right but not above itself.
    assert school.post(f"{url}/classify/", {"classification": "liability"}).status_code == 403
    assert district.post(f"{url}/classify/", {"classification": "x"}).status_code == 400
    done = district.post(f"{url}/classify/", {"classification": "liability"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "classified"
    assert district.post(f"{url}/classify/", {"classification": "liability"}).status_code == 409
    assert district.post(f"{url}/close/", {}).status_code == 409
    review = {
        "summary": "管理不到位",
        "findings": [{"text": "灭火器过期", "hazard": True}, {"text": "演练不足"}],
    }
    answer = school.post(f"{url}/review/", review, format="json")
    assert answer.status_code == 200, answer.content
    findings = answer.json()["findings"]
    assert findings[0]["hazard"] and findings[1]["hazard"] is None
    bad = {"summary": "x", "findings": [{"text": {"deep": ["nested"]}}]}
    assert school.post(f"{url}/review/", bad, format="json").status_code == 400
    raised = school.post(f"{url}/to-hazard/", {"finding": findings[1]["id"]}, format="json")
    assert raised.status_code == 200 and raised.json()["findings"][1]["hazard"]
    again = school.post(f"{url}/to-hazard/", {"finding": findings[1]["id"]}, format="json")
    assert again.status_code == 400
    assert school.post(f"{url}/close/", {}).status_code == 403
    closed = district.post(f"{url}/close/", {"note": "结案"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_it_scopes_every_action(api_for, persona, units):
    incident = classified(persona, units)
    other = reported(persona, units, SCHOOL_B)
    reviewed_one = reviewed(persona, units)
    head = api_for("school_a_head")
    for path, body in (
        ("follow-up", {"text": "x"}),
        ("review", {"summary": "x"}),
        ("to-hazard", {"finding": 1}),
    ):
        assert head.post(f"{API}{other.pk}/{path}/", body, format="json").status_code == 404
        assert head.post(f"{API}{10**15}/{path}/", body, format="json").status_code == 404
        assert api_for("expert").post(f"{API}{incident.pk}/{path}/", body).status_code == 403
        assert api_for("auditor").post(f"{API}{incident.pk}/{path}/", body).status_code == 403
    for path, body in (("classify", {"classification": "liability"}), ("close", {})):
        assert head.post(f"{API}{other.pk}/{path}/", body, format="json").status_code == 404
        assert api_for("expert").post(f"{API}{incident.pk}/{path}/", body).status_code == 403
    assert (
        api_for("school_a_officer")
        .post(f"{API}{reviewed_one.pk}/to-hazard/", {"finding": 10**9}, format="json")
        .status_code
        == 400
    )


def test_it_shows_who_was_on_duty(api_for, persona, units):
    occurred = timezone.localtime(ago(30))
    shift(persona, units, duty_date=occurred.date(), starts_at=dt.time(0), ends_at=dt.time(0))
    shift(persona, units, SCHOOL_B, duty_date=occurred.date(), name="东沟值班")
    incident = reported(persona, units, occurred_at=ago(30))
    answer = api_for("school_a_head").get(f"{API}{incident.pk}/").json()
    assert [d["name"] for d in answer["on_duty"]] == ["李老师"]
    assert answer["on_duty"][0]["leader"] == "张校长"


def test_it_keeps_the_duty_roster(api_for, persona, units):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "王老师",
        "phone": "13900000000",
        "duty_date": "2026-10-01",
        "starts_at": "08:00",
        "ends_at": "20:00",
        "leader": "张校长",
        "period": "国庆节",
    }
    made = client.post(ROSTER, body, format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert client.get(f"{ROSTER}{pk}/").json()["leader"] == "张校长"
    assert client.post(ROSTER, {**body, "phone": ""}, format="json").status_code == 400
    other = client.post(ROSTER, {**body, "unit": units[SCHOOL_B].pk}, format="json")
    assert other.status_code in (400, 403, 404)
    b_shift = shift(persona, units, SCHOOL_B)
    assert client.get(f"{ROSTER}{b_shift.pk}/").status_code == 404
    ids = {row["id"] for row in api_for("district_officer").get(ROSTER).json()["results"]}
    assert {pk, b_shift.pk} <= ids
    assert api_for("expert").get(ROSTER).status_code == 403
    assert api_for("auditor").post(ROSTER, body, format="json").status_code == 403
