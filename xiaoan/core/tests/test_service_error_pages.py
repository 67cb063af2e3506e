"""Page views let a service's refusal through; ServiceErrorMiddleware answers for them."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.middleware import ServiceErrorMiddleware

middleware = ServiceErrorMiddleware(lambda request: None)


def page_request(method="post", path="/plans/3/publish/", **headers):
    request = getattr(RequestFactory(), method)(path, headers=headers)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("error, status", [(NotFound(), 404), (Forbidden(), 403)])
def test_it_answers_not_found_and_forbidden_as_django_pages(db, error, status):
    for method in ("get", "post"):
        response = middleware.process_exception(page_request(method), error)
        assert response.status_code == status


def test_it_brings_a_refused_button_back_to_its_page_with_the_reason(db):
    request = page_request(referer="http://testserver/plans/3/")
    response = middleware.process_exception(request, Conflict("方案已下发，不能重复下发。"))
    assert response.status_code == 302 and response["Location"] == "http://testserver/plans/3/"
    assert [str(m) for m in get_messages(request)] == ["方案已下发，不能重复下发。"]


def test_it_never_redirects_to_another_site(db):
    request = page_request(referer="https://evil.example/phish")
    response = middleware.process_exception(request, Invalid("x"))
    assert response["Location"] == "/"


def test_it_leaves_the_api_and_other_errors_alone(db):
    assert middleware.process_exception(page_request(path="/api/plans/3/"), Conflict()) is None
    assert middleware.process_exception(page_request(), ValueError()) is None
    # A GET that a service refuses for another reason is a bug, not a message: let it surface.
    assert middleware.process_exception(page_request("get"), Conflict()) is None


def test_it_answers_a_whole_page_to_htmx_on_a_list_without_a_fragment(client_for, demo):
    # Every scoped list mixes in the partial rendering; only the ledger has a fragment.
    headers = {"HX-Request": "true", "HX-Target": "list-results"}
    for url in ("/inspections/", "/plans/", "/duties/obligations/", "/units/"):
        response = client_for("district_officer").get(url, headers=headers)
        assert response.status_code == 200, url
        assert "<html" in response.content.decode(), url
