"""Attacks on the API of incidents, duty rosters, student cases, reports upward and
accountability, with their demo data loaded: every record's detail and every action, asked by
people outside its scope (another school's teacher, an outside expert), with huge and
malformed ids and nested bodies, must be refused (403/404/400) and change nothing; a minor's
case is never seen by the district."""

from __future__ import annotations

import pytest

from xiaoan.api_urls import router
from xiaoan.core.tests.attack_support import (
    assert_bad_ids_and_bodies_refused,
    snapshot,
    visible_ids,
)

pytestmark = pytest.mark.django_db

PREFIXES = (
    "incidents",
    "duty-rosters",
    "student-cases",
    "bullying-cases",
    "conflict-screenings",
    "report-calls",
    "reports",
    "accountability",
    "accountability/commitments",
)
REFUSED = {400, 403, 404, 405}


@pytest.fixture
def loaded(db):
    from xiaoan.accountability.demo import load_accountability
    from xiaoan.incidents.demo import load_incidents
    from xiaoan.reportcalls.demo import load_reportcalls
    from xiaoan.studentcases.demo import load_student_cases

    load_incidents()
    load_student_cases()
    load_reportcalls()
    load_accountability()


def _viewsets():
    return [(prefix, viewset) for prefix, viewset, _name in router.registry if prefix in PREFIXES]


def _actions(viewset) -> list[tuple[str, set[str]]]:
    return [
        (action.url_path, set(action.mapping))
        for action in viewset.get_extra_actions()
        if action.detail
    ]


def _ids(model, **filters) -> list[int]:
    return list(model._default_manager.filter(**filters).values_list("pk", flat=True))


def _models() -> dict[str, type]:
    from xiaoan.accountability.models import Commitment, Decision
    from xiaoan.incidents.models import DutyShift, Incident
    from xiaoan.reportcalls.models import Report, ReportCall
    from xiaoan.studentcases.models import BullyingCase, ConflictScreening, StudentCase

    return {
        "incidents": Incident,
        "duty-rosters": DutyShift,
        "student-cases": StudentCase,
        "bullying-cases": BullyingCase,
        "conflict-screenings": ConflictScreening,
        "report-calls": ReportCall,
        "reports": Report,
        "accountability": Decision,
        "accountability/commitments": Commitment,
    }


def test_it_refuses_every_record_and_action_to_people_outside_its_scope(loaded, api_for):
    MODELS = _models()
    tried = 0
    # Outsiders with no standing scope, with another school's reporting rights, and with
    # incident and case rights at a university elsewhere in the tree.
    for who in ("expert", "school_b_teacher", "uni_security"):
        api = api_for(who)
        for prefix, viewset in _viewsets():
            model = MODELS[prefix]
            # School B's teacher may be named on a School B record: only School A's are hers
            # to be refused (the district's demo writes at School A).
            ids = _ids(model)
            visible = visible_ids(api, prefix)
            for pk in ids:
                if pk in visible:
                    continue
                before = snapshot(model, pk)
                assert api.get(f"/api/{prefix}/{pk}/").status_code in REFUSED, (who, prefix)
                for path, methods in _actions(viewset):
                    for method in methods & {"post", "patch", "put"}:
                        answer = getattr(api, method)(
                            f"/api/{prefix}/{pk}/{path}/", {"note": "x"}, format="json"
                        )
                        assert answer.status_code in REFUSED, (who, prefix, path, method)
                        tried += 1
                for method in ("patch", "put", "delete"):
                    answer = getattr(api, method)(f"/api/{prefix}/{pk}/", {}, format="json")
                    assert answer.status_code in REFUSED, (who, prefix, method)
                    tried += 1
                assert snapshot(model, pk) == before, (who, prefix, pk)
                tried += 1
    assert tried > 100
    print(f"refused out-of-scope requests: {tried}")


def test_it_answers_huge_malformed_ids_and_nested_bodies_with_a_clear_error(loaded, api_for):
    assert_bad_ids_and_bodies_refused(
        api_for("district_officer"), [prefix for prefix, _viewset in _viewsets()]
    )


def test_it_never_shows_the_district_a_minors_name(loaded, api_for):
    from xiaoan.studentcases.models import StudentCase

    api = api_for("district_officer")
    names = [case.student_name for case in StudentCase.objects.all()]
    assert names
    for prefix in ("student-cases", "bullying-cases", "conflict-screenings"):
        listed = api.get(f"/api/{prefix}/")
        text = listed.content.decode()
        assert not any(name and name in text for name in names), prefix
        for pk in _ids(StudentCase):
            assert api.get(f"/api/student-cases/{pk}/").status_code in {403, 404}
    counts = api.get("/api/student-cases/counts/")
    assert counts.status_code == 200
    assert not any(name and name in counts.content.decode() for name in names)
