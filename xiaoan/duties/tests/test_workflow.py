"""The obligation workflow (xiaoan.duties.workflow): reporting a record writes one event and
bumps the version on the page and the API; a stale version is 409; out of scope 404,
without the right 403; generation and the daily evaluation write the system's events; the
record page shows the history; `allowed_actions` offers exactly what the service accepts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.core.errors import ServiceError
from xiaoan.duties import services
from xiaoan.duties.models import DutyRecord, Obligation, ObligationEvent
from xiaoan.duties.tests.support import SCHOOL_A, duty, evidence, objects
from xiaoan.duties.workflow import OBLIGATION

pytestmark = pytest.mark.django_db
__all__ = ["objects"]

MARCH = dt.date(2026, 3, 10)


@pytest.fixture
def pending(persona, units):
    """School A's obligation this year of a drill duty needing two records: one record
    leaves it pending (and reading it decides nothing before the year ends)."""
    d = duty(
        persona, units, name="两次演练", recurrence="yearly", proof="record",
        record_kind="drill", required_count=2, requires_review=False,
    )  # fmt: skip
    services.generate_duty(d, timezone.localdate())
    return Obligation.objects.get(duty=d, unit=units[SCHOOL_A])


def events(ob) -> list[tuple[str, str, str]]:
    rows = ObligationEvent.objects.filter(obligation=ob).order_by("created_at", "pk")
    return [(e.action, e.from_status, e.to_status) for e in rows]


def test_it_writes_the_first_event_when_generating(pending):
    assert events(pending) == [("generate", "", "pending")]
    assert pending.version == 1
    assert ObligationEvent.objects.get(obligation=pending).actor is None


def test_the_api_reports_a_record_with_one_event_and_a_new_version(pending, api_for):
    client = api_for("school_a_officer")
    body = client.get(f"/api/obligations/{pending.pk}/").json()
    assert body["allowed_actions"] == ["record"] and body["version"] == 1
    response = client.post(
        f"/api/obligations/{pending.pk}/record/",
        {"evidence": evidence(), "version": 1},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["version"] == 2
    assert [e["action"] for e in body["events"]] == ["generate", "record"]
    assert body["events"][1]["actor_name"]
    # The second record meets it: the same one event, pending → met.
    again = client.post(
        f"/api/obligations/{pending.pk}/record/",
        {"evidence": evidence(), "version": 2},
        format="multipart",
    )
    assert again.status_code == 201 and again.json()["status"] == "met"
    assert events(pending)[1:] == [("record", "pending", "pending"), ("record", "pending", "met")]


def test_the_api_refuses_a_stale_version_with_409(pending, api_for):
    response = api_for("school_a_officer").post(
        f"/api/obligations/{pending.pk}/record/",
        {"evidence": evidence(), "version": 0},
        format="multipart",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert not DutyRecord.objects.filter(obligation=pending).exists()
    assert len(events(pending)) == 1


@pytest.mark.parametrize(
    ("who", "expected"),
    [("uni_security", 404), ("district_supervisor", 403), ("auditor", 403)],
)
def test_the_api_refuses_out_of_scope_and_without_the_right(who, expected, pending, api_for):
    response = api_for(who).post(
        f"/api/obligations/{pending.pk}/record/", {"evidence": evidence()}, format="multipart"
    )
    assert response.status_code == expected, response.content
    assert len(events(pending)) == 1


def test_the_page_reports_a_record_with_one_event(pending, client_for):
    client = client_for("school_a_officer")
    url = reverse("duties:obligation_record", args=[pending.pk])
    response = client.post(url, {"kind": "drill", "evidence": evidence(), "version": 1})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.version == 2 and events(pending)[-1] == ("record", "pending", "pending")


def test_the_page_shows_a_stale_version_on_the_record_page(pending, client_for):
    client = client_for("school_a_officer")
    url = reverse("duties:obligation_record", args=[pending.pk])
    response = client.post(
        url, {"kind": "drill", "evidence": evidence(), "version": 0}, follow=True
    )
    assert response.redirect_chain[-1] == (
        reverse("duties:obligation_detail", args=[pending.pk]),
        302,
    )
    assert "该应办事项已有变化" in response.content.decode()
    assert len(events(pending)) == 1 and not DutyRecord.objects.filter(obligation=pending).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("uni_security", 404), ("district_supervisor", 403), ("auditor", 403)],
)
def test_the_page_refuses_out_of_scope_and_without_the_right(who, expected, pending, client_for):
    url = reverse("duties:obligation_record", args=[pending.pk])
    response = client_for(who).post(url, {"kind": "drill", "evidence": evidence(), "version": 1})
    assert response.status_code == expected
    assert len(events(pending)) == 1


def test_the_record_page_shows_the_timeline_and_the_action(pending, persona, client_for):
    services.submit_record(persona("district_officer"), pending.pk, evidence=evidence())
    page = client_for("school_a_officer").get(
        reverse("duties:obligation_detail", args=[pending.pk])
    )
    html = page.content.decode()
    assert "record-timeline" in html and "生成" in html and "报送记录" in html
    assert reverse("duties:obligation_record", args=[pending.pk]) in html
    # Who may not report sees the history but no action.
    other = client_for("district_supervisor").get(
        reverse("duties:obligation_detail", args=[pending.pk])
    )
    assert "record-timeline" in other.content.decode()
    assert reverse("duties:obligation_record", args=[pending.pk]) not in other.content.decode()


def test_the_daily_evaluation_writes_system_events(persona, units):
    d = duty(persona, units, name="每月自查")
    services.generate_duty(d, MARCH)
    ob = Obligation.objects.get(duty=d, unit=units[SCHOOL_A])
    services.evaluate(today=dt.date(2026, 4, 2))
    ob.refresh_from_db()
    assert ob.status == "missed" and ob.version == 2
    assert events(ob) == [("generate", "", "pending"), ("missed", "pending", "missed")]
    assert ObligationEvent.objects.filter(obligation=ob, actor__isnull=False).count() == 0
    services.evaluate(today=dt.date(2026, 4, 3))  # decided once only
    assert len(events(ob)) == 2


PERSONAS = [
    "district_officer",
    "district_head",
    "district_supervisor",
    "school_a_head",
    "school_a_officer",
    "school_a_owner",
    "auditor",
]


@pytest.mark.parametrize("state", ["pending", "review", "met", "missed"])
@pytest.mark.parametrize("proof", ["record", "inspection"])
def test_allowed_actions_match_what_the_services_accept(state, proof, persona, units, api_for):
    kind = {"record_kind": "drill"} if proof == "record" else {"inspection_kind": "self_check"}
    d = duty(
        persona, units, name="矩阵", recurrence="yearly", proof=proof, required_count=5, **kind
    )
    services.generate_duty(d, timezone.localdate())
    ob = Obligation.objects.get(duty=d, unit=units[SCHOOL_A])
    if proof == "record":  # a record of School A's awaiting the district's review
        services.submit_record(persona("school_a_officer"), ob.pk, evidence=evidence())
    Obligation.objects.filter(pk=ob.pk).update(status=state)
    kwargs = {"record": {"evidence": None}, "accept": {}, "send_back": {"note": "材料不全"}}
    checked = 0
    for who in PERSONAS:
        user = persona(who)
        response = api_for(who).get(f"/api/obligations/{ob.pk}/")
        offered = set(response.json()["allowed_actions"]) if response.status_code == 200 else set()
        ob.refresh_from_db()
        assert offered == OBLIGATION.allowed_names(user, ob)
        for name, action in OBLIGATION.actions.items():
            offered = OBLIGATION.allowed_names(user, ob)  # a record of one's own changes it
            before = ob.version
            data = {**kwargs[name]}
            if name == "record":
                data["evidence"] = evidence()
            try:
                action.service(user, ob.pk, version=before, **data)
            except ServiceError:
                accepted = False
            else:
                accepted = True
            ob.refresh_from_db()
            assert accepted == (set(action.api_names) <= offered), (state, proof, who, name)
            assert ob.version == before + (1 if accepted else 0)
            checked += accepted
            Obligation.objects.filter(pk=ob.pk).update(status=state)  # the next try alike
            ob.refresh_from_db()
    assert (checked > 0) == (proof == "record")
