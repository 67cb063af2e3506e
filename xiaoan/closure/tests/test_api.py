"""/api/closure-samples/: list, draw, retrieve with the check, review (409 on a retry),
scoped for every persona."""

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.closure.models import ClosureSample
from xiaoan.closure.tests.support import DISTRICT, closed_hazard, month, sample
from xiaoan.hazards.choices import HazardStatus
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db
HUGE = "9" * 25


def test_it_draws_retrieves_and_reviews(api_for, persona, units):
    closed_hazard(persona, units, 1)
    officer = api_for("district_officer")
    created = officer.post(
        "/api/closure-samples/",
        {
            "organiser": units[DISTRICT].pk,
            "month": month(),
            "size": 1,
            "reviewer": persona("district_supervisor").pk,
            "due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "seed": 3,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reproducible"] is True and len(body["reviews"]) == 1
    assert officer.get("/api/closure-samples/").json()["count"] >= 1
    review = body["reviews"][0]
    reviewer = api_for("district_supervisor")
    url = f"/api/closure-samples/{body['id']}/reviews/{review['id']}/"
    refused = reviewer.post(url, {"passed": False, "note": ""}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"]
    done = reviewer.post(
        url, {"passed": True, "note": "属实", "version": review["version"]}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "passed"
    again = reviewer.post(
        url, {"passed": True, "note": "属实", "version": review["version"]}, format="json"
    )
    assert again.status_code == 409
    assert Hazard.objects.get(pk=review["hazard"]).status == HazardStatus.CLOSED
    bad = officer.post("/api/closure-samples/", {"month": "2026-1"}, format="json")
    assert bad.status_code == 400


def test_it_refuses_a_review_under_another_sample(api_for, persona, units):
    drawn, _made = sample(persona, units, count=1, size=1)
    item = drawn.reviews.get()
    reviewer = api_for("district_supervisor")
    wrong = reviewer.post(
        f"/api/closure-samples/{drawn.pk + 1}/reviews/{item.pk}/", {"passed": True}, format="json"
    )
    assert wrong.status_code == 404
    huge = reviewer.post(
        f"/api/closure-samples/{drawn.pk}/reviews/{HUGE}/", {"passed": True}, format="json"
    )
    assert huge.status_code == 400  # the project's rule for path ids past 64 bits (API)


@pytest.mark.parametrize(
    ("who", "listing", "detail", "review", "create"),
    [
        ("district_officer", 200, 200, 200, 201),
        ("district_supervisor", 200, 200, 200, 403),
        ("auditor", 200, 200, 403, 403),
        ("school_a_head", 200, 404, 404, 400),
        ("uni_security", 200, 404, 404, 400),
        ("school_b_teacher", 403, 403, 403, 403),
        ("expert", 403, 403, 403, 403),
    ],
)
def test_it_scopes_every_endpoint(api_for, persona, units, who, listing, detail, review, create):
    drawn, _made = sample(persona, units, count=2, size=1)
    item = drawn.reviews.get()
    client = api_for(who)
    answer = client.get("/api/closure-samples/")
    assert answer.status_code == listing
    if listing == 200:
        ids = [row["id"] for row in answer.json()["results"]]
        assert (drawn.pk in ids) == (detail == 200)
        assert client.get(f"/api/closure-samples/{HUGE}/").status_code == 400
        assert client.get("/api/closure-samples/123456789/").status_code == 404
    assert client.get(f"/api/closure-samples/{drawn.pk}/").status_code == detail
    posted = client.post(
        f"/api/closure-samples/{drawn.pk}/reviews/{item.pk}/",
        {"passed": True, "note": "ok"},
        format="json",
    )
    assert posted.status_code == review
    made = client.post(
        "/api/closure-samples/",
        {
            "organiser": units[DISTRICT].pk,
            "month": month(),
            "size": 1,
            "reviewer": persona("district_supervisor").pk,
            "due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert made.status_code == create, made.content
    if create == 201:
        assert ClosureSample.objects.count() == 2
