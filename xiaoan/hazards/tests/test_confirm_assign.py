"""确认 and 交办 in one step; after 确认 the hazard reads 待交办, not 待确认; every history
row names the state the step left the hazard in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests import pages_support as support
from xiaoan.hazards.tests.pages_support import jpeg, reported, today

private_media = support.private_media
pytestmark = pytest.mark.django_db


def _body(units, hazard, **extra):
    return {
        "version": hazard.version,
        "level": "general",
        "owner_unit": units["总务处"].pk,
        "measures": "清理杂物",
        "deadline": (today() + dt.timedelta(days=5)).isoformat(),
        **extra,
    }


def test_it_confirms_and_assigns_in_one_step(units, persona, client_for):
    hazard = reported(persona, units["梁子湖高级中学"])
    client = client_for("school_a_officer")
    page = client.get(reverse("hazards:hazard_detail", args=[hazard.pk])).content.decode()
    assert "确认并交办整改" in page
    response = client.post(
        reverse("hazards:hazard_confirm_assign", args=[hazard.pk]), _body(units, hazard)
    )
    assert response.status_code == 302
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert fresh.status == HazardStatus.ASSIGNED and fresh.version == hazard.version + 2
    rows = list(fresh.events.values_list("action", "from_status", "to_status"))
    assert rows[-2:] == [("confirm", "reported", "confirmed"), ("assign", "confirmed", "assigned")]


def test_it_keeps_what_was_typed_and_writes_nothing_when_refused(units, persona, client_for):
    hazard = reported(persona, units["梁子湖高级中学"])
    body = _body(units, hazard, deadline=(today() - dt.timedelta(days=1)).isoformat())
    body["measures"] = "设置围挡后清理"
    response = client_for("school_a_officer").post(
        reverse("hazards:hazard_confirm_assign", args=[hazard.pk]), body
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "整改期限不能早于今天。" in content and "设置围挡后清理" in content
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert (fresh.status, fresh.version, fresh.level) == ("reported", hazard.version, "")


@pytest.mark.parametrize(
    ("who", "expected"), [("school_a_officer", 200), ("uni_security", 404), ("school_a_owner", 403)]
)
def test_it_scopes_the_combined_step_on_the_api(units, persona, api_for, who, expected):
    hazard = reported(persona, units["梁子湖高级中学"])
    body = _body(units, hazard)
    response = api_for(who).post(f"/api/hazards/{hazard.pk}/confirm-assign/", body, format="json")
    assert response.status_code == expected
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert fresh.status == ("assigned" if expected == 200 else "reported")


def test_it_says_pending_assignment_after_confirmation(units, persona, client_for):
    hazard = reported(persona, units["梁子湖高级中学"])
    services.confirm(persona("school_a_officer"), hazard.pk, level=HazardLevel.GENERAL)
    content = (
        client_for("school_a_officer")
        .get(reverse("hazards:hazard_detail", args=[hazard.pk]))
        .content.decode()
    )
    assert '<span class="badge status-confirmed">待交办</span>' in content
    assert "status-reported" not in content
    assert "待确认 → 待交办" in content  # the history names the state after the step


def test_it_records_the_state_after_every_step(units, persona):
    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    hazard = reported(persona, units["梁子湖高级中学"])
    steps = [
        lambda: services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL),
        lambda: services.assign(
            officer,
            hazard.pk,
            owner_unit=units["总务处"],
            owner=owner,
            measures="清理",
            deadline=today() + dt.timedelta(days=3),
        ),
        lambda: services.start(owner, hazard.pk),
        lambda: services.progress(owner, hazard.pk, note="清理一半"),
        lambda: services.submit(owner, hazard.pk, note="已清理", photos=[jpeg()]),
        lambda: services.verify(persona("school_a_head"), hazard.pk, passed=True, note="合格"),
    ]
    for step in steps:
        step()
        fresh = Hazard.objects.get(pk=hazard.pk)
        assert fresh.events.last().to_status == fresh.status
    assert fresh.status == HazardStatus.CLOSED


def test_it_does_not_ask_for_acceptance_while_being_fixed(units, persona, client_for):
    officer = persona("school_a_officer")
    hazard = reported(persona, units["梁子湖高级中学"], "实验室内违规存放大量酒精")
    services.confirm(officer, hazard.pk, level=HazardLevel.MAJOR)  # supervised automatically
    content = (
        client_for("district_officer")
        .get(reverse("hazards:hazard_detail", args=[hazard.pk]))
        .content.decode()
    )
    assert "督办单位跟踪整改" in content and "待认可销号" not in content
