"""Bad input to the inspection and checklist API is a 400 (or 404) in the shared error shape,
never a server error, and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.inspections import checklists
from xiaoan.inspections.models import Inspection, ItemResult
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, items_of, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

CASES = [
    ("create", {"kind": "nope", "unit": "{unit}", "checklist": "{template}"}, 400),
    ("create", {"kind": "self_check", "unit": "x", "checklist": "{template}"}, 400),
    ("create", {"kind": "self_check", "unit": "{unit}", "checklist": None}, 400),
    ("create", {"kind": "self_check", "unit": "{unit}", "checklist": 999999}, 400),
    ("create", {"kind": "self_check", "unit": 999999, "checklist": "{template}"}, 400),
    (
        "create",
        {
            "kind": "self_check",
            "unit": "{unit}",
            "checklist": "{template}",
            "scheduled_on": "2026-11-20",
            "due_on": "2026-11-01",
        },
        400,
    ),
    ("draft", {"results": "x"}, 400),
    ("draft", {"results": [{"item": "abc"}]}, 400),
    ("draft", {"results": [{"item": "{item}", "result": "maybe"}]}, 400),
    ("draft", {"results": [{"item": 999999, "result": "pass"}]}, 400),
    ("draft", {"remove_photos": ["a"]}, 400),
    ("draft", {"version": -1}, 400),
    ("draft", {"version": 99}, 409),
    ("submit", {"results": [{}]}, 400),
    ("submit", {}, 400),  # nothing answered yet
    ("invite", {"user": ""}, 400),
    ("invite", {"user": "nobody-at-all"}, 400),
    ("invite", {"user": "expert", "role": "king"}, 400),
    ("close", {}, 409),  # not submitted yet
    ("revise", {"items": "x"}, 400),
    ("revise", {"items": [{"text": ""}]}, 400),
    ("revise", {"items": [{"text": "a", "criterion": "XX"}]}, 400),
    ("revise", {"name": ""}, 400),
    ("copy", {"unit": "abc"}, 400),
    ("copy", {"unit": 999999}, 400),
]


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize("endpoint, body, expected", CASES)
def test_it_answers_bad_input_with_a_clear_error(
    api_for, persona, units, checklist, endpoint, body, expected
):
    inspection = make(persona, units, checklist)
    copy = checklists.copy_template(persona("school_a_officer"), checklist.pk, unit=units[SCHOOL_A])
    ids = {
        "unit": units[SCHOOL_A].pk,
        "template": checklist.pk,
        "item": items_of(inspection)["TEST-SMALL-01"],
    }
    url = {
        "create": "/api/inspections/",
        "draft": f"/api/inspections/{inspection.pk}/draft/",
        "submit": f"/api/inspections/{inspection.pk}/submit/",
        "invite": f"/api/inspections/{inspection.pk}/invite/",
        "close": f"/api/inspections/{inspection.pk}/close/",
        "revise": f"/api/checklists/{copy.pk}/revise/",
        "copy": f"/api/checklists/{checklist.pk}/copy/",
    }[endpoint]
    count = Inspection.objects.count()
    response = api_for("school_a_officer").post(url, _fill(body, ids), format="json")
    assert response.status_code == expected, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    assert Inspection.objects.count() == count
    assert not ItemResult.objects.filter(inspection=inspection).exists()


def test_it_refuses_a_file_that_is_no_photo(api_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    item = items_of(inspection)["TEST-SMALL-01"]
    fake = SimpleUploadedFile("scan.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = api_for("school_a_officer").post(
        f"/api/inspections/{inspection.pk}/items/{item}/photos/", {"photos": [fake]}
    )
    assert response.status_code == 400
    assert "照片" in response.json()["error"]["message"]
    assert not ItemResult.objects.filter(inspection=inspection).exists()
    missing = api_for("school_a_officer").post(
        f"/api/inspections/{inspection.pk}/items/999999/photos/", {"photos": [fake]}
    )
    assert missing.status_code == 400


@pytest.mark.parametrize("query", [{"period": "2026-13"}, {"unit": "abc"}, {"unit": 999999}])
def test_it_checks_the_missed_figures_query(api_for, query):
    response = api_for("district_officer").get("/api/inspections/missed-by-self-check/", query)
    assert response.status_code in (400, 404)
    assert set(response.json()["error"]) == {"code", "message", "fields"}
