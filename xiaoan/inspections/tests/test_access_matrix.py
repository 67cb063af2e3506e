"""Who may open which inspection page and endpoint: in scope 200 (302 after a page POST),
out of scope 404, an action held nowhere 403, anonymous to the login page (401/403 on the
API). A refused call changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoan.core.testing import LOGIN
from xiaoan.core.testing import check_page as _check
from xiaoan.core.testing import page_client as _client
from xiaoan.inspections import checklists, services
from xiaoan.inspections.choices import InspectionStatus
from xiaoan.inspections.models import ChecklistTemplate, Inspection, ResultPhoto
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, done, items_of, jpeg, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


@pytest.fixture
def world(persona, units, checklist):
    """School A: a planned self-check, a submitted one (with a photo), and its own copy of
    the checklist."""
    planned = make(persona, units, checklist, title="计划中")
    submitted = done(persona, make(persona, units, checklist, title="已提交"))
    copy = checklists.copy_template(persona("school_a_officer"), checklist.pk, unit=units[SCHOOL_A])
    return {
        "planned": planned,
        "submitted": submitted,
        "photo": ResultPhoto.objects.filter(result__inspection=submitted).first(),
        "builtin": checklist,
        "copy": copy,
    }


GET_PAGES = [
    ("inspection_list", None, "school_a_officer", 200),
    ("inspection_list", None, "district_officer", 200),
    ("inspection_list", None, "auditor", 200),
    ("inspection_list", None, "uni_security", 200),
    ("inspection_list", None, "school_a_owner", 403),
    ("inspection_list", None, "school_b_teacher", 403),
    ("inspection_list", None, "expert", 403),
    ("inspection_list", None, None, LOGIN),
    ("inspection_create", None, "school_a_officer", 200),
    ("inspection_create", None, "district_supervisor", 200),
    ("inspection_create", None, "auditor", 403),
    ("inspection_create", None, "school_b_teacher", 403),
    ("inspection_create", None, None, LOGIN),
    ("inspection_detail", "planned", "school_a_officer", 200),
    ("inspection_detail", "submitted", "district_officer", 200),
    ("inspection_detail", "submitted", "auditor", 200),
    ("inspection_detail", "planned", "uni_security", 404),
    ("inspection_detail", "planned", "school_b_teacher", 403),
    ("inspection_detail", "planned", "expert", 403),
    ("inspection_detail", "planned", None, LOGIN),
    ("inspection_run", "planned", "school_a_officer", 200),
    ("inspection_run", "planned", "district_officer", 200),
    ("inspection_run", "planned", "auditor", 403),
    ("inspection_run", "planned", "uni_security", 404),
    ("inspection_run", "planned", "school_b_teacher", 403),
    ("inspection_run", "planned", None, LOGIN),
    ("result_photo", "photo", "school_a_officer", 200),
    ("result_photo", "photo", "auditor", 200),
    ("result_photo", "photo", "uni_security", 404),
    ("result_photo", "photo", "school_b_teacher", 403),
    ("result_photo", "photo", None, LOGIN),
    ("checklist_list", None, "school_a_officer", 200),
    ("checklist_list", None, "auditor", 200),
    ("checklist_list", None, "school_b_teacher", 403),
    ("checklist_list", None, "expert", 403),
    ("checklist_list", None, None, LOGIN),
    ("checklist_detail", "builtin", "uni_security", 200),
    ("checklist_detail", "copy", "school_a_officer", 200),
    ("checklist_detail", "copy", "district_officer", 200),
    ("checklist_detail", "copy", "uni_security", 404),
    ("checklist_detail", "copy", "school_b_teacher", 403),
    ("checklist_detail", "copy", None, LOGIN),
    ("checklist_copy", "builtin", "school_a_officer", 200),
    ("checklist_copy", "copy", "uni_security", 404),
    ("checklist_copy", "builtin", "auditor", 403),
    ("checklist_copy", "builtin", None, LOGIN),
    ("checklist_edit", "copy", "school_a_officer", 200),
    ("checklist_edit", "copy", "district_officer", 200),
    ("checklist_edit", "copy", "uni_security", 404),
    ("checklist_edit", "builtin", "school_a_officer", 403),
    ("checklist_edit", "copy", "auditor", 403),
    ("checklist_edit", "copy", None, LOGIN),
]


@pytest.mark.parametrize("name, target, who, expected", GET_PAGES)
def test_it_guards_every_page(client_for, world, name, target, who, expected):
    args = [world[target].pk] if target else []
    _check(_client(client_for, who).get(reverse(f"inspections:{name}", args=args)), expected)


def _run_data(inspection):
    ids = items_of(inspection)
    return {
        "action": "save",
        "version": inspection.version,
        f"result-{ids['TEST-SMALL-03']}": "pass",
    }


POST_PAGES = [
    ("inspection_invite", "planned", "school_a_officer", 302),
    ("inspection_invite", "planned", "uni_security", 404),
    ("inspection_invite", "planned", "auditor", 403),
    ("inspection_invite", "planned", "school_b_teacher", 403),
    ("inspection_invite", "planned", None, LOGIN),
    ("inspection_close", "submitted", "school_a_officer", 302),
    ("inspection_close", "submitted", "uni_security", 404),
    ("inspection_close", "submitted", "auditor", 403),
    ("inspection_close", "submitted", None, LOGIN),
    ("inspection_run", "planned", "school_a_officer", 302),
    ("inspection_run", "planned", "uni_security", 404),
    ("inspection_run", "planned", "auditor", 403),
    ("inspection_run", "planned", "school_b_teacher", 403),
    ("inspection_run", "planned", None, LOGIN),
]


@pytest.mark.parametrize("name, target, who, expected", POST_PAGES)
def test_it_guards_every_form(client_for, world, name, target, who, expected):
    inspection = world[target]
    data = {
        "inspection_invite": {"user": "expert", "role": "expert"},
        "inspection_close": {"note": "", "version": inspection.version},
        "inspection_run": _run_data(inspection),
    }[name]
    before = (inspection.status, inspection.version, inspection.invites.count())
    response = _client(client_for, who).post(
        reverse(f"inspections:{name}", args=[inspection.pk]), data
    )
    _check(response, expected)
    inspection.refresh_from_db()
    after = (inspection.status, inspection.version, inspection.invites.count())
    assert (after != before) == (expected == 302)


def _api(persona, who):
    client = APIClient()
    if who:
        client.force_authenticate(persona(who))
    return client


API_CASES = [
    ("get", "/api/inspections/", None, "school_a_officer", 200),
    ("get", "/api/inspections/", None, "school_b_teacher", 403),
    ("get", "/api/inspections/", None, None, 401),
    ("get", "/api/inspections/{planned}/", None, "school_a_officer", 200),
    ("get", "/api/inspections/{planned}/", None, "auditor", 200),
    ("get", "/api/inspections/{planned}/", None, "uni_security", 404),
    ("get", "/api/inspections/{planned}/", None, "school_b_teacher", 403),
    ("get", "/api/inspections/{planned}/", None, None, 401),
    ("post", "/api/inspections/{planned}/draft/", {}, "school_a_officer", 200),
    ("post", "/api/inspections/{planned}/draft/", {}, "uni_security", 404),
    ("post", "/api/inspections/{planned}/draft/", {}, "auditor", 403),
    ("post", "/api/inspections/{planned}/draft/", {}, None, 401),
    ("post", "/api/inspections/{planned}/submit/", {}, "uni_security", 404),
    ("post", "/api/inspections/{planned}/submit/", {}, "auditor", 403),
    ("post", "/api/inspections/{planned}/invite/", {"user": "expert"}, "school_a_officer", 201),
    ("post", "/api/inspections/{planned}/invite/", {"user": "expert"}, "uni_security", 404),
    ("post", "/api/inspections/{planned}/invite/", {"user": "expert"}, "auditor", 403),
    ("post", "/api/inspections/{submitted}/close/", {}, "school_a_officer", 200),
    ("post", "/api/inspections/{submitted}/close/", {}, "uni_security", 404),
    ("post", "/api/inspections/{submitted}/close/", {}, "auditor", 403),
    ("get", "/api/inspections/{submitted}/photos/{photo}/", None, "school_a_officer", 200),
    ("get", "/api/inspections/{submitted}/photos/{photo}/", None, "uni_security", 404),
    ("get", "/api/inspections/{planned}/photos/{photo}/", None, "school_a_officer", 404),
    ("get", "/api/inspections/missed-by-self-check/", None, "auditor", 200),
    ("get", "/api/inspections/missed-by-self-check/", None, "school_b_teacher", 403),
    ("get", "/api/checklists/", None, "school_a_officer", 200),
    ("get", "/api/checklists/", None, "school_b_teacher", 403),
    ("get", "/api/checklists/", None, None, 401),
    ("get", "/api/checklists/{copy}/", None, "district_officer", 200),
    ("get", "/api/checklists/{copy}/", None, "uni_security", 404),
    ("post", "/api/checklists/{builtin}/copy/", {"unit": "school_a"}, "school_a_officer", 201),
    ("post", "/api/checklists/{builtin}/copy/", {"unit": "school_a"}, "auditor", 403),
    ("post", "/api/checklists/{copy}/revise/", {"name": "新"}, "school_a_officer", 200),
    ("post", "/api/checklists/{copy}/revise/", {"name": "新"}, "uni_security", 404),
    ("post", "/api/checklists/{copy}/revise/", {"name": "新"}, "auditor", 403),
    ("post", "/api/checklists/{builtin}/revise/", {"name": "新"}, "school_a_officer", 403),
]


@pytest.mark.parametrize("method, url, body, who, expected", API_CASES)
def test_it_guards_every_endpoint(persona, units, world, method, url, body, who, expected):
    url = url.format(**{k: v.pk for k, v in world.items() if v is not None})
    if body and body.get("unit") == "school_a":
        body = {**body, "unit": units[SCHOOL_A].pk}
    client = _api(persona, who)
    counts = (Inspection.objects.filter(status=InspectionStatus.CLOSED).count(),)
    templates = ChecklistTemplate.objects.count()
    response = (
        getattr(client, method)(url, body, format="json") if body is not None else client.get(url)
    )
    if expected == 401:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == expected, response.content[:300]
    if response.status_code >= 400:
        body_json = response.json()
        assert set(body_json["error"]) == {"code", "message", "fields"}
        assert (Inspection.objects.filter(status=InspectionStatus.CLOSED).count(),) == counts
        assert ChecklistTemplate.objects.count() == templates


def test_it_creates_through_the_api_only_in_scope(persona, units, checklist):
    body = {"kind": "self_check", "unit": units[SCHOOL_A].pk, "checklist": checklist.pk}
    created = _api(persona, "school_a_officer").post("/api/inspections/", body, format="json")
    assert created.status_code == 201
    data = created.json()
    assert data["unit"] == units[SCHOOL_A].pk and len(data["items"]) == 3
    refused = _api(persona, "uni_security").post("/api/inspections/", body, format="json")
    assert refused.status_code == 400 and "unit" in refused.json()["error"]["fields"]
    assert (
        _api(persona, "auditor").post("/api/inspections/", body, format="json").status_code == 403
    )


def test_it_runs_an_inspection_through_the_api(persona, units, checklist):
    api = _api(persona, "school_a_officer")
    inspection = make(persona, units, checklist)
    ids = items_of(inspection)
    upload = api.post(
        f"/api/inspections/{inspection.pk}/items/{ids['TEST-SMALL-01']}/photos/",
        {"photos": [jpeg()]},
        format="multipart",
    )
    assert upload.status_code == 200
    results = [{"item": pk, "result": "pass"} for pk in ids.values()]
    results[1]["result"] = "fail"
    submitted = api.post(
        f"/api/inspections/{inspection.pk}/submit/",
        {"results": results},
        format="json",
        HTTP_IDEMPOTENCY_KEY="abc",
    )
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted"
    failed = next(r for r in body["results"] if r["result"] == "fail")
    assert failed["hazard_number"] and failed["hazard_level"] == "major"
    # A retry is the same request again; the key with another body is refused (422).
    again = api.post(
        f"/api/inspections/{inspection.pk}/submit/",
        {"results": results},
        format="json",
        HTTP_IDEMPOTENCY_KEY="abc",
    )
    assert again.status_code == 200 and again.json()["submitted_at"] == body["submitted_at"]
    unknown = _api(persona, "school_a_officer").post(
        f"/api/inspections/{make(persona, units, checklist).pk}/submit/",
        {"results": [{"item": 999999, "result": "pass"}]},
        format="json",
    )
    assert (
        unknown.status_code == 400 and "不在本检查的检查表中" in unknown.json()["error"]["message"]
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [("school_a_officer", 302), ("uni_security", 404), ("auditor", 403), (None, LOGIN)],
)
def test_it_guards_withdrawing_an_invitation(client_for, persona, world, who, expected):
    planned = world["planned"]
    expert = persona("expert")
    services.invite(persona("school_a_officer"), planned.pk, user=expert)
    url = reverse("inspections:inspection_uninvite", args=[planned.pk, expert.pk])
    _check(_client(client_for, who).post(url), expected)
    assert planned.invites.filter(user=expert).exists() == (expected != 302)


@pytest.mark.parametrize(
    ("who", "expected"), [("school_a_officer", 200), ("uni_security", 404), ("auditor", 403)]
)
def test_it_guards_uploading_a_result_photo(api_for, world, who, expected):
    planned = world["planned"]
    item = items_of(planned)["TEST-SMALL-01"]
    response = api_for(who).post(
        f"/api/inspections/{planned.pk}/items/{item}/photos/", {"photos": [jpeg()]}
    )
    assert response.status_code == expected, response.content
