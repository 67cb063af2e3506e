"""The declaration and its workflow: one per school and year, only schools, the school
declares with evidence, the bureau verifies or returns, an edit reopens it; every refusal."""

from __future__ import annotations

import pytest

from xiaoan.core import registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.notifications.models import Notification
from xiaoan.security import services
from xiaoan.security.choices import PostureStatus
from xiaoan.security.models import SecurityPosture
from xiaoan.security.registers import SECURITY_POSTURES
from xiaoan.security.rules import required_guards
from xiaoan.security.tests.support import (
    DISTRICT,
    SCHOOL_A,
    SCHOOL_B,
    declared,
    make,
    pdf,
    verified,
    year,
)

pytestmark = pytest.mark.django_db


def test_the_guard_rule_counts_boarding_and_enrolment(units):
    assert required_guards(units[SCHOOL_A]) == 3  # boarding 2 + 1860 // 1000
    assert required_guards(units[SCHOOL_B]) == 1  # day school, 980 pupils
    assert required_guards(units["鄂州职业大学"]) == 2 + 15


def test_it_declares_one_posture_per_school_and_year(persona, units):
    officer = persona("school_a_officer")
    posture = make(officer, units[SCHOOL_A], measures=["fire", "theft", "fire"])
    assert posture.name == f"{year()}年度安防建设"
    assert posture.status == PostureStatus.DRAFT and posture.guards_required == 3
    assert posture.measures == ["theft", "fire"]  # the list's order, once each
    assert posture.meets_all
    with pytest.raises(Invalid) as refused:
        make(officer, units[SCHOOL_A])
    assert "本年度已有" in str(refused.value.message)
    make(officer, units[SCHOOL_A], year=year() - 1)  # another year is another declaration
    # Retired, the year is free again.
    registers.retire(SECURITY_POSTURES, officer, posture.pk, reason="重新申报")
    make(officer, units[SCHOOL_A])
    assert SecurityPosture.objects.filter(unit=units[SCHOOL_A]).count() == 3


def test_it_refuses_bad_input(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    with pytest.raises(Invalid) as refused:
        make(district, units[DISTRICT])
    assert "请选择学校" in str(refused.value.fields["unit"])
    with pytest.raises(Invalid) as refused:
        make(officer, units[SCHOOL_A], measures=["fire", "magic"])
    assert "measures" in refused.value.fields
    with pytest.raises(Invalid):
        make(officer, units[SCHOOL_A], year=1900)
    with pytest.raises(Invalid):
        make(officer, units[SCHOOL_B])  # not a school the officer manages
    with pytest.raises(Forbidden):
        make(persona("school_b_teacher"), units[SCHOOL_B])
    assert not SecurityPosture.objects.exists()


def test_the_school_submits_with_evidence_and_the_bureau_verifies(persona, units):
    officer, reviewer = persona("school_a_officer"), persona("district_officer")
    posture = make(officer, units[SCHOOL_A])
    with pytest.raises(Invalid) as refused:
        services.submit(officer, posture.pk)
    assert "佐证材料" in str(refused.value.message)
    registers.attach(SECURITY_POSTURES, officer, posture.pk, kind="evidence", upload=pdf())
    services.submit(officer, posture.pk, note="请核验")
    posture.refresh_from_db()
    assert posture.status == PostureStatus.SUBMITTED and posture.submitted_by == officer
    told = Notification.objects.filter(kind=Notification.Kind.REVIEW, url__contains=str(posture.pk))
    assert {n.recipient.username for n in told} >= {"district_officer", "district_head"}
    with pytest.raises(Conflict):
        services.submit(officer, posture.pk)  # already submitted
    services.verify(reviewer, posture.pk, note="属实", version=posture.version)
    posture.refresh_from_db()
    assert posture.status == PostureStatus.VERIFIED and posture.verified_by == reviewer
    assert Notification.objects.filter(recipient=officer, kind=Notification.Kind.ACCEPTED).exists()
    actions = [e.action for e in services.events_of(posture)]
    assert actions == ["submit", "verify"]


def test_a_school_never_verifies_its_own_declaration(persona, units):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    posture = declared(officer, units[SCHOOL_A])
    assert head.has_perm is not None  # the head holds the verify right at the school …
    from xiaoan.core.scoping import has_permission_anywhere

    assert has_permission_anywhere(head, "security.verify_securityposture")
    for person in (head, officer):  # … but is not above it
        with pytest.raises(Forbidden):
            services.verify(person, posture.pk)
        with pytest.raises(Forbidden):
            services.send_back(person, posture.pk, note="不行")
    assert not services.may_verify(head, posture)
    with pytest.raises(Forbidden):  # no verify right anywhere
        services.verify(persona("district_supervisor"), posture.pk)
    with pytest.raises(NotFound):  # out of scope
        services.verify(persona("uni_head"), posture.pk)
    posture.refresh_from_db()
    assert posture.status == PostureStatus.SUBMITTED


def test_the_district_cannot_submit_for_a_school_nor_verify_its_own_submission(persona, units):
    district = persona("district_officer")
    posture = make(district, units[SCHOOL_B])
    registers.attach(SECURITY_POSTURES, district, posture.pk, kind="evidence", upload=pdf())
    with pytest.raises(Forbidden):
        services.submit(district, posture.pk)
    # A submission by the district's officer (the demo does so) is verified by another.
    from xiaoan.security.workflow import POSTURE

    posture.submitted_by = district
    POSTURE.advance(posture, district, "submit")
    assert not services.may_verify(district, posture)
    with pytest.raises(Forbidden):
        services.verify(district, posture.pk)
    services.verify(persona("district_head"), posture.pk)


def test_a_returned_declaration_is_edited_and_resubmitted(persona, units):
    officer, reviewer = persona("school_a_officer"), persona("district_officer")
    posture = declared(officer, units[SCHOOL_A], guards=1)
    with pytest.raises(Invalid):
        services.send_back(reviewer, posture.pk, note="  ")
    services.send_back(reviewer, posture.pk, note="保安不足")
    posture.refresh_from_db()
    assert posture.status == PostureStatus.RETURNED and posture.return_reason == "保安不足"
    assert Notification.objects.filter(recipient=officer, kind=Notification.Kind.RETURNED).exists()
    with pytest.raises(Conflict):
        services.verify(reviewer, posture.pk)
    registers.update(SECURITY_POSTURES, officer, posture.pk, {"guards": 3})
    posture.refresh_from_db()
    assert posture.status == PostureStatus.RETURNED  # still to resubmit
    services.submit(officer, posture.pk)
    posture.refresh_from_db()
    assert posture.status == PostureStatus.SUBMITTED and posture.return_reason == ""


def test_editing_a_verified_declaration_sends_it_back_to_draft(persona, units):
    officer, reviewer = persona("school_a_officer"), persona("district_officer")
    posture = verified(officer, reviewer, units[SCHOOL_A])
    registers.update(SECURITY_POSTURES, officer, posture.pk, {"guards": posture.guards})
    posture.refresh_from_db()
    assert posture.status == PostureStatus.VERIFIED  # nothing changed
    registers.update(SECURITY_POSTURES, officer, posture.pk, {"escort_noon": False})
    posture.refresh_from_db()
    assert posture.status == PostureStatus.DRAFT and posture.verified_by is None
    assert [e.action for e in services.events_of(posture)][-1] == "edit"


def test_a_stale_version_and_a_retired_declaration_are_conflicts(persona, units):
    officer, reviewer = persona("school_a_officer"), persona("district_officer")
    posture = declared(officer, units[SCHOOL_A])
    with pytest.raises(Conflict):
        services.verify(reviewer, posture.pk, version=posture.version - 1)
    registers.retire(SECURITY_POSTURES, officer, posture.pk, reason="重复申报")
    with pytest.raises(Conflict):
        services.verify(reviewer, posture.pk)
    with pytest.raises(Conflict):
        registers.update(SECURITY_POSTURES, officer, posture.pk, {"guards": 9})


def test_the_history_names_the_seven_measures_by_their_labels(persona, units):
    from xiaoan.core import history

    posture = make(persona("school_a_officer"), units[SCHOOL_A], measures=["theft", "drowning"])
    shown = [c.new for e in history.entries_for(posture) for c in e.changes]
    assert "防盗、防溺水" in shown
    assert not any("theft" in str(v) for v in shown)
