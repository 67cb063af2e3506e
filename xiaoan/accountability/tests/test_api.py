"""/api/accountability/ and /api/accountability/commitments/: draft, list units with the figures
of the day, issue, record the meeting, commit, close, cancel; report, accept, return; the
scoping of every endpoint (404 out of scope, 403 without the right, 400, 409)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.accountability.models import Commitment

from .support import DISTRICT, SCHOOL_A, SCHOOL_B, committed, drafted, issued, listed

pytestmark = pytest.mark.django_db
API = "/api/accountability/"
COMMITMENTS = "/api/accountability/commitments/"
HUGE = 10**18


def _body(units, **kw):
    return {
        "unit": units[DISTRICT].pk,
        "kind": "interview",
        "title": "关于约谈的决定",
        "decided_on": str(timezone.localdate()),
        **kw,
    }


def test_it_drafts_lists_issues_and_closes_a_decision(api_for, units):
    client = api_for("district_officer")
    made = client.post(API, _body(units), format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "draft" and "add_entry" in body["allowed_actions"]
    pk = body["id"]
    added = client.post(
        f"{API}{pk}/add-entry/",
        {"target": units[SCHOOL_A].pk, "reason": "隐患逾期", "version": body["version"]},
        format="json",
    )
    assert added.status_code == 200, added.content
    entry = added.json()["entries"][0]
    assert entry["evidence"]["on"] == str(timezone.localdate())
    assert entry["evidence"]["figures"] and entry["target_name"] == SCHOOL_A
    stale = client.post(f"{API}{pk}/issue/", {"version": 0}, format="json")
    assert stale.status_code == 409
    issued_ = client.post(f"{API}{pk}/issue/", {}, format="json")
    assert issued_.status_code == 200 and issued_.json()["status"] == "issued"
    again = client.post(f"{API}{pk}/issue/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    meeting = client.post(
        f"{API}{pk}/record-meeting/",
        {
            "meeting_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "place": "区教育局会议室",
            "attendees": "校长",
            "minutes": "限期整改",
        },
        format="json",
    )
    assert meeting.status_code == 200 and meeting.json()["minutes"] == "限期整改"
    due = str(timezone.localdate() + dt.timedelta(days=20))
    commit = client.post(
        f"{API}{pk}/commit/",
        {"entry": entry["id"], "text": "两周内整改完毕", "due_on": due},
        format="json",
    )
    assert commit.status_code == 200 and commit.json()["commitments"][0]["status"] == "open"
    assert client.post(f"{API}{pk}/close/", {}, format="json").status_code == 409
    commitment = Commitment.objects.get(entry_id=entry["id"])
    commitment.status = "accepted"
    commitment.save()
    closed = client.post(f"{API}{pk}/close/", {"note": "办结"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_it_refuses_bad_input_with_field_errors(api_for, persona, units):
    client = api_for("district_officer")
    refused = client.post(API, _body(units, unit=units[SCHOOL_A].pk), format="json")
    assert refused.status_code == 400 and "unit" in refused.json()["error"]["fields"]
    assert client.post(API, _body(units, kind="x"), format="json").status_code == 400
    assert client.post(API, _body(units, unit=HUGE * 100), format="json").status_code == 400
    nested = client.post(API, _body(units, title={"a": [1, {"b": 2}]}), format="json")
    assert nested.status_code == 400
    decision = drafted(persona, units)
    url = f"{API}{decision.pk}/add-entry/"
    outside = client.post(url, {"target": units[DISTRICT].pk, "reason": "x"}, format="json")
    assert outside.status_code == 400 and "target" in outside.json()["error"]["fields"]
    assert client.post(url, {"target": [1], "reason": "x"}, format="json").status_code == 400
    assert client.post(url, {"target": HUGE, "reason": "x"}, format="json").status_code == 400
    cancel = client.post(f"{API}{decision.pk}/cancel/", {"note": ""}, format="json")
    assert cancel.status_code == 400
    assert client.post(f"{API}{decision.pk}/issue/", {}, format="json").status_code == 400
    cancelled = client.post(f"{API}{decision.pk}/cancel/", {"note": "重复起草"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (
        client.post(url, {"target": units[SCHOOL_A].pk, "reason": "x"}, format="json").status_code
        == 409
    )


def test_it_shows_the_evidence(api_for, units):
    client = api_for("district_officer")
    url = f"{API}evidence/"
    found = client.get(url, {"unit": units[DISTRICT].pk, "kind": "praise", "rank": "schools"})
    assert found.status_code == 200
    rows = found.json()["rows"]
    assert rows and [r["score"] for r in rows] == sorted(r["score"] for r in rows)
    assert client.get(url).status_code == 400
    assert client.get(url, {"unit": "abc"}).status_code == 400
    assert client.get(url, {"unit": units[DISTRICT].pk, "rank": "x"}).status_code == 400
    assert client.get(url, {"unit": units[SCHOOL_A].pk}).status_code == 404
    assert client.get(url, {"unit": HUGE}).status_code == 404
    assert api_for("auditor").get(url, {"unit": units[DISTRICT].pk}).status_code == 403
    assert api_for("expert").get(url, {"unit": units[DISTRICT].pk}).status_code == 403


def test_it_scopes_the_decisions(api_for, persona, units, django_assert_max_num_queries):
    draft, _ = listed(persona, units)
    done, _ = issued(persona, units, title="已印发")
    from xiaoan.accountability import services

    services.add_entry(persona("district_officer"), draft.pk, target=units[SCHOOL_B].pk, reason="x")
    officer = api_for("district_officer")
    with django_assert_max_num_queries(8):
        listing = officer.get(API)
    assert listing.status_code == 200
    assert {d["id"] for d in listing.json()["results"]} >= {draft.pk, done.pk}
    head = api_for("school_a_head")
    seen = {d["id"] for d in head.get(API).json()["results"]}
    assert done.pk in seen and draft.pk not in seen
    assert head.get(f"{API}{draft.pk}/").status_code == 404
    detail = head.get(f"{API}{done.pk}/").json()
    assert [e["target"] for e in detail["entries"]] == [units[SCHOOL_A].pk]
    assert detail["allowed_actions"] == [] and detail["events"] == []
    assert head.post(f"{API}{done.pk}/close/", {}, format="json").status_code == 403
    assert head.post(f"{API}{draft.pk}/cancel/", {"note": "x"}, format="json").status_code == 404
    assert api_for("auditor").get(f"{API}{draft.pk}/").status_code == 200
    assert api_for("auditor").post(f"{API}{done.pk}/close/", {}, format="json").status_code == 403
    assert api_for("auditor").post(API, _body(units), format="json").status_code == 403
    assert api_for("expert").get(API).status_code == 403
    assert api_for("school_b_teacher").get(API).status_code == 403
    assert officer.get(f"{API}{HUGE}/").status_code == 404
    assert officer.get(f"{API}abc/").status_code == 404
    assert officer.post(f"{API}{HUGE}/issue/", {}, format="json").status_code == 404
    for name in ("add-entry", "remove-entry", "record-meeting", "commit", "cancel"):
        assert (
            api_for("auditor").post(f"{API}{draft.pk}/{name}/", {}, format="json").status_code
            == 403
        )
    assert (
        officer.post(f"{API}{draft.pk}/remove-entry/", {"entry": HUGE}, format="json").status_code
        == 400
    )
    entry = draft.entries.first()
    removed = officer.post(f"{API}{draft.pk}/remove-entry/", {"entry": entry.pk}, format="json")
    assert removed.status_code == 200


def test_it_follows_a_commitment(api_for, persona, units, django_assert_max_num_queries):
    _decision, _entry, commitment = committed(persona, units)
    url = f"{COMMITMENTS}{commitment.pk}/"
    head = api_for("school_a_head")
    with django_assert_max_num_queries(8):
        listing = head.get(COMMITMENTS)
    assert [c["id"] for c in listing.json()["results"]] == [commitment.pk]
    assert head.get(url).json()["allowed_actions"] == ["report"]
    officer = api_for("district_officer")
    assert officer.post(f"{url}report/", {"note": "x"}, format="json").status_code == 403
    assert head.post(f"{url}report/", {"note": ""}, format="json").status_code == 400
    assert head.post(f"{url}accept/", {}, format="json").status_code == 403
    assert officer.post(f"{url}accept/", {}, format="json").status_code == 409
    reported = head.post(f"{url}report/", {"note": "已整改"}, format="json")
    assert reported.status_code == 200 and reported.json()["status"] == "reported"
    assert officer.get(url).json()["allowed_actions"] == ["accept", "send_back"]
    back = officer.post(f"{url}return/", {"note": "照片不全"}, format="json")
    assert back.status_code == 200 and back.json()["status"] == "open"
    head.post(f"{url}report/", {"note": "补齐"}, format="json")
    accepted = officer.post(f"{url}accept/", {"note": "通过"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert [e["action"] for e in accepted.json()["events"]] == [
        "create", "report", "send_back", "report", "accept",
    ]  # fmt: skip
    assert api_for("school_b_teacher").get(url).status_code == 403
    assert api_for("expert").get(COMMITMENTS).status_code == 403
    assert api_for("auditor").get(url).status_code == 200
    assert api_for("auditor").post(f"{url}accept/", {}, format="json").status_code == 403
    assert officer.get(f"{COMMITMENTS}{HUGE}/").status_code == 404
    assert (
        officer.post(f"{COMMITMENTS}{HUGE}/return/", {"note": "x"}, format="json").status_code
        == 404
    )


def test_it_keeps_other_schools_commitments_out_of_sight(api_for, persona, units):
    _decision, _entry, commitment = committed(persona, units, school=SCHOOL_B)
    head = api_for("school_a_head")
    assert head.get(COMMITMENTS).json()["results"] == []
    assert head.get(f"{COMMITMENTS}{commitment.pk}/").status_code == 404
    assert (
        head.post(f"{COMMITMENTS}{commitment.pk}/report/", {"note": "x"}, format="json").status_code
        == 404
    )
