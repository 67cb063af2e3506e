"""Attacks on the API of the risk register, 销号复核 samples and 群众举报, with their demo data
loaded: every record's detail and every action, asked by people outside its scope (another
school's teacher, an outside expert, a university's security officer, and the school itself
for the bureau's samples), with huge and malformed ids and nested bodies, must be refused
(403/404/400) and change nothing; the public endpoints refuse bad tokens and bodies."""

from __future__ import annotations

import re

import pytest

from xiaoan.api_urls import router
from xiaoan.core.tests.attack_support import (
    assert_bad_ids_and_bodies_refused,
    snapshot,
    visible_ids,
)

pytestmark = pytest.mark.django_db

REFUSED = {400, 403, 404, 405}


def _loaders():
    from xiaoan.closure.demo import load_closure
    from xiaoan.publicreports.demo import load_public_reports

    loaders = [load_closure, load_public_reports]
    try:
        from xiaoan.risks.demo import load_risks
    except ImportError:  # pragma: no cover - the register is a later merge
        return loaders
    return [*loaders, load_risks]


def _models() -> dict[str, type]:
    from xiaoan.closure.models import ClosureSample
    from xiaoan.publicreports.models import PublicReport

    models = {"closure-samples": ClosureSample, "public-reports": PublicReport}
    try:
        from xiaoan.risks.models import RiskPoint
    except ImportError:  # pragma: no cover
        return models
    models["risk-points"] = RiskPoint
    return models


@pytest.fixture
def loaded(persona):
    from xiaoan.hazards.demo import load_hazards

    for name in ("district_officer", "district_supervisor", "school_a_officer", "school_a_head"):
        persona(name)
    load_hazards()
    for load in _loaders():
        load()


def _viewsets():
    models = _models()
    return [(prefix, viewset) for prefix, viewset, _name in router.registry if prefix in models]


def _action_paths(prefix: str, viewset, pk: int) -> list[tuple[str, set[str]]]:
    """Each detail action's path for record `pk`: a nested id in the path (a sample's review)
    is filled with the record's own children's ids, so the attack reaches the action."""
    paths = []
    for action in viewset.get_extra_actions():
        if not action.detail:
            continue
        url_path = action.url_path
        if "(?P<review_id>" in url_path:
            from xiaoan.closure.models import ClosureReview

            for review in ClosureReview.objects.filter(sample_id=pk).values_list("pk", flat=True):
                paths.append(
                    (re.sub(r"\(\?P<review_id>[^)]*\)", str(review), url_path), set(action.mapping))
                )
            continue
        paths.append((url_path, set(action.mapping)))
    return paths


def test_it_refuses_every_record_and_action_to_people_outside_its_scope(loaded, api_for):
    models = _models()
    tried = 0
    for who in ("expert", "school_b_teacher", "uni_security", "school_a_owner"):
        api = api_for(who)
        for prefix, viewset in _viewsets():
            model = models[prefix]
            visible = visible_ids(api, prefix)
            for pk in model._default_manager.values_list("pk", flat=True):
                if pk in visible:
                    continue
                before = snapshot(model, pk)
                assert api.get(f"/api/{prefix}/{pk}/").status_code in REFUSED, (who, prefix)
                for path, methods in _action_paths(prefix, viewset, pk):
                    for method in methods & {"post", "patch", "put"}:
                        answer = getattr(api, method)(
                            f"/api/{prefix}/{pk}/{path}/",
                            {"note": "x", "passed": False, "version": 0},
                            format="json",
                        )
                        assert answer.status_code in REFUSED, (who, prefix, path, method)
                        tried += 1
                for method in ("patch", "put", "delete"):
                    answer = getattr(api, method)(f"/api/{prefix}/{pk}/", {}, format="json")
                    assert answer.status_code in REFUSED, (who, prefix, method)
                    tried += 1
                assert snapshot(model, pk) == before, (who, prefix, pk)
                tried += 1
    assert tried > 50
    print(f"refused out-of-scope requests: {tried}")


def test_it_never_shows_the_school_the_bureaus_sample(loaded, api_for):
    from xiaoan.closure.models import ClosureSample

    api = api_for("school_a_officer")
    listed = api.get("/api/closure-samples/")
    assert listed.status_code in {200, 403}
    if listed.status_code == 200:
        body = listed.json()
        rows = body["results"] if isinstance(body, dict) else body
        assert rows == []
    for pk in ClosureSample.objects.values_list("pk", flat=True):
        assert api.get(f"/api/closure-samples/{pk}/").status_code in {403, 404}


def test_it_answers_huge_malformed_ids_and_nested_bodies_with_a_clear_error(loaded, api_for):
    assert_bad_ids_and_bodies_refused(
        api_for("district_officer"), [prefix for prefix, _viewset in _viewsets()]
    )


def test_it_refuses_the_public_endpoints_bad_tokens_and_bodies(loaded, client, settings):
    from xiaoan.publicreports.models import PublicReport

    settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS = 0
    before = PublicReport.objects.count()
    for token in ("x", "0" * 22, "../../etc", "9" * 300):
        # A path part too long for any token is refused before the view (400).
        assert client.get(f"/api/public/schools/{token}/").status_code in {400, 404}
        answer = client.post(f"/api/public/schools/{token}/reports/", {"description": "x"})
        assert answer.status_code in {400, 404}, token
        assert client.get(f"/p/{token}/").status_code in {400, 404}
    nested = {"code": {"a": [[[{"b": 1}]]]}}
    assert client.post(
        "/api/public/receipts/", nested, content_type="application/json"
    ).status_code in {
        400,
        404,
    }
    assert PublicReport.objects.count() == before
