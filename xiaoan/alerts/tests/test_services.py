"""Scenarios of 预警处置 at the service level: raising and dedup, the lifecycle to closure,
escalation and re-ringing with a given `now`, silences, rules firing once per thing and
period, a bureau's warning fanned out to its schools, and an alert turned into a hazard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.alerts import bulletins, rules, services, silences
from xiaoan.alerts.choices import AlertAction, AlertOrigin, AlertStatus, Disposition
from xiaoan.alerts.conditions import Finding
from xiaoan.alerts.models import Alert, RuleFiring
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound

from .support import DISTRICT, FOUND, SCHOOL_A, SCHOOL_B, smoke, told

pytestmark = pytest.mark.django_db


def test_it_raises_once_and_counts_repeats_while_open(units, persona):
    officer = persona("school_a_officer")
    alert, created = smoke(units)
    assert created and alert.status == AlertStatus.RAISED and alert.repeats == 0
    assert told(officer, alert) == 1
    again, created_again = smoke(units)
    assert not created_again and again.pk == alert.pk and again.repeats == 1
    assert told(officer, alert) == 1  # a repeat is no new notice
    assert Alert.objects.filter(unit=units[SCHOOL_A], kind="smoke").count() == 1
    assert alert.events.filter(action=AlertAction.RAISE).count() == 1
    # Another sensor is another alert.
    other, created_other = smoke(units, labels={"sensor": "B3-3F-08"})
    assert created_other and other.pk != alert.pk


def test_it_takes_a_new_alert_after_the_old_one_closed(units, persona):
    officer = persona("school_a_officer")
    alert, _ = smoke(units, fingerprint="dev-1")
    services.acknowledge(officer, alert.pk, note="已到现场")
    services.handle(officer, alert.pk, disposition=Disposition.FALSE_ALARM, note="厨房油烟，误报")
    services.close(officer, alert.pk)
    fresh, created = smoke(units, fingerprint="dev-1")
    assert created and fresh.pk != alert.pk


def test_it_walks_the_lifecycle_with_who_when_and_note(units, persona):
    officer = persona("school_a_officer")
    alert, _ = smoke(units)
    alert = services.acknowledge(officer, alert.pk, note="已知悉", version=alert.version)
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == officer
    alert = services.handle(
        officer, alert.pk, disposition=Disposition.FIXED, note="更换故障烟感", version=alert.version
    )
    assert alert.status == AlertStatus.HANDLED and alert.measures == "更换故障烟感"
    alert = services.close(officer, alert.pk, note="复核正常")
    assert alert.status == AlertStatus.CLOSED and alert.closed_by == officer
    steps = list(alert.events.order_by("pk").values_list("action", "actor", "note"))
    assert [s[0] for s in steps] == ["raise", "acknowledge", "handle", "close"]
    assert steps[2] == ("handle", officer.pk, "更换故障烟感")


def test_it_refuses_wrong_states_stale_versions_and_missing_notes(units, persona):
    officer = persona("school_a_officer")
    alert, _ = smoke(units)
    with pytest.raises(Conflict):
        services.close(officer, alert.pk)
    with pytest.raises(Conflict):
        services.acknowledge(officer, alert.pk, version=alert.version + 5)
    with pytest.raises(Invalid):
        services.handle(officer, alert.pk, disposition=Disposition.FIXED, note="  ")
    with pytest.raises(Invalid):
        services.handle(officer, alert.pk, disposition="bogus", note="x")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RAISED


def test_it_scopes_the_steps(units, persona):
    alert, _ = smoke(units, name=SCHOOL_B)
    with pytest.raises(NotFound):
        services.acknowledge(persona("school_a_officer"), alert.pk)
    with pytest.raises(Forbidden):
        services.acknowledge(persona("auditor"), alert.pk)
    with pytest.raises(NotFound):
        services.acknowledge(persona("school_a_officer"), 2**70)
    # The district's officer may act for its schools.
    services.acknowledge(persona("district_officer"), alert.pk)


def test_it_answers_a_retried_step_once(units, persona):
    officer = persona("school_a_officer")
    alert, _ = smoke(units)
    first = services.acknowledge(
        officer, alert.pk, version=alert.version, idempotency_key="k1", fingerprint="f"
    )
    again = services.acknowledge(
        officer, alert.pk, version=alert.version, idempotency_key="k1", fingerprint="f"
    )
    assert again.pk == first.pk
    assert first.events.filter(action=AlertAction.ACKNOWLEDGE).count() == 1


def test_it_turns_an_alert_into_a_hazard_linked_both_ways(units, persona):
    from xiaoan.hazards.choices import HazardSource
    from xiaoan.hazards.origins import origin_of

    officer = persona("school_a_officer")
    alert, _ = smoke(units)
    alert = services.handle(
        officer,
        alert.pk,
        disposition=Disposition.HAZARD,
        note="线路老化，需整改",
        hazard_description="3号楼3层电气线路老化",
    )
    hazard = alert.hazard
    assert hazard is not None and hazard.source == HazardSource.ALERT
    assert hazard.unit_id == units[SCHOOL_A].pk and hazard.description == "3号楼3层电气线路老化"
    text, url = origin_of(officer, hazard)
    assert alert.title in text and url.endswith(f"/alerts/{alert.pk}/")
    assert alert.events.get(action=AlertAction.HANDLE).data["hazard"] == hazard.pk


def test_it_passes_an_alert_to_another_unit_in_scope(units, persona):
    district = persona("district_officer")
    alert, _ = smoke(units)
    with pytest.raises(Invalid):  # outside the school officer's scope
        services.handle(
            persona("school_a_officer"),
            alert.pk,
            disposition=Disposition.TRANSFERRED,
            note="属东沟",
            unit=units[SCHOOL_B].pk,
        )
    alert = services.handle(
        district, alert.pk, disposition=Disposition.TRANSFERRED, note="属东沟", unit=units[SCHOOL_B]
    )
    assert alert.unit_id == units[SCHOOL_B].pk and alert.status == AlertStatus.RAISED
    assert alert.events.filter(action=AlertAction.TRANSFER).exists()
    with pytest.raises(NotFound):
        services.load(persona("school_a_officer"), alert.pk)


def test_it_escalates_an_unacknowledged_alert_once(units, persona):
    district = persona("district_officer")
    alert, _ = smoke(units)  # warning: two hours to acknowledge
    now = timezone.now()
    assert services.escalate_overdue(now + dt.timedelta(hours=1)) == 0
    assert services.escalate_overdue(now + dt.timedelta(hours=3)) == 1
    alert.refresh_from_db()
    assert alert.escalated_to == units[DISTRICT] and alert.escalated_at is not None
    assert told(district, alert) == 1
    assert alert.events.filter(action=AlertAction.ESCALATE).count() == 1
    assert services.escalate_overdue(now + dt.timedelta(hours=5)) == 0
    # An acknowledged alert is never escalated.
    other, _ = smoke(units, labels={"sensor": "x"})
    services.acknowledge(persona("school_a_officer"), other.pk)
    assert services.escalate_overdue(now + dt.timedelta(hours=9)) == 0


def test_it_rings_a_critical_alert_again_until_acknowledged(units, persona):
    officer = persona("school_a_officer")
    alert, _ = smoke(units, severity="critical")
    assert told(officer, alert) == 1
    now = timezone.now()
    assert services.rering_critical(now + dt.timedelta(minutes=5)) == 0
    assert services.rering_critical(now + dt.timedelta(minutes=16)) == 1
    assert services.rering_critical(now + dt.timedelta(minutes=20)) == 0  # not yet again
    assert services.rering_critical(now + dt.timedelta(minutes=32)) == 1
    assert told(officer, alert) == 3
    services.acknowledge(officer, alert.pk)
    assert services.rering_critical(now + dt.timedelta(hours=2)) == 0
    # A warning is not rung again.
    smoke(units, labels={"sensor": "w"})
    assert services.rering_critical(now + dt.timedelta(hours=3)) == 0


def test_it_records_but_does_not_tell_silenced_alerts(units, persona):
    officer, district = persona("school_a_officer"), persona("district_officer")
    now = timezone.now()
    silence = silences.create_silence(
        district,
        unit=units[DISTRICT].pk,
        starts_at=None,
        ends_at=now + dt.timedelta(hours=4),
        reason="消防系统年检",
        kind="smoke",
        matchers={"sensor": "B3-3F-07"},
    )
    alert, created = smoke(units)
    assert created and alert.silenced_by == silence
    assert told(officer, alert) == 0
    # Not matching labels: told.
    loud, _ = smoke(units, labels={"sensor": "B3-3F-99"})
    assert loud.silenced_by is None and told(officer, loud) == 1
    # Escalation of a silenced alert tells nobody.
    services.escalate_overdue(now + dt.timedelta(hours=3))
    assert told(district, alert) == 0
    # Ended early: the next alert is told again.
    silences.end_silence(district, silence.pk)
    services.acknowledge(officer, alert.pk)
    services.handle(officer, alert.pk, disposition=Disposition.FALSE_ALARM, note="年检测试")
    services.close(officer, alert.pk)
    after, _ = smoke(units)
    assert after.silenced_by is None and told(officer, after) == 1


def test_it_refuses_bad_silences(units, persona):
    district, now = persona("district_officer"), timezone.now()
    base = {"unit": units[DISTRICT].pk, "starts_at": None, "reason": "维护"}
    with pytest.raises(Invalid):
        silences.create_silence(district, ends_at=now - dt.timedelta(minutes=1), **base)
    with pytest.raises(Invalid):
        silences.create_silence(district, ends_at=now + dt.timedelta(days=200), **base)
    with pytest.raises(Invalid):
        silences.create_silence(
            district, ends_at=now + dt.timedelta(hours=1), matchers={"a": {"b": 1}}, **base
        )
    with pytest.raises(Invalid):  # another district's unit, or none at all
        silences.create_silence(
            persona("school_a_officer"),
            ends_at=now + dt.timedelta(hours=1),
            **{**base, "unit": units[SCHOOL_B].pk},
        )
    with pytest.raises(Forbidden):
        silences.create_silence(persona("auditor"), ends_at=now + dt.timedelta(hours=1), **base)


def test_it_refuses_nested_or_huge_labels(units):
    with pytest.raises(Invalid):
        smoke(units, labels={"a": {"b": {"c": 1}}})
    with pytest.raises(Invalid):
        smoke(units, labels={f"k{i}": i for i in range(100)})
    with pytest.raises(Invalid):
        smoke(units, labels=["not", "a", "map"])
    with pytest.raises(Invalid):
        smoke(units, labels={"k": "x" * 500})


# ---------------------------------------------------------------- rules


def test_it_fires_a_rule_once_per_key_and_period(units, persona, rule_condition):
    district = persona("district_officer")
    rule = rules.create_rule(
        district,
        owner=units[DISTRICT].pk,
        name="测试超期",
        condition="test_overdue",
        thresholds={"days": 5},
        severity="critical",
        roles=["unit_head"],
    )
    assert rule.thresholds == {"days": 5}
    FOUND[:] = [
        Finding(units[SCHOOL_A].pk, "thing:1", "2026-12", "某事项已超期"),
        Finding(units[SCHOOL_B].pk, "thing:2", "2026-12", "另一事项已超期"),
    ]
    today = dt.date(2026, 12, 6)
    assert rules.evaluate_rules(today)["fired"] == 2
    assert rules.evaluate_rules(today)["fired"] == 0  # the same period: never again
    alert = Alert.objects.get(rule=rule, unit=units[SCHOOL_A])
    assert alert.origin == AlertOrigin.RULE and alert.severity == "critical"
    # Only the head is told (the rule's roles), not the safety officer.
    assert told(persona("school_a_head"), alert) == 1
    assert told(persona("school_a_officer"), alert) == 0
    FOUND[:] = [Finding(units[SCHOOL_A].pk, "thing:1", "2027-01", "某事项已超期")]
    assert rules.evaluate_rules(dt.date(2027, 1, 6))["fired"] == 1
    assert RuleFiring.objects.filter(rule=rule).count() == 3
    rules.deactivate_rule(district, rule.pk)
    FOUND[:] = [Finding(units[SCHOOL_A].pk, "thing:9", "2027-02", "x")]
    assert rules.evaluate_rules(dt.date(2027, 2, 6))["fired"] == 0


def test_it_keeps_a_rule_inside_its_owner_subtree(units, persona, rule_condition):
    officer = persona("school_a_officer")
    rules.create_rule(officer, owner=units[SCHOOL_A].pk, name="本校", condition="test_overdue")
    FOUND[:] = [Finding(units[SCHOOL_B].pk, "thing:3", "2026-12", "别校事项")]
    assert rules.evaluate_rules(dt.date(2026, 12, 6))["fired"] == 0


def test_it_validates_rule_thresholds_and_roles(units, persona, rule_condition):
    district = persona("district_officer")
    base = {"owner": units[DISTRICT].pk, "name": "r", "condition": "test_overdue"}
    for bad in ({"weeks": 1}, {"days": -1}, {"days": {"x": 1}}, {"days": 10**9}, ["days"]):
        with pytest.raises(Invalid):
            rules.create_rule(district, thresholds=bad, **base)
    with pytest.raises(Invalid):
        rules.create_rule(district, roles=["system_admin"], **base)
    with pytest.raises(Invalid):
        rules.create_rule(district, **{**base, "condition": "nope"})
    with pytest.raises(Invalid):
        rules.create_rule(persona("school_a_officer"), **{**base, "owner": units[DISTRICT].pk})
    with pytest.raises(Forbidden):
        rules.create_rule(persona("auditor"), **base)


# ---------------------------------------------------------------- posted warnings


def test_it_posts_a_warning_to_every_school_below_the_bureau(units, persona):
    from xiaoan.orgs.models import Unit

    district = persona("district_officer")
    bulletin = bulletins.post_warning(
        district,
        unit=units[DISTRICT].pk,
        kind="rainstorm",
        severity="critical",
        title="暴雨红色预警",
        detail="停止户外活动，检查排水",
        idempotency_key="post-1",
        fingerprint="fp",
    )
    schools = Unit.objects.filter(
        path__startswith=units[DISTRICT].path, kind="school", is_active=True
    ).count()
    assert bulletin.schools == schools and bulletin.alerts.count() == schools
    assert told(persona("school_a_head")) >= 1
    # A retry posts nothing more; the same key for another request is refused.
    again = bulletins.post_warning(
        district,
        unit=units[DISTRICT].pk,
        kind="rainstorm",
        title="暴雨红色预警",
        idempotency_key="post-1",
        fingerprint="fp",
    )
    assert again.pk == bulletin.pk and Alert.objects.filter(bulletin=bulletin).count() == schools
    from xiaoan.core.idempotency import IdempotencyMismatch

    with pytest.raises(IdempotencyMismatch):
        bulletins.post_warning(
            district,
            unit=units[DISTRICT].pk,
            kind="heat",
            title="高温",
            idempotency_key="post-1",
            fingerprint="other",
        )
    # School A acknowledges and records its measures; the poster sees the progress.
    officer = persona("school_a_officer")
    mine = bulletin.alerts.get(unit=units[SCHOOL_A])
    services.acknowledge(officer, mine.pk)
    services.handle(officer, mine.pk, disposition=Disposition.FIXED, note="已停课一天，疏通排水沟")
    progress = bulletins.progress_of(bulletin)
    assert progress["acknowledged"] == 1 and progress["handled"] == 1
    assert progress["counts"]["raised"] == schools - 1


def test_it_refuses_a_warning_from_a_school(units, persona):
    with pytest.raises(Invalid):
        bulletins.post_warning(
            persona("school_a_head"), unit=units[SCHOOL_A].pk, kind="heat", title="高温"
        )
    with pytest.raises(Forbidden):
        bulletins.post_warning(persona("auditor"), unit=units[DISTRICT].pk, kind="heat", title="x")


def test_it_loads_the_demo_alerts_once(units):
    from xiaoan.alerts.demo import load_alerts

    made = load_alerts()
    assert made >= 13 and load_alerts() == 0
    smoke_alert = Alert.objects.get(kind="smoke")
    assert smoke_alert.repeats == 2


def test_it_goes_on_when_one_condition_breaks(units, persona, rule_condition):
    from xiaoan.alerts.conditions import CONDITIONS, Condition

    def broken(today, thresholds, within):
        raise RuntimeError("boom")

    bad = Condition("test_broken", "坏条件", broken)
    CONDITIONS.register(bad)
    try:
        district, owner = persona("district_officer"), units[DISTRICT].pk
        rules.create_rule(district, owner=owner, name="坏", condition="test_broken")
        rules.create_rule(district, owner=owner, name="好", condition="test_overdue")
        FOUND[:] = [Finding(units[SCHOOL_A].pk, "thing:5", "2026-12", "事项")]
        result = rules.evaluate_rules(dt.date(2026, 12, 6))
        assert result == {"fired": 1, "skipped": 1}
    finally:
        CONDITIONS._functions.remove(bad)
