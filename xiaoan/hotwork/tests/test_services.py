"""The hot-work rules, step by step, with every refusal: "no certificate, no work" (the
operator's certificate of the right kind, of the unit, valid over the whole window),
approval by another person of the unit naming a supervisor, start only inside the window
by that supervisor, finish with photos, reject and cancel with reasons, every step on the
timeline."""

from __future__ import annotations

import pytest

from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core import registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.hotwork import services
from xiaoan.hotwork.choices import PermitStatus
from xiaoan.hotwork.models import HotWorkPermit, HotWorkPhoto
from xiaoan.hotwork.tests.support import (
    SCHOOL_A,
    SCHOOL_B,
    approved,
    days,
    hours,
    photo,
    request,
    welder,
)

pytestmark = pytest.mark.django_db


def test_it_goes_from_request_to_closed_with_every_step_on_the_timeline(persona, units):
    permit = approved(persona, units)
    owner = persona("school_a_owner")
    assert permit.status == PermitStatus.APPROVED and permit.supervisor == owner
    services.start(owner, permit.pk, photos=[photo()], note="灭火器两具到位")
    services.finish(owner, permit.pk, photos=[photo(), photo()], note="现场清理完毕")
    permit.refresh_from_db()
    assert permit.status == PermitStatus.CLOSED
    assert (
        permit.started_at
        and permit.finished_at
        and permit.approved_by.username == "school_a_officer"
    )
    steps = [
        (e.action, e.actor.username, e.note) for e in permit.events.order_by("created_at", "id")
    ]
    assert steps == [
        ("request", "school_a_head", ""),
        ("approve", "school_a_officer", ""),
        ("start", "school_a_owner", "灭火器两具到位"),
        ("finish", "school_a_owner", "现场清理完毕"),
    ]
    kinds = sorted(HotWorkPhoto.objects.filter(permit=permit).values_list("kind", flat=True))
    assert kinds == ["after", "after", "before"]


def test_it_refuses_an_operator_of_another_unit(persona, units):
    outsider = welder(persona, units, SCHOOL_B)
    with pytest.raises(Invalid) as refused:
        request(persona, units, operator=outsider)
    assert "不是本单位" in str(refused.value.message)
    assert "operator" in refused.value.fields
    assert not HotWorkPermit.objects.exists()


def test_it_refuses_a_certificate_of_the_wrong_kind(persona, units):
    health = welder(persona, units, post="canteen", kind="health", code="JK-1")
    with pytest.raises(Invalid) as refused:
        request(persona, units, operator=health)
    assert "焊接与热切割作业" in str(refused.value.message)
    electrician = welder(persona, units, post="electrician", kind="electrician", code="D-1")
    with pytest.raises(Invalid):
        request(persona, units, operator=electrician)  # welding needs the welding one
    assert request(persona, units, operator=electrician, work_type="electrical").pk


def test_it_refuses_an_expired_certificate(persona, units):
    # Two days back: the window opens an hour ago, which is yesterday just after midnight.
    expired = welder(persona, units, valid_until=days(-2))
    with pytest.raises(Invalid) as refused:
        request(persona, units, operator=expired)
    assert "过期" in str(refused.value.message)


def test_it_refuses_a_certificate_expiring_inside_the_window(persona, units):
    ending = welder(persona, units, valid_until=days(1))
    with pytest.raises(Invalid) as refused:
        request(persona, units, operator=ending, starts_at=hours(1), ends_at=hours(60))
    assert "不能覆盖整个动火时段" in str(refused.value.message)
    # The same certificate covers a window that ends before it expires.
    assert request(persona, units, operator=ending, starts_at=hours(1), ends_at=hours(3)).pk


def test_it_refuses_a_certificate_not_yet_valid_or_retired(persona, units):
    later = welder(persona, units, valid_from=days(5), valid_until=days(400))
    with pytest.raises(Invalid) as refused:
        request(persona, units, operator=later)
    assert "生效" in str(refused.value.message)
    gone = welder(persona, units, code="R-1")
    registers.retire(CERTIFICATES, persona("school_a_officer"), gone.pk, reason="离职")
    with pytest.raises(Invalid) as retired:
        request(persona, units, operator=gone)
    assert "注销" in str(retired.value.message)


def test_it_refuses_bad_windows_and_outsiders(persona, units):
    with pytest.raises(Invalid) as reversed_window:
        request(persona, units, starts_at=hours(3), ends_at=hours(2))
    assert "ends_at" in reversed_window.value.fields
    with pytest.raises(Invalid):
        request(persona, units, starts_at=hours(-5), ends_at=hours(-1))  # already over
    with pytest.raises(Invalid):
        request(persona, units, starts_at=hours(1), ends_at=hours(80))  # longer than 72 h
    with pytest.raises(Invalid) as other_unit:
        request(persona, units, unit=units[SCHOOL_B])
    assert "unit" in other_unit.value.fields
    operator = welder(persona, units)
    with pytest.raises(Forbidden):
        services.request_permit(
            persona("auditor"),
            unit=units[SCHOOL_A],
            location="x",
            work_type="cutting",
            description="x",
            starts_at=hours(0),
            ends_at=hours(1),
            operator=operator,
        )


def test_it_refuses_the_requester_approving_their_own_request(persona, units):
    permit = request(persona, units)
    with pytest.raises(Forbidden) as refused:
        services.approve(
            persona("school_a_head"), permit.pk, supervisor=persona("school_a_owner").pk
        )
    assert "自己" in str(refused.value.message)


def test_it_checks_the_supervisor_and_the_certificate_again_on_approval(persona, units):
    officer = persona("school_a_officer")
    permit = request(persona, units)
    with pytest.raises(Invalid) as outsider:
        services.approve(officer, permit.pk, supervisor=persona("school_b_teacher").pk)
    assert "supervisor" in outsider.value.fields
    with pytest.raises(Invalid):
        services.approve(officer, permit.pk, supervisor=persona("auditor").pk)  # may not
    owner = persona("school_a_owner")
    own = welder(persona, units, name="", person=owner, code="OWN-1")
    mine = request(persona, units, operator=own)
    with pytest.raises(Invalid) as self_watch:
        services.approve(officer, mine.pk, supervisor=owner.pk)
    assert "本人" in str(self_watch.value.message)
    registers.retire(CERTIFICATES, officer, permit.operator_id, reason="离职")
    with pytest.raises(Invalid):
        services.approve(officer, permit.pk, supervisor=owner.pk)
    with pytest.raises(NotFound):  # the 总务处's supervisor does not see the school's requests
        services.approve(persona("school_a_owner"), permit.pk, supervisor=owner.pk)
    assert HotWorkPermit.objects.get(pk=permit.pk).status == PermitStatus.REQUESTED


def test_it_refuses_to_approve_a_permit_whose_window_has_passed(persona, units):
    permit = request(persona, units)
    HotWorkPermit.objects.filter(pk=permit.pk).update(starts_at=hours(-5), ends_at=hours(-1))
    with pytest.raises(Conflict):
        services.approve(
            persona("school_a_officer"), permit.pk, supervisor=persona("school_a_owner").pk
        )


def test_it_refuses_to_start_before_the_window(persona, units):
    permit = approved(persona, units, starts_at=hours(2), ends_at=hours(5))
    with pytest.raises(Conflict) as refused:
        services.start(persona("school_a_owner"), permit.pk, photos=[photo()])
    assert "未到动火时段" in str(refused.value.message)
    assert not HotWorkPhoto.objects.exists()


def test_it_refuses_to_start_after_the_window(persona, units):
    permit = approved(persona, units)
    HotWorkPermit.objects.filter(pk=permit.pk).update(starts_at=hours(-6), ends_at=hours(-1))
    with pytest.raises(Conflict) as refused:
        services.start(persona("school_a_owner"), permit.pk, photos=[photo()])
    assert "动火时段已过" in str(refused.value.message)


def test_it_lets_only_the_named_supervisor_start_and_finish(persona, units):
    permit = approved(persona, units)
    with pytest.raises(Forbidden):
        services.start(persona("school_a_officer"), permit.pk, photos=[photo()])
    with pytest.raises(Forbidden):
        services.start(persona("auditor"), permit.pk, photos=[photo()])
    with pytest.raises(Invalid):
        services.start(persona("school_a_owner"), permit.pk, photos=[])  # photos required
    services.start(persona("school_a_owner"), permit.pk, photos=[photo()])
    with pytest.raises(Forbidden):
        services.finish(persona("school_a_head"), permit.pk, photos=[photo()])
    with pytest.raises(Conflict):
        services.start(persona("school_a_owner"), permit.pk, photos=[photo()])  # started


def test_it_refuses_to_start_once_the_certificate_was_retired(persona, units):
    permit = approved(persona, units)
    registers.retire(CERTIFICATES, persona("school_a_officer"), permit.operator_id, reason="吊销")
    with pytest.raises(Invalid):
        services.start(persona("school_a_owner"), permit.pk, photos=[photo()])


def test_it_rejects_and_cancels_with_reasons(persona, units):
    officer = persona("school_a_officer")
    permit = request(persona, units)
    with pytest.raises(Invalid):
        services.reject(officer, permit.pk, note=" ")
    services.reject(officer, permit.pk, note="防火措施不全")
    with pytest.raises(Conflict):
        services.approve(officer, permit.pk, supervisor=persona("school_a_owner").pk)
    other = approved(persona, units)
    with pytest.raises(Invalid):
        services.cancel(persona("school_a_head"), other.pk, note="")
    services.cancel(persona("school_a_head"), other.pk, note="改期")
    other.refresh_from_db()
    assert other.status == PermitStatus.CANCELLED
    assert other.events.get(action="cancel").note == "改期"
    with pytest.raises(NotFound):
        services.cancel(persona("school_a_owner"), request(persona, units).pk, note="x")
    with pytest.raises(Forbidden):  # the supervisor sees the permit, but may not cancel it
        services.cancel(persona("school_a_owner"), approved(persona, units).pk, note="x")


def test_it_hides_other_schools_permits(persona, units):
    permit = request(persona, units)
    with pytest.raises(NotFound):
        services.reject(persona("uni_head"), permit.pk, note="越权")
    with pytest.raises(NotFound):
        services.load(persona("school_b_teacher"), permit.pk)


def test_it_lists_the_to_dos(persona, units):
    from xiaoan.core.todos import todos_for

    permit = request(persona, units)
    keys = {t.key: t.count for t in todos_for(persona("school_a_officer"))}
    assert keys.get("hotwork_approve") == 1
    assert "hotwork_approve" not in {t.key for t in todos_for(persona("school_a_head"))}
    services.approve(
        persona("school_a_officer"), permit.pk, supervisor=persona("school_a_owner").pk
    )
    owner = {t.key: t.count for t in todos_for(persona("school_a_owner"))}
    assert owner.get("hotwork_start") == 1
    services.start(persona("school_a_owner"), permit.pk, photos=[photo()])
    owner = {t.key: t.count for t in todos_for(persona("school_a_owner"))}
    assert owner.get("hotwork_finish") == 1 and "hotwork_start" not in owner


def test_it_fills_the_demo_once(demo):
    from xiaoan.certificates.demo import load_certificates
    from xiaoan.hotwork.demo import load_hot_work

    assert load_hot_work() == 0  # no welder on file yet
    load_certificates()
    assert load_hot_work() == 3
    assert load_hot_work() == 0
    statuses = sorted(HotWorkPermit.objects.values_list("status", flat=True))
    assert statuses == ["approved", "closed", "requested"]


def test_it_notifies_the_approvers_the_supervisor_and_the_requester(persona, units):
    from xiaoan.notifications.models import Notification

    def inbox(name):
        return list(
            Notification.objects.filter(recipient=persona(name)).values_list("title", flat=True)
        )

    permit = request(persona, units)
    assert any("待审批的动火申请" in t for t in inbox("school_a_officer"))
    assert not any("待审批" in t for t in inbox("school_a_head"))  # not to oneself
    services.approve(
        persona("school_a_officer"), permit.pk, supervisor=persona("school_a_owner").pk
    )
    assert any("请到场监护" in t for t in inbox("school_a_owner"))
    assert any("已批准" in t for t in inbox("school_a_head"))
    other = request(persona, units)
    services.reject(persona("school_a_officer"), other.pk, note="措施不全")
    assert any("驳回" in t for t in inbox("school_a_head"))
