"""The inspection and checklist lists cost the same number of queries at any page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoan.inspections import checklists, services
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


@pytest.fixture
def many(persona, units, checklist):
    kinds = list(InspectionKind)
    for i in range(30):
        inspection = make(
            persona,
            units,
            checklist,
            who="district_officer",
            kind=kinds[i % len(kinds)],
            unit=SCHOOL_A if i % 2 else "东沟镇中心小学",
        )
        if i % 3 == 0:
            services.invite(persona("district_officer"), inspection.pk, user="expert")
    for unit in (SCHOOL_A, "东沟镇中心小学"):
        checklists.copy_template(persona("district_officer"), checklist.pk, unit=units[unit])


def _count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["district_officer", "expert"])
def test_it_lists_inspections_in_constant_queries(api_for, many, who):
    api = api_for(who)
    api.get("/api/inspections/")  # the person's grants are loaded once per user object
    small = _count(lambda: api.get("/api/inspections/", {"page_size": 2}))
    large = _count(lambda: api.get("/api/inspections/", {"page_size": 50}))
    assert large == small


def test_it_lists_checklists_in_constant_queries(api_for, many):
    api = api_for("district_officer")
    api.get("/api/checklists/")
    small = _count(lambda: api.get("/api/checklists/", {"page_size": 2}))
    large = _count(lambda: api.get("/api/checklists/", {"page_size": 50}))
    assert large == small


def test_it_renders_the_list_pages_in_constant_queries(client_for, many):
    client = client_for("district_officer")
    url = reverse("inspections:inspection_list")
    first = _count(lambda: client.get(url, {"page": 1}))  # 25 rows
    second = _count(lambda: client.get(url, {"page": 2}))  # 5 rows
    assert first == second < 25
    url = reverse("inspections:checklist_list")
    everything = _count(lambda: client.get(url))
    fire = _count(lambda: client.get(url, {"domain": "fire"}))
    assert everything == fire < 25
