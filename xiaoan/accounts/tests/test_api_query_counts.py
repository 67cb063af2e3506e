"""People lists cost the same number of queries whatever the page size (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.accounts.models import Role, RoleAssignment, User


@pytest.fixture
def crowd(demo):
    """Enough people and grants in the district that a page of 14 is full."""
    inspector = Role.objects.get(code="inspector")
    for i in range(12):
        unit = demo["东沟镇中心小学"] if i % 2 else demo["梁子湖高级中学"]
        user = User.objects.create_user(f"teacher{i}", name=f"教师{i}", unit=unit)
        RoleAssignment.objects.create(user=user, role=inspector, unit=unit)
        RoleAssignment.objects.create(user=user, role=Role.objects.get(code="reporter"), unit=unit)


def _queries(api_for, who: str, url: str, page_size: int) -> int:
    client = api_for(who)  # a fresh user object: its grants are loaded inside the request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/api/users/", "/api/role-assignments/"])
@pytest.mark.parametrize("who", ["secadmin", "district_officer"])
def test_it_runs_the_same_queries_for_3_and_14_rows(url, who, api_for, crowd):
    assert _queries(api_for, who, url, 3) == _queries(api_for, who, url, 14)


def test_it_runs_the_same_queries_for_the_people_page(client_for, crowd):
    from django.urls import reverse

    counts = []
    for query in ({"q": "教师1"}, {}):  # 3 people, then all 20 of the district
        client = client_for("district_officer")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("accounts:user_list"), query)
        assert response.status_code == 200
        counts.append((len(response.context["object_list"]), len(captured.captured_queries)))
    assert counts[0][0] == 3 and counts[1][0] == 20
    assert counts[0][1] == counts[1][1]
