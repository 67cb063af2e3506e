"""Structured logs: one JSON object per line with the request id (the caller's X-Request-ID
when sane, a new one otherwise, echoed in the response) and one access line per request."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client

from xiaoan.core import requestid
from xiaoan.core.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """json_lines(logger) -> a reader of that logger's records as the production handler
    writes them (the request-id filter, the JSON formatter)."""
    added = []

    def attach(name: str):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(JsonFormatter())
        logger = logging.getLogger(name)
        added.append((logger, handler, logger.level))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        return lambda: [json.loads(line) for line in stream.getvalue().splitlines()]

    yield attach
    for logger, handler, level in added:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def access_lines(json_lines):
    return json_lines("xiaoan.request")


def test_it_logs_one_json_access_line_with_the_callers_request_id(access_lines):
    sent = "lb-4f2a9c1e-77d0"
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=sent)
    assert response[requestid.HEADER] == sent
    [line] = access_lines()
    assert line["request_id"] == sent
    assert line["logger"] == "xiaoan.request"
    assert line["level"] == "INFO"
    assert line["method"] == "GET" and line["route"] == "healthz" and line["status"] == 200
    assert line["duration_ms"] >= 0
    assert {"ts", "message"} <= line.keys()


@pytest.mark.parametrize(
    "forged",
    [
        "abc123456\n2026-01-01 INFO forged line",
        "x" * 65,
        "short",
        'quote"injection-123',
    ],
)
def test_it_replaces_a_forged_request_id(access_lines, forged):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=forged)
    echoed = response[requestid.HEADER]
    assert echoed != forged
    assert requestid.accept(echoed) == echoed  # the new id is itself sane
    [line] = access_lines()
    assert line["request_id"] == echoed


def test_it_gives_a_request_without_an_id_a_new_one(access_lines):
    first = Client().get("/healthz")[requestid.HEADER]
    second = Client().get("/healthz")[requestid.HEADER]
    assert first and second and first != second
    assert [line["request_id"] for line in access_lines()] == [first, second]


def test_it_names_the_signed_in_user_when_already_loaded(access_lines, client_for):
    client = client_for("school_a_officer")
    client.get("/hazards/")
    [line] = access_lines()[-1:]
    assert line["route"] == "hazards:hazard_list"
    assert str(line["user_id"]) == client.session["_auth_user_id"]


def test_it_puts_the_request_id_on_djangos_error_lines(json_lines):
    errors = json_lines("django.request")
    sent = "lb-0000notfound"
    Client().get("/no/such/page/at/all", HTTP_X_REQUEST_ID=sent)
    [line] = errors()  # once: the handler does not write it again outside the request
    assert line["message"] == "Not Found: /no/such/page/at/all"
    assert line["request_id"] == sent


def record(message: str, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("xiaoan.test", logging.ERROR, __file__, 1, message, (), exc_info)


def test_it_keeps_a_record_on_one_line_with_its_exception():
    try:
        raise ValueError("bad value")
    except ValueError:
        import sys

        rec = record("第一行\n第二行", sys.exc_info())
    with requestid.bound("job-1234abcd"):
        RequestIdFilter().filter(rec)
    text = JsonFormatter().format(rec)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "第一行\n第二行"
    assert line["request_id"] == "job-1234abcd"
    assert "ValueError: bad value" in line["exc_info"]


def test_it_uses_the_current_id_in_the_formatter_and_a_dash_outside_any():
    rec = record("hello")
    RequestIdFilter().filter(rec)
    assert rec.request_id == "-"
    assert json.loads(JsonFormatter().format(rec))["request_id"] is None
    with requestid.bound("req-5678efgh"):
        assert json.loads(JsonFormatter().format(record("x")))["request_id"] == "req-5678efgh"


def test_it_configures_the_console_for_the_chosen_format(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["request_id"]
    assert handler["formatter"] == settings.XIAOAN_LOG_FORMAT == "text"  # development default
    rec = record("plain")
    RequestIdFilter().filter(rec)
    text = logging.Formatter(settings.LOGGING["formatters"]["text"]["format"]).format(rec)
    assert text.endswith("ERROR xiaoan.test [-] plain")


def test_it_defaults_to_json_in_production(tmp_path):
    from xiaoan.core.tests.test_settings_validation import PRODUCTION, run

    code = "from django.conf import settings; print(settings.XIAOAN_LOG_FORMAT)"
    done = run(tmp_path, "shell", "-c", code, **PRODUCTION)
    assert done.stdout.strip().splitlines()[-1:] == ["json"], done.stderr[-500:]
