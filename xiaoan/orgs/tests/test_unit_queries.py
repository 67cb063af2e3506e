"""Lists cost the same number of queries however many rows they show: no query per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoan.orgs.models import Unit


@pytest.fixture
def many_units(units):
    """Enough departments under the university that every page below is full."""
    uni = Unit.objects.get(pk=units["鄂州职业大学"].pk)
    for number in range(30):
        Unit.objects.add_child(uni, instance=Unit(name=f"教研室{number:02d}", kind="department"))
        uni.refresh_from_db()
    return units


def count_queries(client, url: str, params: dict) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("username", ["sysadmin", "uni_security", "district_officer"])
def test_it_lists_units_in_the_api_with_as_many_queries_for_40_rows_as_for_5(
    many_units, api_for, username
):
    client = api_for(username)
    client.get("/api/units/")  # the persona's grants are loaded once and kept
    few, small = count_queries(client, "/api/units/", {"page_size": 5})
    many, large = count_queries(client, "/api/units/", {"page_size": 40})
    assert len(small.json()["results"]) == 5
    assert len(large.json()["results"]) == min(40, large.json()["count"])
    assert len(large.json()["results"]) > 20
    assert many == few
    assert few <= 4  # count, page, parents (and nothing per row)


def test_it_names_parents_without_a_query_per_row(
    many_units, api_for, django_assert_max_num_queries
):
    client = api_for("uni_security")
    client.get("/api/units/")
    with django_assert_max_num_queries(4):
        rows = client.get("/api/units/", {"page_size": 40, "ordering": "-name"}).json()["results"]
    assert all(row["parent"] == many_units["鄂州职业大学"].pk for row in rows if row["depth"] == 3)


def test_it_filters_and_searches_without_a_query_per_row(many_units, api_for):
    client = api_for("sysadmin")
    client.get("/api/units/")
    few, _small = count_queries(client, "/api/units/", {"search": "教研室", "page_size": 5})
    many, large = count_queries(client, "/api/units/", {"search": "教研室", "page_size": 40})
    assert large.json()["count"] == 30
    assert many == few


def test_it_shows_the_unit_list_page_with_as_many_queries_for_many_rows_as_for_few(
    many_units, client_for
):
    client = client_for("sysadmin")
    few, small = count_queries(client, reverse("orgs:unit_list"), {"kind": "authority"})
    many, large = count_queries(client, reverse("orgs:unit_list"), {})
    assert len(small.context["object_list"]) == 2
    assert len(large.context["object_list"]) > 60
    assert many == few


def test_it_shows_a_unit_page_with_as_many_queries_for_many_children_as_for_none(
    many_units, client_for
):
    client = client_for("sysadmin")
    leaf = many_units["东沟镇中心小学"]
    uni = many_units["鄂州职业大学"]
    few, small = count_queries(client, reverse("orgs:unit_detail", args=[leaf.pk]), {})
    many, large = count_queries(client, reverse("orgs:unit_detail", args=[uni.pk]), {})
    assert len(small.context["children"]) == 0
    assert len(large.context["children"]) == 42
    assert many == few
