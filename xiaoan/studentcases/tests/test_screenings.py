"""Conflict screenings: one per school per semester with the cases found; seen by the role
and the recorder only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.studentcases.tests.conftest import PERSONAS, SCHOOL_A, days_ago

API = "/api/conflict-screenings/"


@pytest.fixture
def screening(api_for, units, cases):
    response = api_for("school_a_head").post(
        API,
        {
            "unit": units[SCHOOL_A].pk,
            "semester": "2026年秋季学期",
            "screened_on": str(days_ago(3)),
            "summary": "逐班排查",
            "cases": [cases["a1"].pk, cases["a2"].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_it_records_one_screening_per_school_and_semester(api_for, units, cases, screening):
    assert screening["case_count"] == 2
    api = api_for("school_a_head")
    body = {"unit": units[SCHOOL_A].pk, "semester": "2026年秋季学期",
            "screened_on": str(days_ago(1))}  # fmt: skip
    assert api.post(API, body, format="json").status_code == 400
    other = {**body, "semester": "2027年春季学期", "cases": [cases["b"].pk]}
    assert api.post(API, other, format="json").status_code == 400  # another school's case
    nested = {**body, "semester": {"a": [1]}}
    assert api.post(API, nested, format="json").status_code == 400
    assert api_for("school_a_officer").post(API, body, format="json").status_code == 403


@pytest.mark.parametrize("who", PERSONAS)
def test_it_shows_a_screening_only_to_the_role_and_its_recorder(
    client_for, api_for, screening, who
):
    sees = who == "school_a_head"
    api = api_for(who)
    detail = api.get(f"{API}{screening['id']}/")
    page = client_for(who).get(
        reverse("studentcases:conflictscreening_detail", args=[screening["id"]])
    )
    listing = client_for(who).get(reverse("studentcases:conflictscreening_list"))
    if sees:
        assert detail.status_code == 200 and page.status_code == 200
        assert "陈小雨" in page.content.decode()
        assert listing.status_code == 200
        assert api.get(API).status_code == 200
    else:
        assert detail.status_code == 403 and page.status_code == 404
        assert listing.status_code == 403
        assert api.get(API).status_code == 403


def test_it_records_a_screening_on_the_page(client_for, units, cases):
    url = reverse("studentcases:conflictscreening_add")
    assert client_for("school_a_officer").get(url).status_code == 403
    head = client_for("school_a_head")
    assert head.get(url).status_code == 200
    response = head.post(
        url,
        {
            "unit": units[SCHOOL_A].pk,
            "semester": "2027年春季学期",
            "screened_on": str(days_ago(0)),
            "cases": [cases["a2"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:800]
