"""The rules of accountability: drafting, the list with the figures of the day (frozen), the
meeting, commitments to acceptance, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.accountability import services
from xiaoan.accountability.models import Commitment, Decision, DecisionEntry
from xiaoan.accountability.todos import commitment_todos
from xiaoan.audit.models import AuditEntry
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound

from .support import DISTRICT, SCHOOL_A, SCHOOL_B, committed, drafted, issued, listed

pytestmark = pytest.mark.django_db


def test_it_drafts_only_at_a_bureau_the_person_may_decide_for(persona, units):
    decision = drafted(persona, units)
    assert decision.status == "draft" and decision.unit == units[DISTRICT]
    assert decision.events.get().action == "create"
    with pytest.raises(Invalid) as refused:
        drafted(persona, units, unit=units[SCHOOL_A])
    assert "unit" in refused.value.fields
    with pytest.raises(Invalid):
        services.create(
            persona("school_a_head"),
            unit=units[SCHOOL_A].pk,
            kind="interview",
            title="x",
            decided_on=timezone.localdate(),
        )
    with pytest.raises(Invalid) as bad:
        drafted(persona, units, kind="nonsense")
    assert "kind" in bad.value.fields
    with pytest.raises(Invalid):
        drafted(persona, units, title="  ")


def test_it_lists_a_unit_with_its_figures_of_the_day(persona, units):
    decision, entry = listed(persona, units)
    snap = entry.evidence
    assert snap["on"] == timezone.localdate().isoformat()
    assert snap["unit_id"] == units[SCHOOL_A].pk and snap["unit_name"] == SCHOOL_A
    assert snap["figures"] and {"key", "label", "value"} <= set(snap["figures"][0])
    assert decision.events.filter(action="add_entry").exists()
    assert AuditEntry.objects.filter(object_id=str(decision.pk)).exists()
    officer = persona("district_officer")
    with pytest.raises(Invalid) as twice:
        services.add_entry(officer, decision.pk, target=units[SCHOOL_A].pk, reason="再次")
    assert "target" in twice.value.fields
    with pytest.raises(Invalid) as outside:
        services.add_entry(officer, decision.pk, target=units[DISTRICT].pk, reason="本单位")
    assert "target" in outside.value.fields
    with pytest.raises(Invalid):
        services.add_entry(officer, decision.pk, target=10**18, reason="不存在")
    with pytest.raises(Invalid):
        services.add_entry(officer, decision.pk, target=units[SCHOOL_B].pk, reason=" ")


def test_it_keeps_the_figures_frozen_after_they_change(persona, units, monkeypatch):
    decision, entry = listed(persona, units)
    before = DecisionEntry.objects.get(pk=entry.pk).evidence
    real = services._board

    def changed(actor, unit_id, rank):
        board = real(actor, unit_id, rank)
        for row in board.ranking:
            row["score"] = 999.0
            row["values"] = {k: 77 for k in row["values"]}
        return board

    monkeypatch.setattr(services, "_board", changed)
    fresh = services.evidence(persona("district_officer"), units[DISTRICT].pk)
    assert fresh["rows"][0]["score"] == 999.0
    decision.refresh_from_db()
    services.issue(persona("district_officer"), decision.pk)
    assert DecisionEntry.objects.get(pk=entry.pk).evidence == before
    assert before["score"] != 999.0


def test_it_orders_the_evidence_worst_first_to_call_in_best_first_to_praise(persona, units):
    officer = persona("district_officer")
    worst = services.evidence(officer, units[DISTRICT].pk, kind="interview")
    best = services.evidence(officer, units[DISTRICT].pk, kind="praise")
    scores = [r["score"] for r in worst["rows"]]
    assert scores == sorted(scores, reverse=True) and worst["rows"]
    assert [r["score"] for r in best["rows"]] == sorted(scores)
    schools = services.evidence(officer, units[DISTRICT].pk, rank="schools")
    assert any(r["unit_id"] == units[SCHOOL_A].pk for r in schools["rows"])
    with pytest.raises(Invalid):
        services.evidence(officer, units[DISTRICT].pk, rank="everything")
    with pytest.raises(NotFound):
        services.evidence(persona("school_a_head"), units[DISTRICT].pk)
    with pytest.raises(NotFound):
        services.evidence(officer, units[SCHOOL_A].pk)


def test_it_issues_records_the_meeting_and_follows_a_commitment(persona, units):
    officer, head = persona("district_officer"), persona("school_a_head")
    decision, entry, commitment = committed(persona, units)
    assert decision.status == "issued" and decision.issued_at
    meeting_at = timezone.now() - dt.timedelta(hours=2)
    services.record_meeting(
        officer,
        decision.pk,
        meeting_at=meeting_at,
        place="区教育局三楼会议室",
        attendees="校长、安办主任",
        minutes="学校承诺一个月内整改",
    )
    assert Decision.objects.get(pk=decision.pk).minutes
    with pytest.raises(Forbidden):  # the authority accepts, it does not report
        services.report(officer, commitment.pk, note="已完成")
    with pytest.raises(Conflict):
        services.accept(officer, commitment.pk)
    with pytest.raises(Invalid):
        services.report(head, commitment.pk, note=" ")
    services.report(head, commitment.pk, note="隐患均已整改")
    with pytest.raises(Forbidden):
        services.accept(head, commitment.pk)
    with pytest.raises(Conflict):  # a commitment still open
        services.close(officer, decision.pk)
    services.send_back(officer, commitment.pk, note="照片不全")
    assert Commitment.objects.get(pk=commitment.pk).status == "open"
    services.report(head, commitment.pk, note="已补充照片")
    services.accept(officer, commitment.pk, note="通过")
    assert Commitment.objects.get(pk=commitment.pk).status == "accepted"
    services.close(officer, decision.pk)
    assert Decision.objects.get(pk=decision.pk).status == "closed"
    with pytest.raises(Conflict):
        services.commit(officer, decision.pk, entry=entry.pk, text="x", due_on=timezone.localdate())


def test_it_refuses_steps_in_the_wrong_state(persona, units):
    officer = persona("district_officer")
    decision = drafted(persona, units)
    with pytest.raises(Invalid):  # nothing to issue
        services.issue(officer, decision.pk)
    with pytest.raises(Conflict):
        services.record_meeting(
            officer, decision.pk, meeting_at=timezone.now(), place="x", minutes="y"
        )
    with pytest.raises(Conflict):  # a stale version
        services.cancel(officer, decision.pk, note="重复", version=99)
    with pytest.raises(Invalid):
        services.cancel(officer, decision.pk, note="")
    services.cancel(officer, decision.pk, note="重复起草")
    with pytest.raises(Conflict):
        services.issue(officer, decision.pk)
    praise, _entry = issued(persona, units, kind="praise")
    with pytest.raises(Conflict):
        services.record_meeting(
            officer, praise.pk, meeting_at=timezone.now(), place="x", minutes="y"
        )


def test_it_commits_only_for_an_entry_of_the_decision(persona, units):
    officer = persona("district_officer")
    decision, entry = issued(persona, units)
    _other, other_entry = issued(persona, units, title="另一份")
    with pytest.raises(Invalid) as refused:
        services.commit(
            officer, decision.pk, entry=other_entry.pk, text="x", due_on=timezone.localdate()
        )
    assert "entry" in refused.value.fields
    with pytest.raises(Invalid) as early:
        services.commit(
            officer,
            decision.pk,
            entry=entry.pk,
            text="x",
            due_on=decision.decided_on - dt.timedelta(days=1),
        )
    assert "due_on" in early.value.fields


def test_it_shows_a_named_unit_its_issued_entry_only(persona, units):
    decision, _entry = listed(persona, units)
    services.add_entry(
        persona("district_officer"), decision.pk, target=units[SCHOOL_B].pk, reason="逾期"
    )
    head = persona("school_a_head")
    assert not Decision.objects.restrict(head).filter(pk=decision.pk).exists()  # a draft
    services.issue(persona("district_officer"), decision.pk)
    head = persona("school_a_head")
    assert Decision.objects.restrict(head).filter(pk=decision.pk).exists()
    seen = services.entries_of(head, decision)
    assert [e.target_id for e in seen] == [units[SCHOOL_A].pk]
    assert len(services.entries_of(persona("district_officer"), decision)) == 2
    assert len(services.entries_of(persona("auditor"), decision)) == 2
    assert not Decision.objects.restrict(persona("expert")).exists()
    assert not Decision.objects.restrict(persona("school_b_teacher")).exists()
    assert services.events_of(head, decision) == []
    with pytest.raises(Forbidden):
        services.cancel(head, decision.pk, note="x")
    with pytest.raises(NotFound):
        services.cancel(persona("expert"), decision.pk, note="x")


def test_it_lists_commitments_as_to_dos(persona, units):
    _decision, _entry, commitment = committed(persona, units)
    commitment.due_on = timezone.localdate() - dt.timedelta(days=1)
    commitment.save()
    mine = {t.key: t for t in commitment_todos(persona("school_a_head"))}
    assert mine["accountability.report"].count == 1 and mine["accountability.report"].late == 1
    assert "accountability.report" not in {
        t.key for t in commitment_todos(persona("district_officer"))
    }
    services.report(persona("school_a_head"), commitment.pk, note="已完成")
    bureau = {t.key: t for t in commitment_todos(persona("district_officer"))}
    assert bureau["accountability.accept"].count == 1
    assert not commitment_todos(persona("school_b_teacher"))


def test_it_loads_the_demo_once(persona, units):
    from xiaoan.accountability.demo import load_accountability

    assert load_accountability() == 2
    assert load_accountability() == 0
    called = Decision.objects.get(kind="interview", unit=units[DISTRICT])
    assert called.status == "issued" and called.minutes
    assert Decision.objects.get(kind="praise").status == "draft"
