"""/api/drills/: plan, change, record (multipart with photos, retried with a key), evaluate
(hazards in the answer), invite and let go, cancel; the scoping of every endpoint."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoan.drills import services
from xiaoan.drills.models import Drill
from xiaoan.hazards.models import Hazard

from .support import SCHOOL_A, SCHOOL_B, ago, answers, evaluated, photo, planned, recorded

pytestmark = pytest.mark.django_db
API = "/api/drills/"


def _plan_body(units, **kw):
    return {
        "unit": units[SCHOOL_A].pk,
        "kind": "fire_evacuation",
        "planned_on": str(timezone.localdate()),
        "organiser": "张校长",
        "roles": [{"role": "总指挥", "name": "张校长"}],
        **kw,
    }


def test_it_plans_and_changes_a_drill(api_for, units):
    client = api_for("school_a_officer")
    made = client.post(API, _plan_body(units), format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "planned" and body["expected_participants"] > 0
    assert "record" in body["allowed_actions"] and "cancel" in body["allowed_actions"]
    changed = client.put(
        f"{API}{body['id']}/",
        {**_plan_body(units), "kind": "earthquake", "version": body["version"]},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["kind"] == "earthquake"
    stale = client.put(f"{API}{body['id']}/", {**_plan_body(units), "version": 0}, format="json")
    assert stale.status_code == 409
    refused = client.post(API, _plan_body(units, unit=units[SCHOOL_B].pk), format="json")
    assert refused.status_code == 400 and "unit" in refused.json()["error"]["fields"]
    assert api_for("auditor").post(API, _plan_body(units), format="json").status_code == 403


def test_it_records_with_photos_once_on_retry(api_for, persona, units):
    drill = planned(persona, units)
    client = api_for("school_a_officer")
    body = {
        "started_at": ago(90).isoformat(),
        "ended_at": ago(60).isoformat(),
        "participants": 1200,
        "evacuation_seconds": 200,
        "video_links": "https://v.example.cn/1",
        "version": 1,
    }
    url = f"{API}{drill.pk}/record/"
    first = client.post(url, {**body, "photos": [photo()]}, format="multipart",
                        HTTP_IDEMPOTENCY_KEY="r-1")  # fmt: skip
    assert first.status_code == 200, first.content
    answer = first.json()
    assert answer["status"] == "recorded" and len(answer["photos"]) == 1
    assert answer["participation"] == round(100 * 1200 / drill.expected_participants)
    again = client.post(url, {**body, "photos": [photo()]}, format="multipart",
                        HTTP_IDEMPOTENCY_KEY="r-1")  # fmt: skip
    assert again.status_code == 200 and len(again.json()["photos"]) == 1
    other = client.post(url, {**body, "participants": 1}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert other.status_code == 422
    assert client.post(url, body, format="json").status_code == 409


def test_it_evaluates_and_answers_the_hazards(api_for, persona, units):
    drill = recorded(persona, units)
    client = api_for("school_a_head")
    checklist = client.get(f"{API}{drill.pk}/checklist/")
    assert checklist.status_code == 200 and len(checklist.json()) == len(answers())
    body = {"results": answers(problems={"time": "疏散用时 260 秒，超过目标"}), "summary": "需改进"}
    done = client.post(f"{API}{drill.pk}/evaluate/", body, format="json",
                       HTTP_IDEMPOTENCY_KEY="e-1")  # fmt: skip
    assert done.status_code == 200, done.content
    checks = done.json()["checks"]
    problem = next(c for c in checks if c["result"] == "problem")
    hazard = Hazard.objects.get(pk=problem["hazard"])
    assert problem["hazard_number"] == hazard.number and hazard.source == "drill"
    again = client.post(f"{API}{drill.pk}/evaluate/", body, format="json",
                        HTTP_IDEMPOTENCY_KEY="e-1")  # fmt: skip
    assert again.status_code == 200
    assert Hazard.objects.filter(source="drill").count() == 1
    detail = client.get(f"{API}{drill.pk}/").json()
    assert detail["status"] == "evaluated" and detail["evaluation_summary"] == "需改进"


def test_it_invites_an_observer_who_then_reads_that_drill_only(api_for, persona, units):
    drill = planned(persona, units)
    planned(persona, units, kind="flood")
    expert = persona("expert")
    observer = api_for("expert")
    assert observer.get(API).status_code == 403
    officer = api_for("school_a_officer")
    invited = officer.post(f"{API}{drill.pk}/invite/", {"user": expert.pk}, format="json")
    assert invited.status_code == 200
    assert [o["user"] for o in invited.json()["observers"]] == [expert.pk]
    listed = observer.get(API).json()
    assert [d["id"] for d in listed["results"]] == [drill.pk]
    assert observer.get(f"{API}{drill.pk}/").status_code == 200
    assert (
        observer.post(f"{API}{drill.pk}/cancel/", {"note": "x"}, format="json").status_code == 403
    )
    assert (
        officer.post(f"{API}{drill.pk}/uninvite/", {"user": expert.pk}, format="json").status_code
        == 200
    )
    assert observer.get(f"{API}{drill.pk}/").status_code == 403
    stranger = officer.post(
        f"{API}{drill.pk}/invite/", {"user": persona("school_b_teacher").pk}, format="json"
    )
    assert stranger.status_code == 400


def test_it_cancels(api_for, persona, units):
    drill = planned(persona, units)
    client = api_for("school_a_officer")
    assert client.post(f"{API}{drill.pk}/cancel/", {"note": ""}, format="json").status_code == 400
    done = client.post(f"{API}{drill.pk}/cancel/", {"note": "改期"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "cancelled"


def test_every_endpoint_refuses_other_schools_and_missing_rights(api_for, persona, units):
    drill = planned(persona, units)
    other = api_for("uni_security")  # drill rights at another school
    for method, path, body in [
        ("get", f"{API}{drill.pk}/", None),
        ("get", f"{API}{drill.pk}/checklist/", None),
        ("put", f"{API}{drill.pk}/", {**_plan_body(units), "version": 1}),
        ("post", f"{API}{drill.pk}/record/", {"started_at": ago(90).isoformat(),
                                             "ended_at": ago(60).isoformat(), "participants": 1}),
        ("post", f"{API}{drill.pk}/evaluate/", {"results": answers()}),
        ("post", f"{API}{drill.pk}/invite/", {"user": persona("expert").pk}),
        ("post", f"{API}{drill.pk}/uninvite/", {"user": persona("expert").pk}),
        ("post", f"{API}{drill.pk}/cancel/", {"note": "x"}),
    ]:  # fmt: skip
        response = getattr(other, method)(path, body, format="json")
        assert response.status_code == 404, (path, response.status_code)
        teacher = getattr(api_for("school_b_teacher"), method)(path, body, format="json")
        assert teacher.status_code == 403, (path, teacher.status_code)
    assert api_for("uni_security").get(API).json()["count"] == 0
    assert api_for("school_b_teacher").get(API).status_code == 403
    assert api_for("district_officer").get(f"{API}99999999/").status_code == 404


def test_the_list_filters_and_keeps_its_queries(
    api_for, persona, units, django_assert_max_num_queries
):
    evaluated(persona, units)
    for _ in range(3):
        planned(persona, units, kind="earthquake")
    planned(persona, units, school=SCHOOL_B)
    client = api_for("district_officer")
    with django_assert_max_num_queries(8):
        everything = client.get(API).json()
    assert everything["count"] == Drill.objects.count() == 5
    assert client.get(API, {"kind": "earthquake"}).json()["count"] == 3
    assert client.get(API, {"status": "evaluated"}).json()["count"] == 1
    assert client.get(API, {"unit": units[SCHOOL_B].pk}).json()["count"] == 1


def test_the_record_reads_in_a_constant_number_of_queries(
    api_for, persona, units, django_assert_max_num_queries
):
    problems = {"alarm": "广播故障", "routes": "楼梯堆物", "time": "超时"}
    drill = evaluated(persona, units, problems=problems)
    services.invite(persona("school_a_officer"), drill.pk, user=persona("expert").pk)
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(16):
        body = client.get(f"{API}{drill.pk}/").json()
    assert len([c for c in body["checks"] if c["hazard"]]) == len(problems)
    actions = [e["action"] for e in body["events"]]
    assert len(body["observers"]) == 1 and actions == ["plan", "record", "evaluate", "invite"]


def test_out_of_range_ids_are_refused_as_input(api_for, units):
    client = api_for("district_officer")
    huge = 10**30
    assert client.get(API, {"unit": huge}).status_code == 400
    assert client.post(API, _plan_body(units, unit=huge), format="json").status_code == 400
    assert client.get(f"{API}{huge}/").status_code in (400, 404)
