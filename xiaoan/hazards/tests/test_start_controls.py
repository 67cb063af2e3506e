"""Interim controls before 开始整改: a major hazard, or one with a far-off deadline, starts
rectification only with its 临时管控措施 in place; a minor one with a near deadline does not
need them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests.api_support import error_of
from xiaoan.hazards.tests.pages_support import assigned, hidden_value, today

CONTROLS = "设置警示标识，专人看守"


def _detail(client, hazard) -> str:
    return client.get(reverse("hazards:hazard_detail", args=[hazard.pk])).content.decode()


def _start_page(client, hazard, data):
    url = reverse("hazards:hazard_start", args=[hazard.pk])
    version = hidden_value(_detail(client, hazard), "version", url)
    return client.post(url, {"version": version, **data})


def test_it_refuses_to_start_a_major_hazard_without_controls_on_the_page(
    units, persona, client_for
):
    hazard = assigned(persona, units, level=HazardLevel.MAJOR)
    owner = client_for("school_a_owner")
    page = _detail(owner, hazard)
    assert "临时管控措施（必填）" in page

    refused = _start_page(owner, hazard, {"note": "开始", "interim_controls": "  "})

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "须先落实临时管控措施，再开始整改" in html and "请填写临时管控措施。" in html
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert fresh.status == HazardStatus.ASSIGNED and fresh.version == hazard.version

    done = _start_page(owner, hazard, {"note": "开始", "interim_controls": CONTROLS})

    assert done.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == HazardStatus.RECTIFYING and fresh.interim_controls == CONTROLS
    assert fresh.events.last().data == {"interim_controls": CONTROLS}  # kept in the history


def test_it_prefills_the_controls_recorded_at_assignment(units, persona, client_for):
    hazard = assigned(persona, units, level=HazardLevel.MAJOR)
    Hazard.objects.filter(pk=hazard.pk).update(interim_controls="夜间专人值守")
    owner = client_for("school_a_owner")
    page = _detail(owner, hazard)
    start = page[page.index(f'action="/hazards/{hazard.pk}/start/"') :]
    assert "夜间专人值守</textarea>" in start[: start.index("</form>")]

    # Sent as prefilled, it starts.
    done = _start_page(owner, hazard, {"interim_controls": "夜间专人值守"})

    assert done.status_code == 302
    started = Hazard.objects.get(pk=hazard.pk)
    assert started.status == HazardStatus.RECTIFYING and started.events.last().data == {}


def test_it_refuses_to_start_a_major_hazard_without_controls_in_the_api(units, persona, api_for):
    hazard = assigned(persona, units, level=HazardLevel.MAJOR)
    api = api_for("school_a_owner")

    refused = api.post(f"/api/hazards/{hazard.pk}/start/", {"note": "开始"}, format="json")

    assert refused.status_code == 400
    error = error_of(refused)
    assert error["fields"] == {"interim_controls": ["请填写临时管控措施。"]}
    assert "临时管控措施" in error["message"]
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.ASSIGNED

    done = api.post(
        f"/api/hazards/{hazard.pk}/start/", {"interim_controls": CONTROLS}, format="json"
    )

    assert done.status_code == 200
    assert done.json()["status"] == "rectifying"
    assert done.json()["interim_controls"] == CONTROLS


def test_it_refuses_a_general_hazard_with_a_far_deadline_without_controls(units, persona, api_for):
    hazard = assigned(persona, units)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=today() + dt.timedelta(days=60))

    refused = api_for("school_a_owner").post(f"/api/hazards/{hazard.pk}/start/", {}, format="json")

    assert refused.status_code == 400
    assert set(error_of(refused)["fields"]) == {"interim_controls"}


def test_it_starts_a_minor_hazard_with_a_near_deadline_without_controls(
    units, persona, client_for, api_for
):
    by_page = assigned(persona, units)
    owner = client_for("school_a_owner")
    assert "临时管控措施（必填）" not in _detail(owner, by_page)
    assert _start_page(owner, by_page, {"note": "开始"}).status_code == 302
    assert Hazard.objects.get(pk=by_page.pk).status == HazardStatus.RECTIFYING

    by_api = assigned(persona, units, text="三号楼灭火器过期")
    response = api_for("school_a_owner").post(f"/api/hazards/{by_api.pk}/start/", {}, format="json")
    assert response.status_code == 200 and response.json()["interim_controls"] == ""
