"""Hostile bodies (deep nesting, over the size or field limits, non-finite numbers) answer the
structured 400 in the API and a 400 page for pages; never a 500 or a RecursionError."""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from rest_framework.parsers import JSONParser

from xiaoan.core.api.parsers import MAX_DEPTH, BoundedJSONParser

pytestmark = pytest.mark.django_db


def _error(response) -> dict:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def _post_json(client, url: str, raw: str):
    return client.generic("POST", url, raw, content_type="application/json")


@pytest.mark.parametrize("url", ["/api/hazards/", "/api/inspections/", "/api/units/"])
def test_it_refuses_ten_thousand_levels_of_nesting(api_for, url):
    client = api_for("district_officer")
    client.raise_request_exception = False
    error = _error(_post_json(client, url, "[" * 10_000 + "]" * 10_000))
    assert error["code"] == "too_deep"
    assert "嵌套" in error["message"]


def test_it_refuses_nesting_just_past_the_limit_and_takes_it_at_the_limit(api_for):
    client = api_for("district_officer")
    too_deep = '{"description": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"
    assert _error(_post_json(client, "/api/hazards/", too_deep))["code"] == "too_deep"
    at_limit = '{"description": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    # Parsed, then refused by the serializer for what it says, not for its depth.
    assert _error(_post_json(client, "/api/hazards/", at_limit))["code"] == "invalid"


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity"])
def test_it_refuses_numbers_json_cannot_hold(api_for, number):
    client = api_for("district_officer")
    error = _error(_post_json(client, "/api/hazards/", '{"unit": ' + number + "}"))
    assert error["code"] in ("out_of_range", "parse_error")


def test_it_refuses_a_json_body_over_the_size_limit(api_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = api_for("district_officer")
    raw = '{"description": "' + "x" * 2000 + '"}'
    error = _error(_post_json(client, "/api/hazards/", raw))
    assert error["code"] == "request_too_large"


def test_it_refuses_a_form_with_too_many_fields_in_the_api(api_for, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = api_for("district_officer")
    response = client.post("/api/hazards/", {f"f{i}": "x" for i in range(50)}, format="multipart")
    assert _error(response)["code"] == "too_many_fields"
    response = client.generic(
        "POST",
        "/api/hazards/",
        "&".join(f"f{i}=x" for i in range(50)),
        content_type="application/x-www-form-urlencoded",
    )
    assert _error(response)["code"] == "too_many_fields"


def test_it_answers_a_page_with_too_many_fields_with_a_400_page(client_for, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = client_for("district_officer")
    client.raise_request_exception = False
    response = client.post("/hazards/report/", {f"f{i}": "x" for i in range(50)})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_it_answers_a_page_body_over_the_limit_with_a_400_page(client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = client_for("district_officer")
    client.raise_request_exception = False
    response = client.post("/hazards/report/", {"description": "x" * 5000})
    assert response.status_code == 400


def _api_views():
    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns)
            else:
                cls = getattr(p.callback, "cls", None)
                if cls is not None:
                    yield cls

    return set(walk(get_resolver().url_patterns))


def test_it_parses_json_only_with_the_bounded_parser_everywhere():
    views = _api_views()
    assert len(views) > 10
    for cls in views:
        for parser in cls.parser_classes:
            if issubclass(parser, JSONParser):
                assert issubclass(parser, BoundedJSONParser), (cls, parser)
