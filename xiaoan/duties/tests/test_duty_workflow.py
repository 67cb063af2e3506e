"""The duty workflow (xiaoan.duties.workflow): issuing writes the first event; stopping (with
a reason) and resuming each write one event and bump the version on the API and the page; a
wrong state or stale version is 409; out of scope 404, without the right 403; the duty page
shows the history; `allowed_actions` offers exactly what the services accept; a stopped
duty generates nothing and `is_active` follows the state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xiaoan.core.errors import ServiceError
from xiaoan.duties import services
from xiaoan.duties.models import Duty, DutyEvent, Obligation
from xiaoan.duties.tests.support import duty
from xiaoan.duties.workflow import DUTY

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 10)


@pytest.fixture
def active(persona, units) -> Duty:
    return duty(persona, units)


@pytest.fixture
def stopped(active, persona) -> Duty:
    return services.stop(persona("district_officer"), active.pk, note="本学期暂停", version=1)


def events(d) -> list[tuple[str, str, str]]:
    rows = DutyEvent.objects.filter(duty=d).order_by("created_at", "pk")
    return [(e.action, e.from_status, e.to_status) for e in rows]


def fresh(d) -> Duty:
    return Duty.objects.get(pk=d.pk)


def test_it_writes_the_first_event_when_issuing(active, persona, units):
    assert events(active) == [("create", "active", "active")]
    assert active.version == 1 and active.is_active
    assert DutyEvent.objects.get(duty=active).actor.username == "district_officer"
    # Issued stopped (is_active false, as the form and the API still take it).
    off = duty(persona, units, name="暂不启用", is_active=False)
    assert off.status == "stopped" and not off.is_active
    assert events(off) == [("create", "stopped", "stopped")]


def test_a_stopped_duty_generates_nothing_until_resumed(stopped, persona):
    assert events(stopped)[1:] == [("stop", "active", "stopped")]
    assert DutyEvent.objects.filter(duty=stopped).last().note == "本学期暂停"
    assert services.generate(MARCH, [fresh(stopped)])[0].created == 0
    assert stopped.pk not in [g.duty.pk for g in services.generate(MARCH)]
    services.resume(persona("district_officer"), stopped.pk, version=2)
    assert services.generate_duty(fresh(stopped), MARCH).created > 0


def test_stopping_requires_a_reason(active, persona):
    with pytest.raises(ServiceError) as refused:
        services.stop(persona("district_officer"), active.pk, note="  ")
    assert refused.value.status == 400 and "note" in refused.value.fields
    assert fresh(active).version == 1 and len(events(active)) == 1


# ---------------------------------------------------------------- API


def test_the_api_stops_and_resumes_with_one_event_each(active, api_for):
    client = api_for("district_officer")
    body = client.get(f"/api/duties/{active.pk}/").json()
    assert body["allowed_actions"] == ["stop"]
    assert (body["status"], body["is_active"], body["version"]) == ("active", True, 1)
    response = client.post(
        f"/api/duties/{active.pk}/stop/", {"note": "暂停", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["is_active"], body["version"]) == ("stopped", False, 2)
    assert body["allowed_actions"] == ["resume"]
    assert [e["action"] for e in body["events"]] == ["create", "stop"]
    assert body["events"][1]["note"] == "暂停" and body["events"][1]["actor_name"]
    response = client.post(f"/api/duties/{active.pk}/resume/", {"version": 2}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("active", 3)
    assert events(active) == [
        ("create", "active", "active"),
        ("stop", "active", "stopped"),
        ("resume", "stopped", "active"),
    ]


def test_the_api_refuses_a_stop_without_a_reason(active, api_for):
    response = api_for("district_officer").post(f"/api/duties/{active.pk}/stop/", {})
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    assert len(events(active)) == 1


@pytest.mark.parametrize(
    ("action", "fixture", "version"),
    [("stop", "stopped", None), ("resume", "active", None), ("stop", "active", 0)],
)
def test_the_api_answers_409_for_a_wrong_state_or_a_stale_version(
    action, fixture, version, request, api_for
):
    d = request.getfixturevalue(fixture)
    before = fresh(d).version
    body = {"note": "理由"} | ({} if version is None else {"version": version})
    response = api_for("district_officer").post(
        f"/api/duties/{d.pk}/{action}/", body, format="json"
    )
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "conflict"
    assert fresh(d).version == before and len(events(d)) == before


@pytest.mark.parametrize(
    ("who", "expected"),
    [("uni_security", 404), ("school_a_head", 403), ("auditor", 403), ("expert", 403)],
)
@pytest.mark.parametrize("action", ["stop", "resume"])
def test_the_api_refuses_out_of_scope_and_without_the_right(
    who, expected, action, stopped, api_for
):
    d = stopped
    if action == "stop":  # in the state the action starts from
        Duty.objects.filter(pk=d.pk).update(status="active")
    before = len(events(d))
    response = api_for(who).post(f"/api/duties/{d.pk}/{action}/", {"note": "x"}, format="json")
    assert response.status_code == expected, response.content
    assert len(events(d)) == before


def test_the_api_keeps_is_active_read_only(active, api_for):
    """Writes go through stop/resume; a stray is_active in a create still sets the state."""
    client = api_for("district_officer")
    assert client.patch(f"/api/duties/{active.pk}/", {"is_active": False}).status_code == 405
    assert fresh(active).status == "active"


# ---------------------------------------------------------------- pages


def test_the_page_stops_and_resumes_with_one_event_each(active, client_for):
    client = client_for("district_officer")
    response = client.post(
        reverse("duties:duty_stop", args=[active.pk]), {"note": "暂停", "version": 1}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("duties:duty_detail", args=[active.pk])
    d = fresh(active)
    assert (d.status, d.version) == ("stopped", 2)
    response = client.post(reverse("duties:duty_resume", args=[active.pk]), {"version": 2})
    assert response.status_code == 302
    d = fresh(active)
    assert (d.status, d.version) == ("active", 3) and len(events(d)) == 3


def test_the_page_asks_again_for_a_missing_reason(active, client_for):
    url = reverse("duties:duty_stop", args=[active.pk])
    response = client_for("district_officer").post(url, {"note": "", "version": 1})
    assert response.status_code == 400
    assert "停用理由" in response.content.decode()
    assert fresh(active).version == 1


@pytest.mark.parametrize(
    ("action", "fixture", "version", "message"),
    [
        ("stop", "stopped", 2, "不能执行"),
        ("resume", "active", 1, "不能执行"),
        ("stop", "active", 0, "该常态化任务已有变化"),
    ],
)
def test_the_page_shows_a_wrong_state_or_stale_version_on_the_duty_page(
    action, fixture, version, message, request, client_for
):
    d = request.getfixturevalue(fixture)
    before = fresh(d).version
    response = client_for("district_officer").post(
        reverse(f"duties:duty_{action}", args=[d.pk]), {"note": "理由", "version": version},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1] == (reverse("duties:duty_detail", args=[d.pk]), 302)
    assert message in response.content.decode()
    assert fresh(d).version == before and len(events(d)) == before


@pytest.mark.parametrize(
    ("who", "expected"),
    [("uni_security", 404), ("school_a_head", 403), ("auditor", 403), ("expert", 403)],
)
def test_the_page_refuses_out_of_scope_and_without_the_right(who, expected, stopped, client_for):
    url = reverse("duties:duty_resume", args=[stopped.pk])
    response = client_for(who).post(url, {"note": "x", "version": 2})
    assert response.status_code == expected
    assert fresh(stopped).status == "stopped" and len(events(stopped)) == 2


def test_the_duty_page_shows_the_timeline_and_the_actions(stopped, client_for):
    html = (
        client_for("district_officer")
        .get(reverse("duties:duty_detail", args=[stopped.pk]))
        .content.decode()
    )
    assert "record-timeline" in html and "发布" in html and "本学期暂停" in html
    assert reverse("duties:duty_resume", args=[stopped.pk]) in html
    assert reverse("duties:duty_stop", args=[stopped.pk]) not in html
    # A school the duty binds sees its history but no action.
    other = client_for("school_a_head").get(reverse("duties:duty_detail", args=[stopped.pk]))
    text = other.content.decode()
    assert "record-timeline" in text and "本学期暂停" in text
    assert reverse("duties:duty_resume", args=[stopped.pk]) not in text


def test_lists_offer_only_active_duties_to_filter_by(active, stopped, persona, units, client_for):
    on = duty(persona, units, name="仍在执行")
    page = client_for("district_officer").get(reverse("duties:obligation_list"))
    choices = dict(page.context["filter_form"].fields["duty"].choices)
    assert on.pk in choices and stopped.pk not in choices
    assert Obligation.objects.filter(duty=stopped).count() == 0


# ---------------------------------------------------------------- the matrix

PERSONAS = [
    "district_officer",
    "district_head",
    "district_supervisor",
    "school_a_head",
    "school_a_officer",
    "uni_security",
    "auditor",
]


@pytest.mark.parametrize("state", ["active", "stopped"])
def test_allowed_actions_match_what_the_services_accept(state, active, persona, api_for):
    checked = 0
    for who in PERSONAS:
        Duty.objects.filter(pk=active.pk).update(status=state)
        user = persona(who)
        response = api_for(who).get(f"/api/duties/{active.pk}/")
        offered = set(response.json()["allowed_actions"]) if response.status_code == 200 else set()
        d = fresh(active)
        assert offered == DUTY.allowed_names(user, d)
        for name, action in DUTY.actions.items():
            Duty.objects.filter(pk=active.pk).update(status=state)
            before = fresh(active).version
            try:
                action.service(user, active.pk, note="理由", version=before)
            except ServiceError:
                accepted = False
            else:
                accepted = True
            d = fresh(active)
            assert accepted == (name in offered), (state, who, name)
            assert d.version == before + (1 if accepted else 0)
            assert d.status == (action.target if accepted else state)
            checked += accepted
    assert checked > 0
