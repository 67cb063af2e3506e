"""Numbers a database cannot hold never reach a 500: every URL pattern, every query parameter
a list declares, every number field of a body, as a wide-scope officer and as a platform
administrator. SQLite fails with OverflowError, PostgreSQL with DataError, so this file runs
on both (see .ci/run)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
VALUES = [HUGE, "-" + HUGE, "1e400", str(2**63), str(2**31)]
PATH_VALUES = [HUGE, str(2**63)]
PERSONAS = ["district_officer", "sysadmin"]


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    params: tuple[str, ...]
    callback: Any

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


@pytest.fixture
def records(demo):
    """Hazards, inspections and duties of the demo, so detail pages and actions are reached."""
    from xiaoan.duties.demo import load_duties
    from xiaoan.hazards.demo import load_hazards
    from xiaoan.inspections.demo import load_inspections

    load_hazards(), load_inspections(), load_duties()


def _walk(patterns, namespace: str | None = None) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


@cache
def routes() -> tuple[Route, ...]:
    found: dict[tuple[str, tuple[str, ...]], Route] = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        params = tuple(sorted(set(pattern.pattern.regex.groupindex) - {"format"}))
        found.setdefault((name, params), Route(name, params, pattern.callback))
    return tuple(found.values())


def _url(route: Route, value: str) -> str:
    return reverse(route.name, kwargs={p: value for p in route.params})


def _view_class(callback) -> Any:
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def _query_names(route: Route, client) -> set[str]:
    """What a list takes in its query: for the API what its schema declares (the FilterSet,
    pagination, parameters read by hand), for a page the fields of its filter forms and the
    query strings of its links; and the FilterSet either way."""
    names = {"page", "page_size", "unit"}
    filterset = getattr(_view_class(route.callback), "filterset_class", None)
    if filterset is not None:
        names |= set(filterset.base_filters)
    url = reverse(route.name)
    if route.is_api:
        operation = (_schema()["paths"].get(url) or {}).get("get") or {}
        return names | {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    response = client.get(url)
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        page = _Forms()
        page.feed(response.content.decode())
        names |= page.get_fields
        names |= {k for link in page.links for k in parse_qs(urlsplit(link).query)}
    return names


def _client(client_for, username: str, api: bool) -> Client:
    """A logged-in client (past any second factor the persona needs, as `client_for` does);
    server errors come back as 500 responses, so one run lists every failing request."""
    client = client_for(username)
    client.raise_request_exception = False
    if not api:
        return client
    api_client = APIClient(raise_request_exception=False)
    api_client.cookies = client.cookies  # the same session
    return api_client


class Findings(list):
    """Every badly answered request of a walk, reported together at its end."""

    tried = 0

    def check(self, response, route: Route, what: str, *, expect_400: bool = False) -> None:
        status = response.status_code
        self.tried += 1
        if status >= 500:
            self.append(f"{route.name} {what}: {status}")
        elif route.is_api and status == 400:
            body = response.json()
            if set(body.get("error") or {}) != {"code", "message", "fields"}:
                self.append(f"{route.name} {what}: unstructured 400 {body}")
        if expect_400 and status not in ({400} if route.is_api else {400, 404}):
            self.append(f"{route.name} {what}: {status}, not 400")

    def assert_none(self) -> None:
        # The figures of the walk (pytest -s shows them).
        print(f"\nbad-input walk: tried {self.tried}, badly answered {len(self)}")
        assert not self, f"{len(self)} bad answers:\n" + "\n".join(self[:60])


def test_it_walks_more_than_a_hundred_routes():
    # Guards the walker itself: a broken walk would make the tests below pass on nothing.
    assert len([r for r in routes() if r.params]) > 100
    assert any(r.name == "api:hazard-detail" for r in routes())


@pytest.mark.parametrize("username", PERSONAS)
def test_it_answers_huge_numbers_in_every_path_without_a_server_error(client_for, username):
    found = Findings()
    for api in (True, False):
        client = _client(client_for, username, api)
        for route in routes():
            if not route.params or route.is_api != api:
                continue
            for value in PATH_VALUES:
                url = _url(route, value)
                found.check(client.get(url), route, f"GET {url}", expect_400=True)
            url = _url(route, HUGE)
            found.check(client.post(url, {}), route, f"POST {url}", expect_400=True)
    found.assert_none()


@pytest.mark.parametrize("username", PERSONAS)
def test_it_answers_huge_numbers_in_every_query_parameter_without_a_server_error(
    client_for, username
):
    found = Findings()
    for api in (True, False):
        client = _client(client_for, username, api)
        for route in routes():
            if route.params or route.is_api != api or route.name in _NOT_LISTS:
                continue
            url = reverse(route.name)
            names = sorted(_query_names(route, client))
            refused = False
            for value in VALUES:  # all at once …
                response = client.get(url, {name: value for name in names})
                found.check(response, route, f"GET {url} {value}")
                refused = refused or response.status_code == 400
            # … and, when one parameter was refused, one by one: a refusal hides nothing.
            for name in names if refused else ():
                found.check(client.get(url, {name: HUGE}), route, f"GET {url}?{name}={HUGE}")
    found.assert_none()


# Routes without a list behind them: logging out, the schema (slow to build), the docs page.
_NOT_LISTS = {"accounts:logout", "api:schema", "api:docs", "set_language"}


def _integer_properties(schema: dict, components: dict, depth: int = 0) -> Iterator[str]:
    """Names of the integer and number fields of a request body (one level of lists)."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    for name, prop in (schema.get("properties") or {}).items():
        if "$ref" in prop or "allOf" in prop or "oneOf" in prop:
            continue
        kind = prop.get("type")
        if kind in ("integer", "number") or (
            kind == "array" and (prop.get("items") or {}).get("type") in ("integer", "number")
        ):
            yield name
        elif kind == "string" and prop.get("format") == "decimal":
            yield name


def _body(names: list[str], value: str, schema_props: dict) -> dict:
    body: dict[str, Any] = {}
    for name in names:
        number: Any = json.loads(value) if value != "1e400" else 1e308 * 10
        if (schema_props.get(name) or {}).get("type") == "array":
            body[name] = [number]
        else:
            body[name] = number
    return body


@cache
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _an_id(client, path: str) -> str | None:
    """The first record the caller sees in the list behind a detail path."""
    collection = path.split("{id}")[0]
    response = client.get(collection)
    if response.status_code != 200:
        return None
    data = response.json()
    rows = data.get("results", data) if isinstance(data, dict) else data
    return str(rows[0]["id"]) if rows and isinstance(rows[0], dict) and "id" in rows[0] else None


@pytest.mark.parametrize("username", PERSONAS)
def test_it_answers_huge_numbers_in_every_api_body_without_a_server_error(
    client_for, records, username
):
    schema = _schema()
    components = schema["components"]["schemas"]
    client = _client(client_for, username, api=True)
    route = Route("api:body", (), None)
    found = Findings()
    tried = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content") or {}
            body_schema = content.get("application/json") or content.get("multipart/form-data")
            if method not in ("post", "put", "patch") or body_schema is None:
                continue
            resolved = body_schema["schema"]
            if "$ref" in resolved:
                resolved = components[resolved["$ref"].rsplit("/", 1)[1]]
            names = list(_integer_properties(resolved, components))
            if not names:
                continue
            url = path
            if "{id}" in path:
                record_id = _an_id(client, path)
                if record_id is None:
                    continue
                url = path.replace("{id}", record_id)
            if "{" in url:
                continue
            props = resolved.get("properties") or {}
            for value in VALUES:
                # JSON: all at once and one by one.
                for chosen in [names, *([n] for n in names)]:
                    payload = json.dumps(_body(chosen, value, props))
                    response = getattr(client, method)(
                        url, payload, content_type="application/json"
                    )
                    found.check(response, route, f"{method} {url} {payload}")
                    tried += 1
                # Form fields: text, so "1e400" arrives as written.
                response = getattr(client, method)(url, {n: value for n in names})
                found.check(response, route, f"{method} {url} form {value}")
    found.assert_none()
    assert tried > 50


class _Forms(HTMLParser):
    """Links and POST forms of a page: each form as (action, {field: value}, numeric fields)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, dict[str, str], set[str]]] = []
        self.get_fields: set[str] = set()
        self._select: str | None = None
        self._in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            self._in_get_form = a.get("method", "get").lower() == "get"
            if not self._in_get_form:
                self.forms.append((a.get("action", ""), {}, set()))
        elif self._in_get_form:
            if tag in ("input", "select") and a.get("name"):
                self.get_fields.add(a["name"])
        elif not self.forms or not a.get("name"):
            if tag == "option" and self._select and self.forms:
                self._option(a)
            return
        elif tag == "input" and a.get("type") not in ("file", "submit", "button"):
            self.forms[-1][1][a["name"]] = a.get("value", "")
            if a.get("type") == "number" or a.get("value", "").isdigit():
                self.forms[-1][2].add(a["name"])
        elif tag == "select":
            self._select = a["name"]
            self.forms[-1][1].setdefault(a["name"], "")
        elif tag == "textarea":
            self.forms[-1][1][a["name"]] = "x"

    def _option(self, a: dict[str, str]) -> None:
        if a.get("value", "").isdigit():
            self.forms[-1][2].add(self._select)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._in_get_form = False


# Forms that end the session or change the language rather than take data.
_SKIP_FORMS = {"accounts:logout", "set_language", "core:switch_unit"}


def _crawl(client) -> Iterator[tuple[str, str, dict[str, str], set[str]]]:
    """Every page reachable from the lists (one per route), and the POST forms on it."""
    queue = [
        reverse(r.name)
        for r in routes()
        if not r.is_api and not r.params and r.name not in _NOT_LISTS
    ]
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        if match.view_name in seen or match.view_name.startswith("api:"):
            continue
        seen.add(match.view_name)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        queue.extend(parser.links)
        for action, fields, numeric in parser.forms:
            target = action or url
            try:
                if resolve(urlsplit(target).path).view_name in _SKIP_FORMS:
                    continue
            except Resolver404:
                continue
            if numeric:
                yield match.view_name, target, fields, numeric


@pytest.mark.parametrize("username", PERSONAS)
def test_it_answers_huge_numbers_in_every_page_form_without_a_server_error(
    client_for, records, username
):
    client = _client(client_for, username, api=False)
    found = Findings()
    tried = set()
    for view_name, url, fields, numeric in _crawl(client):
        route = Route(view_name, (), None)
        for value in VALUES:
            response = client.post(url, {**fields, **{n: value for n in numeric}})
            found.check(response, route, f"POST {url} {value}")
        for name in sorted(numeric):
            response = client.post(url, {**fields, name: HUGE})
            found.check(response, route, f"POST {url} {name}={HUGE}")
        tried.add(url)
    found.assert_none()
    assert len(tried) > (10 if username == "district_officer" else 2), tried
