"""Who may call which hazard endpoint: in scope 2xx, out of scope 404 (or filtered out of a
list), no permission anywhere 403, anonymous 401/403 — and a refused call changes nothing.

Out of scope: uni_security holds every hazard right, but at 鄂州职业大学, not at School A.
No permission: school_b_teacher (a 随手拍 reporter) may report and see his own reports only;
sysadmin (a platform role) holds no hazard permission at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from xiaoan.hazards.models import Hazard, HazardEvent
from xiaoan.hazards.tests.api_support import (
    SCHOOL_A,
    error_of,
    has_chinese,
    hazard_in,
    jpeg,
    today,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # formatted with {pk}, {photo} and {extension}
    state: str
    ok: str  # a persona who may call it on the School A hazard
    ok_status: int
    body: Any = None  # callable(units, persona) -> dict
    multipart: bool = False
    denied: str = "school_b_teacher"  # holds the needed permission nowhere
    listing: bool = False  # out of scope means "not in the answer", not 404


def _assign(units, persona):
    return {
        "owner_unit": units["总务处"].pk,
        "owner": persona("school_a_owner").pk,
        "measures": "清理杂物",
        "deadline": (today() + dt.timedelta(days=3)).isoformat(),
    }


ENDPOINTS = {
    "list": Endpoint(
        "get", "/api/hazards/", "reported", "district_officer", 200, denied="sysadmin", listing=True
    ),
    # The teacher may view (his own reports): School A's hazard is a 404 for him, so the
    # one holding no hazard permission at all is the platform's system administrator.
    "retrieve": Endpoint(
        "get", "/api/hazards/{pk}/", "reported", "school_a_officer", 200, denied="sysadmin"
    ),
    "photo": Endpoint(
        "get",
        "/api/hazards/{pk}/photos/{photo}/",
        "reported",
        "school_a_officer",
        200,
        denied="sysadmin",
    ),
    "counts": Endpoint(
        "get",
        "/api/hazards/counts/",
        "reported",
        "school_a_officer",
        200,
        denied="sysadmin",
        listing=True,
    ),
    "export": Endpoint(
        "get", "/api/hazards/export/?kind=problems", "reported", "auditor", 200, listing=True
    ),
    "create": Endpoint(
        "post",
        "/api/hazards/",
        "reported",
        "school_a_officer",
        201,
        lambda units, persona: {"unit": units[SCHOOL_A].pk, "description": "围墙局部开裂"},
        denied="sysadmin",
    ),
    "confirm": Endpoint(
        "post",
        "/api/hazards/{pk}/confirm/",
        "reported",
        "school_a_officer",
        200,
        lambda units, persona: {"level": "general"},
    ),
    "dismiss": Endpoint(
        "post",
        "/api/hazards/{pk}/dismiss/",
        "reported",
        "school_a_officer",
        200,
        lambda units, persona: {"note": "现场核实为正常堆放的消防器材"},
    ),
    "assign": Endpoint(
        "post", "/api/hazards/{pk}/assign/", "confirmed", "school_a_officer", 200, _assign
    ),
    "fix-on-spot": Endpoint(
        "post",
        "/api/hazards/{pk}/fix-on-spot/",
        "reported",
        "school_a_officer",
        200,
        lambda units, persona: {"note": "已当场清理", "photos": [jpeg()]},
        multipart=True,
    ),
    "start": Endpoint("post", "/api/hazards/{pk}/start/", "assigned", "school_a_owner", 200, None),
    "progress": Endpoint(
        "post",
        "/api/hazards/{pk}/progress/",
        "assigned",
        "school_a_owner",
        200,
        lambda units, persona: {"note": "已清理一半", "photos": [jpeg()]},
        multipart=True,
    ),
    "control": Endpoint(
        "post",
        "/api/hazards/{pk}/control/",
        "assigned",
        "school_a_owner",
        200,
        lambda units, persona: {"measures": "设置警示标识"},
    ),
    "submit": Endpoint(
        "post",
        "/api/hazards/{pk}/submit/",
        "rectifying",
        "school_a_owner",
        200,
        lambda units, persona: {"note": "已全部清理", "photos": [jpeg()]},
        multipart=True,
    ),
    "verify": Endpoint(
        "post",
        "/api/hazards/{pk}/verify/",
        "submitted",
        "school_a_head",
        200,
        lambda units, persona: {"passed": True, "note": "验收合格"},
    ),
    "extension-request": Endpoint(
        "post",
        "/api/hazards/{pk}/extension-request/",
        "assigned",
        "school_a_owner",
        201,
        lambda units, persona: {
            "new_deadline": (today() + dt.timedelta(days=30)).isoformat(),
            "reason": "需要采购材料",
        },
    ),
    "supervise": Endpoint(
        "post",
        "/api/hazards/{pk}/supervise/",
        "reported",
        "district_officer",
        201,
        lambda units, persona: {"reason": "涉及学生宿舍，区教育局挂牌督办"},
    ),
    "answer-supervision": Endpoint(
        "post",
        "/api/hazards/{pk}/answer-supervision/",
        "supervised",
        "school_a_owner",
        200,
        lambda units, persona: {"note": "已制定整改方案，本周内完成"},
    ),
    "accept-supervision": Endpoint(
        "post",
        "/api/hazards/{pk}/accept-supervision/",
        "awaiting_acceptance",
        "district_officer",
        200,
        lambda units, persona: {"note": "认可销号"},
    ),
    "decide": Endpoint(
        "post",
        "/api/hazard-extensions/{extension}/decide/",
        "extension_pending",
        "district_officer",
        200,
        lambda units, persona: {"approve": True, "note": "同意延期"},
    ),
}
WHO = ["ok", "out_of_scope", "denied", "anonymous"]


def _call(client: APIClient, endpoint: Endpoint, hazard: Hazard, units, persona):
    photo = hazard.photos.order_by("pk").first()
    extension = hazard.extensions.order_by("pk").first()
    path = endpoint.path.format(
        pk=hazard.pk,
        photo=photo.pk if photo else 0,
        extension=extension.pk if extension else 0,
    )
    if endpoint.method == "get":
        return client.get(path)
    body = endpoint.body(units, persona) if endpoint.body else {}
    return client.post(path, body, format="multipart" if endpoint.multipart else "json")


def _snapshot(hazard: Hazard) -> tuple:
    fresh = Hazard.objects.get(pk=hazard.pk)
    events = HazardEvent.objects.filter(hazard=hazard).count()
    return fresh.status, fresh.version, events, Hazard.objects.count()


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_it_scopes_every_endpoint(name, who, api_for, persona, units):
    endpoint = ENDPOINTS[name]
    hazard = hazard_in(endpoint.state, persona, units)
    client = {
        "ok": lambda: api_for(endpoint.ok),
        "out_of_scope": lambda: api_for("uni_security"),
        "denied": lambda: api_for(endpoint.denied),
        "anonymous": APIClient,
    }[who]()
    before = _snapshot(hazard)
    response = _call(client, endpoint, hazard, units, persona)

    if who == "ok":
        assert response.status_code == endpoint.ok_status, response.content[:500]
        if name in ("retrieve", "confirm", "assign", "verify", "start"):
            assert response.json()["id"] == hazard.pk
        if name == "list":
            assert hazard.pk in [row["id"] for row in response.json()["results"]]
        if name == "counts":
            assert response.json()["by_status"]["reported"] >= 1
        return

    assert _snapshot(hazard) == before, "a refused call changed something"
    if who == "anonymous":
        assert response.status_code in (401, 403)
        error = error_of(response)
        assert error["code"] == "not_authenticated" and has_chinese(error["message"])
    elif who == "denied":
        assert response.status_code == 403, response.content[:500]
        assert error_of(response) == {
            "code": "permission_denied",
            "message": "您没有执行此操作的权限。",
            "fields": {},
        }
    elif endpoint.listing:
        assert response.status_code == 200
        if name == "list":
            assert hazard.pk not in [row["id"] for row in response.json()["results"]]
        elif name == "counts":
            assert response.json()["total"] == 0  # nothing at the university yet
        else:  # export: the title, header block and headers, no rows, a zero total
            sheet = load_workbook(workbook_bytes(response)).active
            assert sheet.max_row == 6 and sheet["A6"].value == "合计：共 0 项"
    elif name == "create":
        # Reporting into a unit one cannot report in: the unit field is refused.
        assert response.status_code == 400
        assert "unit" in error_of(response)["fields"]
    else:
        assert response.status_code == 404, response.content[:500]
        assert error_of(response) == {
            "code": "not_found",
            "message": "记录不存在或不在您的管理范围内。",
            "fields": {},
        }


def test_it_shows_a_reporter_only_what_he_reported(api_for, persona, units):
    teacher = api_for("school_b_teacher")
    response = teacher.post(
        "/api/hazards/",
        {
            "unit": units["东沟镇中心小学"].pk,
            "description": "操场护栏松动",
            "source": "snapshot",
            "photos": [jpeg()],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["source_display"] == "随手拍"
    mine = response.json()["id"]
    assert response.json()["allowed_actions"] == []
    others = hazard_in("reported", persona, units)
    ids = [row["id"] for row in teacher.get("/api/hazards/").json()["results"]]
    assert ids == [mine]
    assert teacher.get(f"/api/hazards/{others.pk}/").status_code == 404
    photo = response.json()["photos"][0]["url"]
    assert teacher.get(photo).status_code == 200
    # His own report, but confirming is not his to do.
    denied = teacher.post(f"/api/hazards/{mine}/confirm/", {"level": "general"}, format="json")
    assert denied.status_code == 403


def test_it_answers_not_found_for_unknown_or_malformed_ids(api_for, persona, units):
    client = api_for("district_officer")
    for path in (
        "/api/hazards/999999/",
        "/api/hazards/abc/",
        "/api/hazards/999999/photos/1/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"
    for path in ("/api/hazards/abc/confirm/", "/api/hazard-extensions/abc/decide/"):
        response = client.post(path, {"level": "general", "approve": True}, format="json")
        assert response.status_code == 404, path


def test_it_refuses_an_extension_decision_from_the_school_itself(api_for, persona, units):
    hazard = hazard_in("extension_pending", persona, units)
    extension = hazard.extensions.get()
    response = api_for("school_a_head").post(
        f"/api/hazard-extensions/{extension.pk}/decide/",
        {"approve": True, "note": "同意"},
        format="json",
    )
    assert response.status_code == 403
    assert error_of(response)["message"] == "延期申请由上级单位审批。"
