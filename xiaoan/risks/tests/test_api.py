"""/api/risk-points/: list (filters, query count), retrieve (nested assessments, measures,
checks, allowed actions), create, and every action endpoint — in scope, other school (404),
no right (403), bad input (400), stale version (409), huge ids; a measure's person reads and
checks their own points through the API."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from xiaoan.risks.models import ControlCheck
from xiaoan.risks.tests.support import SCHOOL_A, assessed, point, teacher, with_measure

pytestmark = pytest.mark.django_db
BASE = "/api/risk-points/"


def test_it_lists_in_scope_and_filters(api_for, persona, units, django_assert_max_num_queries):
    major = assessed(persona, units, likelihood=5, severity=5, name="化学品库")
    low = assessed(persona, units, likelihood=1, severity=1, name="图书馆")
    api = api_for("school_a_officer")
    with django_assert_max_num_queries(12):
        response = api.get(BASE)
    names = {r["name"] for r in response.json()["results"]}
    assert {major.name, low.name} <= names
    only = api.get(BASE, {"grade": "major"}).json()["results"]
    assert [r["name"] for r in only] == [major.name]
    assert api_for("uni_security").get(BASE).json()["results"] == []
    assert api_for("school_b_teacher").get(BASE).status_code == 403
    assert api.get(BASE, {"unit": "9" * 30}).status_code == 400


def test_it_retrieves_with_nested_rows(api_for, persona, units):
    made, measure = with_measure(persona, units)
    api = api_for("school_a_officer")
    data = api.get(f"{BASE}{made.pk}/").json()
    assert data["grade"] == "general" and data["assessments"][0]["method"] == "ls"
    assert data["measures"][0]["id"] == measure.pk
    assert "assess" in data["allowed_actions"] and "record_check" in data["allowed_actions"]
    assert api_for("uni_security").get(f"{BASE}{made.pk}/").status_code == 404
    assert api.get(f"{BASE}{'9' * 30}/").status_code == 400  # the path's id is out of range
    assert api.get(f"{BASE}{2**62}/").status_code == 404
    assert api.get(f"{BASE}-1/").status_code == 404
    assert api_for("district_supervisor").get(f"{BASE}{made.pk}/").status_code == 200


def test_it_creates_in_scope_only(api_for, units):
    api = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "校门口放学",
        "domain": "crowd",
        "hazardous_event": "放学拥挤踩踏、车辆伤害",
    }
    response = api.post(BASE, body, format="json")
    assert response.status_code == 201 and response.json()["grade"] == ""
    assert api_for("uni_security").post(BASE, body, format="json").status_code == 400
    assert api_for("auditor").post(BASE, body, format="json").status_code == 403
    assert api.post(BASE, {**body, "unit": 10**30}, format="json").status_code == 400


def test_it_runs_each_action_with_its_refusals(api_for, persona, units):
    made = point(persona, units)
    api = api_for("school_a_officer")
    path = f"{BASE}{made.pk}"
    r = api.post(f"{path}/assess/", {"likelihood": 4, "severity": 4, "version": 1}, format="json")
    assert r.status_code == 200 and r.json()["grade"] == "high"
    r = api.post(f"{path}/assess/", {"likelihood": 4, "severity": 4, "version": 1}, format="json")
    assert r.status_code == 409
    assert (
        api.post(f"{path}/assess/", {"likelihood": 7, "severity": 4}, format="json").status_code
        == 400
    )
    owner = persona("school_a_owner")
    r = api.post(
        f"{path}/add-measure/",
        {"kind": "training", "text": "宿管员用电安全培训", "level": "post", "owner": owner.pk,
         "frequency": "semester"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200
    measure = r.json()["measures"][0]["id"]
    r = api.post(f"{path}/record-check/", {"measure": measure, "result": "passed"}, format="json")
    assert r.status_code == 200
    r = api.post(f"{path}/edit/", {"name": "1号宿舍楼"}, format="json")
    assert r.status_code == 200 and r.json()["name"] == "1号宿舍楼"
    r = api.post(
        f"{path}/change-measure/",
        {"measure": measure, "owner": persona("school_a_head").pk, "level": "school",
         "frequency": "monthly"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["measures"][0]["frequency"] == "monthly"
    r = api.post(f"{path}/remove-measure/", {"measure": measure}, format="json")
    assert r.status_code == 200
    assert api.post(f"{path}/retire/", {"note": ""}, format="json").status_code == 400
    assert api.post(f"{path}/retire/", {"note": "拆除"}, format="json").status_code == 200
    assert api.post(f"{path}/retire/", {"note": "again"}, format="json").status_code == 409
    assert api.post(f"{path}/restore/", {}, format="json").status_code == 200
    actions = ("assess", "add-measure", "change-measure", "remove-measure", "record-check",
               "edit", "retire", "restore")  # fmt: skip
    for action in actions:
        assert api_for("uni_security").post(f"{path}/{action}/", {}, format="json").status_code in (
            400,
            404,
        )
        assert (
            api_for("school_b_teacher").post(f"{path}/{action}/", {}, format="json").status_code
            == 403
        )
        assert api.post(f"{BASE}{'9' * 30}/{action}/", {}, format="json").status_code in (400, 404)


def test_it_lets_a_measures_person_check_through_the_api(persona, units):
    made, measure = with_measure(persona, units)
    other = assessed(persona, units, name="实验楼")
    api = APIClient()
    api.force_authenticate(teacher(units))
    names = [r["name"] for r in api.get(BASE).json()["results"]]
    assert names == [made.name]
    assert api.get(f"{BASE}{other.pk}/").status_code == 404
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (0, 0, 255)).save(out, format="JPEG")
    photo = SimpleUploadedFile("c.jpg", out.getvalue(), content_type="image/jpeg")
    r = api.post(
        f"{BASE}{made.pk}/record-check/",
        {"measure": measure.pk, "result": "failed", "note": "插座烧焦", "photos": [photo]},
        format="multipart",
    )
    assert r.status_code == 200, r.content
    check = ControlCheck.objects.get(risk_point=made)
    assert check.hazard_id and r.json()["checks"][0]["hazard"] == check.hazard_id
    assert (
        api.post(
            f"{BASE}{made.pk}/assess/", {"likelihood": 1, "severity": 1}, format="json"
        ).status_code
        == 403
    )
    assert api.post(BASE, {}, format="json").status_code == 403


def test_it_lists_many_points_in_as_many_queries_as_few(api_for, persona, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoan.risks import library

    api = api_for("district_officer")
    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    library.copy_into(officer, unit=units[SCHOOL_A].pk, code="pool", owner=owner.pk)
    api.get(BASE)
    with CaptureQueriesContext(connection) as few:
        api.get(BASE)
    for code in ("dormitory", "canteen", "gate", "bus"):
        library.copy_into(officer, unit=units[SCHOOL_A].pk, code=code, owner=owner.pk)
    with CaptureQueriesContext(connection) as many:
        assert api.get(BASE).json()["count"] >= 14
    assert len(many) == len(few)
