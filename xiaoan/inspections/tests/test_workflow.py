"""The inspection workflow (xiaoan.inspections.workflow): every action, on the API and on the
pages, writes one history row and bumps the version (an invitation writes its row and leaves
the version); a wrong state or a stale page is a 409; out of scope 404; in scope without the
right 403; the record page shows the history; `allowed_actions` says exactly what the
services accept."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from xiaoan.core.errors import ServiceError
from xiaoan.inspections import services
from xiaoan.inspections.choices import InspectionStatus
from xiaoan.inspections.models import Inspection, InspectionEvent
from xiaoan.inspections.tests.support import checklist, done, make, photos_for, results
from xiaoan.inspections.workflow import INSPECTION

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

ALL = dict(s01="pass", s02="pass", s03="pass")


def _events(inspection: Inspection) -> list[str]:
    return list(inspection.events.order_by("created_at", "pk").values_list("action", flat=True))


def _in_state(persona, units, checklist, state: str) -> Inspection:
    inspection = make(persona, units, checklist)
    officer = persona("school_a_officer")
    if state == InspectionStatus.IN_PROGRESS:
        services.save_draft(officer, inspection.pk, results=results(inspection, s03="pass"))
    elif state in (InspectionStatus.SUBMITTED, InspectionStatus.CLOSED):
        done(persona, inspection)
        if state == InspectionStatus.CLOSED:
            services.close(officer, inspection.pk)
    inspection.refresh_from_db()
    assert inspection.status == state
    return inspection


def test_it_records_creation_as_the_first_event(persona, units, checklist):
    inspection = make(persona, units, checklist)
    assert _events(inspection) == ["create"]
    assert inspection.version == 1


# ---------------------------------------------------------------- API


def _api_body(action: str, inspection: Inspection) -> dict:
    if action == "submit":
        return {"results": results(inspection, **ALL)}
    return {}


API_ACTIONS = [
    # action, path, the state it starts from
    ("save_draft", "draft", InspectionStatus.PLANNED),
    ("submit", "submit", InspectionStatus.IN_PROGRESS),
    ("close", "close", InspectionStatus.SUBMITTED),
]


@pytest.mark.parametrize(("action", "path", "state"), API_ACTIONS)
def test_it_runs_each_api_action_once(api_for, persona, units, checklist, action, path, state):
    inspection = _in_state(persona, units, checklist, state)
    if action == "submit":  # the photo the first item needs
        services.save_draft(
            persona("school_a_officer"), inspection.pk, photos=photos_for(inspection)
        )
        inspection.refresh_from_db()
    before, version = len(_events(inspection)), inspection.version
    url = f"/api/inspections/{inspection.pk}/{path}/"
    body = {**_api_body(action, inspection), "version": version}
    response = api_for("school_a_officer").post(url, body, format="json")
    assert response.status_code == 200, response.content
    inspection.refresh_from_db()
    assert _events(inspection)[before:] == [action]
    assert inspection.version == version + 1
    assert response.json()["version"] == inspection.version


@pytest.mark.parametrize(("action", "path", "state"), API_ACTIONS)
def test_it_refuses_each_api_action_as_it_should(
    api_for, persona, units, checklist, action, path, state
):
    inspection = _in_state(persona, units, checklist, state)
    wrong = _in_state(
        persona,
        units,
        checklist,
        InspectionStatus.CLOSED if action != "close" else InspectionStatus.PLANNED,
    )
    before = InspectionEvent.objects.count()
    url = f"/api/inspections/{inspection.pk}/{path}/"
    officer = api_for("school_a_officer")
    stale = officer.post(url, {"version": inspection.version - 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert api_for("uni_security").post(url, {}, format="json").status_code == 404
    assert api_for("auditor").post(url, {}, format="json").status_code == 403
    refused = officer.post(f"/api/inspections/{wrong.pk}/{path}/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    assert InspectionEvent.objects.count() == before  # nothing recorded


def test_it_reports_allowed_actions_on_the_record(api_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    url = f"/api/inspections/{inspection.pk}/"
    mine = api_for("school_a_officer").get(url).json()["allowed_actions"]
    assert mine == ["invite", "save_draft", "submit", "team"]
    assert api_for("auditor").get(url).json()["allowed_actions"] == []


# ---------------------------------------------------------------- pages


def _close(client, inspection, version=None):
    url = reverse("inspections:inspection_close", args=[inspection.pk])
    data = {"note": "检查完毕", "version": inspection.version if version is None else version}
    return client.post(url, data)


def test_it_closes_from_the_record_page(client_for, persona, units, checklist):
    inspection = _in_state(persona, units, checklist, InspectionStatus.SUBMITTED)
    client = client_for("school_a_officer")
    page = client.get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    html = page.content.decode()
    assert reverse("inspections:inspection_close", args=[inspection.pk]) in html
    assert "检查记录" in html and "创建检查" in html and "提交检查" in html  # the timeline
    version = inspection.version
    response = _close(client, inspection)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CLOSED and inspection.version == version + 1
    assert _events(inspection)[-1] == "close"
    assert inspection.events.last().note == "检查完毕"
    html = client.get(response["Location"]).content.decode()
    assert "结束检查" in html and "检查完毕" in html
    assert reverse("inspections:inspection_close", args=[inspection.pk]) not in html


def test_it_tells_the_page_of_a_wrong_state_or_a_stale_form(client_for, persona, units, checklist):
    client = client_for("school_a_officer")
    planned = _in_state(persona, units, checklist, InspectionStatus.PLANNED)
    wrong = _close(client, planned)
    assert wrong.status_code == 302 and wrong["Location"].endswith(f"/{planned.pk}/")
    assert "不能执行" in client.get(wrong["Location"]).content.decode()
    submitted = _in_state(persona, units, checklist, InspectionStatus.SUBMITTED)
    stale = _close(client, submitted, version=submitted.version - 1)
    assert stale.status_code == 302
    assert "请刷新" in client.get(stale["Location"]).content.decode()
    for record in (planned, submitted):
        before = record.version
        record.refresh_from_db()
        assert record.version == before and _events(record)[-1] != "close"


def test_it_refuses_the_page_actions_outside_scope_or_right(client_for, persona, units, checklist):
    inspection = _in_state(persona, units, checklist, InspectionStatus.SUBMITTED)
    assert _close(client_for("uni_security"), inspection).status_code == 404
    assert _close(client_for("auditor"), inspection).status_code == 403
    run = reverse("inspections:inspection_run", args=[inspection.pk])
    assert client_for("uni_security").post(run, {"action": "save"}).status_code == 404
    assert client_for("auditor").post(run, {"action": "save"}).status_code == 403
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED


def test_it_saves_a_draft_from_the_phone_page_once(client_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    client = client_for("school_a_officer")
    url = reverse("inspections:inspection_run", args=[inspection.pk])
    item = inspection.checklist.items.order_by("seq").last()
    data = {"action": "save", "version": inspection.version, f"result-{item.pk}": "pass"}
    assert client.post(url, data).status_code == 302
    inspection.refresh_from_db()
    assert _events(inspection) == ["create", "save_draft"] and inspection.version == 2
    stale = client.post(url, data)  # the same (now old) version
    assert stale.status_code == 302 and stale["Location"].endswith(f"/{inspection.pk}/")
    assert "请刷新" in client.get(stale["Location"]).content.decode()
    inspection.refresh_from_db()
    assert inspection.version == 2


def test_it_records_invitations_without_touching_the_version(client_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    client = client_for("school_a_officer")
    version = inspection.version
    url = reverse("inspections:inspection_invite", args=[inspection.pk])
    assert client.post(url, {"user": "expert", "role": "expert"}).status_code == 302
    expert = persona("expert")
    remove = reverse("inspections:inspection_uninvite", args=[inspection.pk, expert.pk])
    assert client.post(remove).status_code == 302
    inspection.refresh_from_db()
    assert _events(inspection) == ["create", "invite", "uninvite"]
    assert inspection.version == version
    assert client_for("uni_security").post(url, {"user": "expert"}).status_code == 404
    assert client_for("auditor").post(url, {"user": "expert"}).status_code == 403
    closed = _in_state(persona, units, checklist, InspectionStatus.CLOSED)
    refused = client.post(
        reverse("inspections:inspection_invite", args=[closed.pk]),
        {"user": "expert", "role": "expert"},
    )
    assert refused.status_code == 302
    assert "不能执行" in client.get(refused["Location"]).content.decode()
    assert _events(closed)[-1] == "close"


# ---------------------------------------------------------------- allowed_actions


class _Undo(Exception):
    pass


def _accepted(call) -> bool:
    """Whether the service accepts the call; nothing it writes is kept."""
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return True
    except ServiceError:
        return False


def _calls(persona, inspection: Inspection, actor) -> dict:
    full = results(inspection, **ALL)
    expert = persona("expert")
    return {
        "save_draft": lambda: services.save_draft(actor, inspection.pk, results=full[:1]),
        # A fresh key: a new submission, not the retry of one that went through (which
        # answers the inspection as it is).
        "submit": lambda: services.submit(
            actor,
            inspection.pk,
            results=full,
            photos=photos_for(inspection),
            idempotency_key="fresh",
        ),
        "invite": lambda: services.invite(actor, inspection.pk, user=expert.pk, role="expert"),
        "uninvite": lambda: services.uninvite(actor, inspection.pk, user=expert.pk),
        "close": lambda: services.close(actor, inspection.pk, note="完毕"),
    }


@pytest.mark.parametrize("state", InspectionStatus.values)
def test_it_offers_exactly_what_the_services_accept(persona, units, checklist, state):
    inspection = _in_state(persona, units, checklist, state)
    if state != InspectionStatus.CLOSED:
        services.invite(persona("school_a_officer"), inspection.pk, user="expert", role="expert")
    people = ["school_a_officer", "district_officer", "auditor", "uni_security", "expert"]
    offered_somewhere = set()
    for who in people:
        actor = persona(who)
        inspection.refresh_from_db()
        offered = {a.name for a in INSPECTION.allowed_actions(actor, inspection)}
        offered_somewhere |= offered
        for name, call in _calls(persona, inspection, actor).items():
            assert _accepted(call) == (name in offered), (state, who, name, offered)
    # Something is offered in every state but the last (the test can fail both ways).
    assert bool(offered_somewhere) == (state != InspectionStatus.CLOSED)
