"""The ledger's filters refresh its results in place: htmx asks for the results fragment."""

from __future__ import annotations

import pytest

from xiaoan.hazards.tests import pages_support as support
from xiaoan.hazards.tests.pages_support import reported

pytestmark = pytest.mark.django_db
private_media = support.private_media

FRAGMENT = {"HX-Request": "true", "HX-Target": "hazard-results"}


def test_it_answers_htmx_with_the_results_alone(client_for, demo):
    client = client_for("district_officer")
    response = client.get("/hazards/?level=major", headers=FRAGMENT)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="hazard-filters"' not in body
    assert "hazard-table" in body and "status-counts" in body
    # The export links and the major board follow the filters (swapped out of band).
    assert 'id="hazard-export-menu" hx-swap-oob="true"' in body
    assert "level=major" in body.split('id="hazard-export-menu"')[1].split("</ul>")[0]
    assert 'id="major-board"' in body
    assert "HX-Request" in response["Vary"]


def test_it_answers_the_whole_page_without_htmx(client_for, demo):
    client = client_for("district_officer")
    for headers in ({}, {"HX-Request": "true", "HX-Target": "elsewhere"}):
        body = client.get("/hazards/?level=major", headers=headers).content.decode()
        assert "<html" in body and 'id="hazard-filters"' in body and 'id="hazard-results"' in body


def test_it_keeps_the_fragment_in_scope(client_for, persona, demo, private_media):
    mine = reported(persona, demo["梁子湖高级中学"])
    other = reported(persona, demo["东沟镇中心小学"], who="district_officer")
    school = client_for("school_a_officer")
    body = school.get("/hazards/", headers=FRAGMENT).content.decode()
    assert mine.number in body and other.number not in body
    assert client_for("sysadmin").get("/hazards/", headers=FRAGMENT).status_code == 403
