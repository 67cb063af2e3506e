"""The route-coverage check itself: it sees every route and names one nobody refused."""

from __future__ import annotations

from xiaoan.core import route_coverage


def test_it_walks_every_route_of_pages_and_api():
    routes = route_coverage.all_routes()
    assert len(routes) > 150
    assert {"accounts:login", "api:hazard-detail", "api:audit-list"} <= set(routes)


def test_it_names_a_route_that_was_never_refused(monkeypatch):
    seen = {name: {"refused", "served"} for name in route_coverage.all_routes()}
    seen["api:hazard-detail"] = {"served"}
    monkeypatch.setattr(route_coverage, "SEEN", seen)
    assert route_coverage.gaps() == ["api:hazard-detail: refused"]
