"""/api/activities/: list with filters, detail, create (JSON or multipart with photos;
a retried key answers with the first), update, photos, the calendar and who did and who did
not; refused out of scope (404) and without the right (403)."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.activities.models import Activity
from xiaoan.activities.tests.support import (
    DISTRICT,
    SCHOOL_A,
    SCHOOL_B,
    UNIVERSITY,
    at,
    photo,
    record,
)

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/api/activities/"


@pytest.fixture
def spread(persona, units, monkeypatch):
    at(monkeypatch, D(2026, 11, 20))
    return {
        "a": record(persona, units, SCHOOL_A),
        "b": record(persona, units, SCHOOL_B, who="district_officer", kind="lecture"),
        "u": record(persona, units, UNIVERSITY, who="uni_security"),
    }


def test_it_lists_and_reads_in_scope(spread, api_for, django_assert_max_num_queries):
    district = api_for("district_officer")
    with django_assert_max_num_queries(12):
        body = district.get(URL).json()
    ids = {row["id"] for row in body["results"]} if "results" in body else {r["id"] for r in body}
    assert ids == {spread["a"].pk, spread["b"].pk}
    lectures = district.get(URL, {"kind": "lecture"}).json()
    rows = lectures["results"] if "results" in lectures else lectures
    assert [r["id"] for r in rows] == [spread["b"].pk]
    one = district.get(f"{URL}{spread['a'].pk}/").json()
    assert one["event_name"] == "消防宣传月" and one["window_key"] == "2026"
    school = api_for("school_a_officer")
    assert school.get(f"{URL}{spread['b'].pk}/").status_code == 404
    assert api_for("uni_security").get(f"{URL}{spread['a'].pk}/").status_code == 404
    assert api_for("school_b_teacher").get(URL).status_code == 403
    assert district.get(f"{URL}99999999999999999999/").status_code in (400, 404)


def test_it_records_once_and_changes(persona, units, api_for, monkeypatch):
    at(monkeypatch, D(2026, 11, 20))
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "event": "fire_month",
        "kind": "quiz",
        "title": "消防知识竞赛",
        "held_on": "2026-11-18",
        "classes": "高二年级",
        "participants": 320,
        "summary": "十个班参赛。",
    }
    made = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert made.status_code == 201, made.content
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    changed = client.post(URL, {**body, "participants": 1}, format="json",
                          HTTP_IDEMPOTENCY_KEY="abc")  # fmt: skip
    assert changed.status_code == 422
    refused = client.post(URL, {**body, "held_on": "2026-10-01"}, format="json")
    assert refused.status_code == 400 and "held_on" in refused.json()["error"]["fields"]
    other = client.post(URL, {**body, "unit": units[SCHOOL_B].pk}, format="json")
    assert other.status_code == 400 and "unit" in other.json()["error"]["fields"]
    assert api_for("auditor").post(URL, body, format="json").status_code == 403
    with_photos = client.post(
        URL, {**body, "title": "带照片", "photos": [photo(), photo("b.jpg")]}, format="multipart"
    )
    assert with_photos.status_code == 201 and len(with_photos.json()["photos"]) == 2
    pk = made.json()["id"]
    patched = client.patch(f"{URL}{pk}/", {"participants": 330, "version": 1}, format="json")
    assert patched.status_code == 200 and patched.json()["participants"] == 330
    stale = client.patch(f"{URL}{pk}/", {"participants": 331, "version": 1}, format="json")
    assert stale.status_code == 409
    put = client.put(f"{URL}{pk}/", {**body, "participants": 340}, format="json")
    assert put.status_code == 200 and put.json()["participants"] == 340
    assert api_for("auditor").patch(f"{URL}{pk}/", {"participants": 2}).status_code == 403
    assert api_for("uni_security").patch(f"{URL}{pk}/", {"participants": 2}).status_code == 404
    photos = client.post(f"{URL}{pk}/photos/", {"photos": [photo()]}, format="multipart")
    assert photos.status_code == 201 and len(photos.json()) == 1
    assert Activity.objects.get(pk=pk).photos.count() == 1
    assert (
        api_for("uni_security")
        .post(f"{URL}{pk}/photos/", {"photos": [photo()]}, format="multipart")
        .status_code
        == 404
    )
    assert (
        api_for("auditor").post(f"{URL}{pk}/photos/", {"photos": [photo()]}, format="multipart")
    ).status_code == 403


def test_the_calendar_and_who_did_and_who_did_not(spread, api_for, units):
    client = api_for("district_officer")
    cal = client.get(f"{URL}calendar/")
    assert cal.status_code == 200
    fire = {e["code"]: e for e in cal.json()}["fire_month"]
    assert fire["windows"][0]["start"].endswith("-11-01") and fire["name"] == "消防宣传月"
    assert api_for("school_b_teacher").get(f"{URL}calendar/").status_code == 403
    cover = client.get(
        f"{URL}coverage/", {"event": "fire_month", "window": "2026", "unit": units[DISTRICT].pk}
    )
    assert cover.status_code == 200
    data = cover.json()
    assert (data["done"], data["total"] - data["missing"]) == (2, 2)
    done = {s["unit"] for s in data["schools"] if s["done"]}
    assert done == {units[SCHOOL_A].pk, units[SCHOOL_B].pk}
    missing = client.get(
        f"{URL}coverage/", {"event": "fire_month", "window": "2026", "state": "missing"}
    ).json()
    assert missing["count"] == data["total"] - 2
    bad = client.get(f"{URL}coverage/", {"event": "nonsense"})
    assert bad.status_code == 400
    school = api_for("school_a_officer")
    assert (
        school.get(f"{URL}coverage/", {"event": "fire_month", "unit": units[DISTRICT].pk})
    ).status_code == 404
    assert api_for("school_b_teacher").get(f"{URL}coverage/").status_code == 403


def test_the_photos_are_listed_and_served_in_scope(persona, units, api_for, monkeypatch):
    at(monkeypatch, D(2026, 11, 20))
    activity = record(persona, units, SCHOOL_A, photos=[photo()])
    other = record(persona, units, SCHOOL_B, who="district_officer", photos=[photo()])
    client = api_for("school_a_officer")
    listed = client.get(f"{URL}{activity.pk}/photos/")
    assert listed.status_code == 200
    [row] = listed.json()
    served = client.get(row["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"
    assert api_for("uni_security").get(f"{URL}{activity.pk}/photos/").status_code == 404
    assert api_for("uni_security").get(row["url"]).status_code == 404
    assert api_for("school_b_teacher").get(row["url"]).status_code == 403
    # Another activity's photo under this activity's address: not there.
    theirs = other.photos.get().pk
    assert (
        api_for("district_officer").get(f"{URL}{activity.pk}/photos/{theirs}/").status_code == 404
    )
