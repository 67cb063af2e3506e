"""The incident rules: the first report and its two-hour clock, follow-ups, the superior's
classification, the review and its hazards, closing; who is on duty at a moment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.audit.models import AuditEntry
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.incidents import services
from xiaoan.incidents.models import FollowUp, Incident
from xiaoan.incidents.tests.support import (
    SCHOOL_A,
    SCHOOL_B,
    ago,
    classified,
    reported,
    reviewed,
    shift,
)

pytestmark = pytest.mark.django_db


def test_it_reports_an_incident_on_time(persona, units):
    incident = reported(persona, units)
    assert incident.status == "reported" and incident.version == 1 and not incident.late
    assert incident.reported_by == persona("school_a_officer")
    assert [e.action for e in services.events_of(incident)] == ["report"]
    assert AuditEntry.objects.filter(action="create", object_id=str(incident.pk)).exists()


def test_it_marks_a_serious_incident_reported_after_two_hours_late(persona, units):
    late = reported(persona, units, severity="serious", occurred_at=ago(150))
    assert late.late and late.minutes_late == 30
    assert late.deadline == late.occurred_at + dt.timedelta(hours=2)
    on_time = reported(persona, units, severity="serious", occurred_at=ago(110))
    assert not on_time.late and on_time.minutes_late == 0
    # A general incident has no two-hour clock.
    general = reported(persona, units, severity="general", occurred_at=ago(600))
    assert not general.late and general.minutes_late == 0


def test_it_takes_an_earlier_first_report_time(persona, units):
    # Reported by phone within the limit, entered in the system later.
    incident = reported(
        persona, units, severity="serious", occurred_at=ago(300), first_reported_at=ago(250)
    )
    assert not incident.late


def test_it_refuses_bad_reports(persona, units):
    for fields, field in (
        ({"kind": "alien"}, "kind"),
        ({"severity": "huge"}, "severity"),
        ({"occurred_at": ago(-60)}, "occurred_at"),
        ({"first_reported_at": ago(60), "occurred_at": ago(30)}, "first_reported_at"),
        ({"place": " "}, "place"),
        ({"summary": ""}, "summary"),
        ({"injured": -1}, "injured"),
        ({"dead": 10**9}, "dead"),
    ):
        with pytest.raises(Invalid) as refused:
            reported(persona, units, **fields)
        assert field in refused.value.fields, fields


def test_it_scopes_the_report(persona, units):
    officer = persona("school_a_officer")
    values = {"kind": "fire", "occurred_at": ago(5), "place": "食堂", "summary": "油锅起火"}
    with pytest.raises(Invalid):  # another school: not theirs to report for
        services.report(officer, unit=units[SCHOOL_B], **values)
    with pytest.raises(Invalid):
        services.report(officer, unit=10**12, **values)
    with pytest.raises(Forbidden):
        services.report(persona("expert"), unit=units[SCHOOL_A], **values)
    with pytest.raises(Forbidden):
        services.report(persona("school_b_teacher"), unit=units[SCHOOL_B], **values)


def test_it_appends_follow_ups(persona, units):
    incident = reported(persona, units)
    officer = persona("school_a_officer")
    services.follow_up(officer, incident.pk, text="学生已手术，情况稳定", version=1)
    services.follow_up(officer, incident.pk, text="家长情绪平稳")
    texts = [f.text for f in services.follow_ups_of(incident)]
    assert texts == ["学生已手术，情况稳定", "家长情绪平稳"]
    with pytest.raises(Conflict):  # a stale page
        services.follow_up(officer, incident.pk, text="再次续报", version=1)
    with pytest.raises(Invalid):
        services.follow_up(officer, incident.pk, text="  ")
    with pytest.raises(Invalid):
        services.follow_up(officer, incident.pk, text="早于事发", at=ago(60))
    with pytest.raises(NotFound):
        services.follow_up(persona("school_b_teacher"), incident.pk, text="x")
    with pytest.raises(Forbidden):
        services.follow_up(persona("auditor"), incident.pk, text="x")
    assert FollowUp.objects.filter(incident=incident).count() == 2


def test_it_lets_only_the_superior_classify(persona, units):
    incident = reported(persona, units, severity="general", occurred_at=ago(200))
    with pytest.raises(Forbidden):  # the school does not classify its own incident
        services.classify(persona("school_a_head"), incident.pk, classification="liability")
    with pytest.raises(NotFound):
        services.classify(persona("expert"), incident.pk, classification="liability")
    with pytest.raises(Invalid):
        services.classify(persona("district_officer"), incident.pk, classification="x")
    # Raised to serious on classification: now late (reported 200 minutes after).
    done = services.classify(
        persona("district_officer"), incident.pk, classification="liability", severity="serious"
    )
    assert done.status == "classified" and done.late and done.classified_by is not None
    with pytest.raises(Conflict):  # wrong state
        services.classify(persona("district_officer"), incident.pk, classification="liability")


def test_it_reviews_and_turns_findings_into_hazards(persona, units):
    from xiaoan.hazards.models import Hazard

    incident = reviewed(persona, units)
    assert incident.status == "reviewed"
    first, second = services.findings_of(incident)
    assert first.hazard is not None and second.hazard is None
    assert first.hazard.unit == incident.unit and "跑道东侧有坑洼" in first.hazard.description
    officer = persona("school_a_officer")
    row = services.to_hazard(officer, incident.pk, finding=second.pk)
    assert row.hazard is not None
    with pytest.raises(Invalid):  # never twice
        services.to_hazard(officer, incident.pk, finding=second.pk)
    with pytest.raises(Invalid):
        services.to_hazard(officer, incident.pk, finding=10**9)
    assert Hazard.objects.filter(unit=incident.unit, category="事件复盘").count() == 2


def test_it_refuses_a_review_out_of_order_or_empty(persona, units):
    incident = reported(persona, units)
    officer = persona("school_a_officer")
    with pytest.raises(Conflict):
        services.review(officer, incident.pk, summary="还没定性")
    incident = classified(persona, units)
    with pytest.raises(Invalid):
        services.review(officer, incident.pk, summary="")
    with pytest.raises(Invalid):
        services.review(officer, incident.pk, summary="x", findings=["not a row"])
    with pytest.raises(Invalid):
        services.review(officer, incident.pk, summary="x", findings=[{"text": "问题"}] * 31)


def test_it_closes_by_the_superior_and_stops_follow_ups(persona, units):
    incident = reviewed(persona, units)
    with pytest.raises(Forbidden):
        services.close(persona("school_a_head"), incident.pk)
    services.close(persona("district_officer"), incident.pk, note="处置完毕")
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closed_at is not None
    with pytest.raises(Conflict):
        services.follow_up(persona("school_a_officer"), incident.pk, text="结案后续报")
    actions = [e.action for e in services.events_of(incident)]
    assert actions == ["report", "classify", "review", "close"]


def test_it_finds_who_is_on_duty(persona, units):
    day = dt.date(2026, 10, 1)
    tz = timezone.get_current_timezone()
    day_shift = shift(
        persona, units, duty_date=day, starts_at=dt.time(8), ends_at=dt.time(18), name="白班"
    )
    night = shift(
        persona, units, duty_date=day, starts_at=dt.time(18), ends_at=dt.time(8), name="夜班"
    )
    shift(persona, units, SCHOOL_B, duty_date=day, starts_at=dt.time(8), ends_at=dt.time(18))
    at = lambda d, h: dt.datetime.combine(d, dt.time(h), tzinfo=tz)  # noqa: E731
    school = units[SCHOOL_A]
    assert services.on_duty(school, at(day, 9)) == [day_shift]
    assert services.on_duty(school, at(day, 18)) == [night]
    assert services.on_duty(school, at(day + dt.timedelta(days=1), 7)) == [night]
    assert services.on_duty(school, at(day + dt.timedelta(days=1), 8)) == []
    assert services.on_duty(school, at(day, 7)) == []
    # A department's incident: its school's roster.
    department = (
        type(school).objects.filter(path__startswith=school.path, depth=school.depth + 1).first()
    )
    assert services.on_duty(department, at(day, 9)) == [day_shift]


def test_it_asks_a_shift_for_a_phone_or_an_account(persona, units):
    from django.core.exceptions import ValidationError

    from xiaoan.core.errors import ServiceError

    with pytest.raises((ValidationError, ServiceError)):
        shift(persona, units, phone="")


def test_it_lists_the_to_dos(persona, units):
    from xiaoan.incidents.todos import incident_todos

    reported(persona, units)
    keys = {t.key: t.count for t in incident_todos(persona("district_officer"))}
    assert keys == {"incidents.classify": 1}
    assert incident_todos(persona("school_a_officer")) == []
    classified(persona, units)
    keys = {t.key: t.count for t in incident_todos(persona("school_a_officer"))}
    assert keys == {"incidents.review": 1}


def test_it_scopes_the_records(persona, units):
    a = reported(persona, units)
    b = reported(persona, units, SCHOOL_B)
    seen = lambda name: set(Incident.objects.restrict(persona(name)).values_list("pk", flat=True))  # noqa: E731
    assert {a.pk, b.pk} <= seen("district_officer") and {a.pk, b.pk} <= seen("auditor")
    assert a.pk in seen("school_a_head") and b.pk not in seen("school_a_head")
    assert seen("school_b_teacher") == set() and seen("expert") == set()
