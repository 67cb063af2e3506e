"""The accountability pages: the list, the draft form, the evidence, a decision's page and its
steps, a commitment's page and its steps; who is served, refused (403), kept out (404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.accountability.models import Commitment, Decision

from .support import DISTRICT, SCHOOL_A, SCHOOL_B, committed, drafted, issued, listed

pytestmark = pytest.mark.django_db
HUGE = 10**18


def test_it_lists_decisions_for_the_authority_and_the_named_school(
    client_for, persona, units, django_assert_max_num_queries
):
    decision, _entry = issued(persona, units)
    drafted(persona, units, title="内部讨论稿")
    url = reverse("accountability:decision_list")
    officer = client_for("district_officer")
    with django_assert_max_num_queries(25):
        page = officer.get(url)
    assert page.status_code == 200 and decision.title in page.content.decode()
    assert "内部讨论稿" in page.content.decode()
    head = client_for("school_a_head").get(url)
    assert head.status_code == 200 and decision.title in head.content.decode()
    assert "内部讨论稿" not in head.content.decode()
    assert client_for("school_b_teacher").get(url).status_code == 403
    assert client_for("expert").get(url).status_code == 403
    assert client_for("auditor").get(f"{url}?kind=interview&status=issued").status_code == 200


def test_it_drafts_on_the_page(client_for, units):
    url = reverse("accountability:decision_add")
    officer = client_for("district_officer")
    assert officer.get(url).status_code == 200
    body = {
        "unit": units[DISTRICT].pk,
        "kind": "interview",
        "title": "约谈",
        "decided_on": str(timezone.localdate()),
    }
    made = officer.post(url, body)
    assert made.status_code == 302
    decision = Decision.objects.get(title="约谈")
    assert made["Location"] == reverse("accountability:decision_detail", args=[decision.pk])
    assert officer.post(url, {**body, "unit": units[SCHOOL_A].pk}).status_code == 400
    assert officer.post(url, {**body, "title": ""}).status_code == 400
    assert client_for("auditor").get(url).status_code == 403
    assert client_for("school_b_teacher").post(url, body).status_code == 403


def test_it_shows_the_evidence_to_pick_from(client_for, units):
    url = reverse("accountability:decision_evidence")
    officer = client_for("district_officer")
    page = officer.get(url)
    assert page.status_code == 200 and "evidence-rows" in page.content.decode()
    praise = officer.get(f"{url}?unit={units[DISTRICT].pk}&kind=praise&rank=schools")
    assert praise.status_code == 200 and SCHOOL_A in praise.content.decode()
    assert officer.get(f"{url}?unit={units[SCHOOL_A].pk}").status_code == 404
    assert officer.get(f"{url}?unit={HUGE}").status_code == 404
    assert officer.get(f"{url}?kind=nonsense").status_code == 400
    assert client_for("auditor").get(url).status_code == 403
    assert client_for("expert").get(url).status_code == 403


def test_it_shows_a_decision_with_the_figures_of_the_day(client_for, persona, units):
    decision, entry = listed(persona, units)
    url = reverse("accountability:decision_detail", args=[decision.pk])
    page = client_for("district_officer").get(url)
    text = page.content.decode()
    assert page.status_code == 200 and SCHOOL_A in text and "decision-entries" in text
    assert entry.evidence["on"] in text
    assert "act-add_entry" in text and "act-issue" in text and "decision-evidence-link" in text
    # A draft is the authority's own work.
    assert client_for("school_a_head").get(url).status_code == 404
    assert client_for("auditor").get(url).status_code == 200
    assert client_for("expert").get(url).status_code == 403
    missing = reverse("accountability:decision_detail", args=[HUGE])
    assert client_for("district_officer").get(missing).status_code == 404


def test_it_shows_a_named_school_only_its_own_entry(client_for, persona, units):
    decision, _entry = listed(persona, units)
    from xiaoan.accountability import services

    services.add_entry(
        persona("district_officer"), decision.pk, target=units[SCHOOL_B].pk, reason="逾期"
    )
    services.issue(persona("district_officer"), decision.pk)
    url = reverse("accountability:decision_detail", args=[decision.pk])
    page = client_for("school_a_head").get(url)
    text = page.content.decode()
    assert page.status_code == 200 and SCHOOL_A in text and SCHOOL_B not in text
    assert "act-commit" not in text


def test_it_takes_the_decision_through_its_steps_on_the_page(client_for, persona, units):
    officer = client_for("district_officer")
    decision = drafted(persona, units)

    def step(name, **data):
        url = reverse(f"accountability:decision_{name}", args=[decision.pk])
        current = Decision.objects.get(pk=decision.pk)
        return officer.post(url, {"version": current.version, **data})

    assert step("add_entry", target=units[SCHOOL_A].pk, reason="逾期").status_code == 302
    assert step("add_entry", target=units[SCHOOL_A].pk, reason="再次").status_code == 400
    assert step("add_entry", target=units[SCHOOL_B].pk, reason="逾期").status_code == 302
    entry_b = decision.entries.get(target=units[SCHOOL_B])
    assert step("remove_entry", entry=entry_b.pk).status_code == 302
    assert step("remove_entry", entry=HUGE).status_code == 400
    assert step("issue").status_code == 302
    assert Decision.objects.get(pk=decision.pk).status == "issued"
    # Issued: no more listing (409 comes back as a message on the page).
    refused = step("add_entry", target=units[SCHOOL_B].pk, reason="x")
    assert refused.status_code == 302 and decision.entries.count() == 1
    meeting = {
        "meeting_at": (timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "会议室",
        "minutes": "纪要",
    }
    assert step("record_meeting", **meeting).status_code == 302
    assert step("record_meeting", **{**meeting, "minutes": ""}).status_code == 400
    entry = decision.entries.get()
    due = str(timezone.localdate() + dt.timedelta(days=10))
    assert step("commit", entry=entry.pk, text="整改", due_on=due).status_code == 302
    assert Commitment.objects.filter(entry=entry, status="open").exists()
    assert step("close").status_code == 302  # refused (409): a commitment is open
    assert Decision.objects.get(pk=decision.pk).status == "issued"
    other = drafted(persona, units, title="另一份")
    url = reverse("accountability:decision_cancel", args=[other.pk])
    assert officer.post(url, {"version": other.version, "note": ""}).status_code == 400
    assert officer.post(url, {"version": other.version, "note": "重复"}).status_code == 302
    assert Decision.objects.get(pk=other.pk).status == "cancelled"


def test_it_refuses_the_decision_steps_to_others(client_for, persona, units):
    draft, entry = listed(persona, units)
    done, done_entry = issued(persona, units, title="已印发")
    for name, data in (
        ("add_entry", {"target": units[SCHOOL_B].pk, "reason": "x"}),
        ("remove_entry", {"entry": entry.pk}),
        ("issue", {}),
        ("cancel", {"note": "x"}),
    ):
        url = reverse(f"accountability:decision_{name}", args=[draft.pk])
        assert client_for("auditor").post(url, data).status_code == 403
        assert client_for("school_a_head").post(url, data).status_code == 404
        missing = reverse(f"accountability:decision_{name}", args=[HUGE])
        assert client_for("district_officer").post(missing, data).status_code == 404
    for name, data in (
        ("record_meeting", {"meeting_at": "2026-01-01T10:00", "place": "x", "minutes": "y"}),
        ("commit", {"entry": done_entry.pk, "text": "x", "due_on": "2030-01-01"}),
        ("close", {}),
    ):
        url = reverse(f"accountability:decision_{name}", args=[done.pk])
        assert client_for("auditor").post(url, data).status_code == 403
        assert client_for("expert").post(url, data).status_code == 403
        head = client_for("school_a_head").post(url, {"version": done.version, **data})
        assert head.status_code == 403  # sees the decision, may not act on it
    assert (
        client_for("school_a_officer")
        .post(reverse("accountability:decision_close", args=[draft.pk]), {})
        .status_code
        == 404
    )


def test_it_reports_and_accepts_a_commitment_on_the_page(client_for, persona, units):
    _decision, _entry, commitment = committed(persona, units)
    detail = reverse("accountability:commitment_detail", args=[commitment.pk])
    head = client_for("school_a_head")
    page = head.get(detail)
    assert page.status_code == 200 and "act-report" in page.content.decode()
    assert client_for("district_officer").get(detail).status_code == 200
    assert client_for("school_b_teacher").get(detail).status_code == 403
    assert client_for("expert").get(detail).status_code == 403
    missing = reverse("accountability:commitment_detail", args=[HUGE])
    assert client_for("district_officer").get(missing).status_code == 404

    def step(client, name, **data):
        url = reverse(f"accountability:commitment_{name}", args=[commitment.pk])
        current = Commitment.objects.get(pk=commitment.pk)
        return client.post(url, {"version": current.version, **data})

    officer = client_for("district_officer")
    assert step(officer, "report", note="x").status_code == 403
    assert step(client_for("auditor"), "report", note="x").status_code == 403
    assert step(head, "report", note="").status_code == 400
    assert step(head, "report", note="已整改").status_code == 302
    assert step(head, "accept").status_code == 403
    assert step(client_for("school_a_officer"), "send_back", note="x").status_code == 403
    assert step(officer, "send_back", note="").status_code == 400
    assert step(officer, "send_back", note="不全").status_code == 302
    assert step(officer, "accept").status_code == 302  # 409: open again, a message
    assert Commitment.objects.get(pk=commitment.pk).status == "open"
    assert step(head, "report", note="补齐").status_code == 302
    assert step(officer, "accept", note="通过").status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).status == "accepted"
    for name in ("report", "accept", "send_back"):
        url = reverse(f"accountability:commitment_{name}", args=[HUGE])
        assert officer.post(url, {"note": "x"}).status_code == 404
