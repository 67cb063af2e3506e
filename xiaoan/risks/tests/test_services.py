"""The register's rules: registration and editing in scope, assessment by the unit's method
(stored on each assessment, history kept), measures and their due dates, control checks (a
failed one is a hazard of the ledger linked back to the point; a major one flags the point
for re-assessment at once; the daily job flags later ones), retries and stale versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.hazards.choices import HazardLevel, HazardSource
from xiaoan.hazards.models import Hazard
from xiaoan.risks import reassessment, services
from xiaoan.risks.models import ControlCheck, RiskAssessment, RiskEvent, RiskPoint
from xiaoan.risks.tests.support import (
    SCHOOL_A,
    SCHOOL_B,
    assessed,
    point,
    teacher,
    with_measure,
)

pytestmark = pytest.mark.django_db


def test_it_registers_a_point_ungraded_with_an_event(persona, units):
    made = point(persona, units, owner=persona("school_a_owner").pk)
    assert made.grade == "" and made.status == "active" and made.version == 1
    assert made.owner == persona("school_a_owner")
    assert RiskEvent.objects.filter(riskpoint=made, action="create").exists()


def test_it_refuses_registration_out_of_scope_or_without_right(persona, units):
    with pytest.raises(Invalid):  # School A's officer at School B
        services.create(
            persona("school_a_officer"),
            unit=units[SCHOOL_B],
            name="x",
            domain="fire",
            hazardous_event="y",
        )
    with pytest.raises(Forbidden):
        services.create(
            persona("school_b_teacher"),
            unit=units[SCHOOL_B],
            name="x",
            domain="fire",
            hazardous_event="y",
        )
    with pytest.raises(Invalid) as refused:
        point(persona, units, owner=persona("school_b_teacher").pk)
    assert "owner" in refused.value.fields
    with pytest.raises(Invalid):
        point(persona, units, domain="nope")
    with pytest.raises(Invalid):
        point(persona, units, unit=10**30)


def test_it_assesses_by_the_units_method_and_keeps_the_history(persona, units):
    made = assessed(persona, units, likelihood=4, severity=5)
    assert (made.grade, made.method, made.risk_value) == ("major", "ls", 20)
    officer = persona("school_a_officer")
    services.set_method(officer, units[SCHOOL_A], method="lec")
    # A department follows its school's setting.
    assert services.method_for(units["总务处"]) == "lec"
    with pytest.raises(Invalid):  # LS factors are not LEC values
        services.assess(officer, made.pk, likelihood=4, severity=5)
    services.assess(officer, made.pk, likelihood="1", exposure="6", consequence=7, note="复评")
    made.refresh_from_db()
    assert (made.grade, made.method, made.risk_value) == ("low", "lec", 42)
    rows = list(RiskAssessment.objects.filter(risk_point=made).order_by("assessed_at", "pk"))
    assert [r.method for r in rows] == ["ls", "lec"]
    assert rows[0].grade == "major" and rows[0].severity == 5  # never rewritten


def test_it_refuses_stale_versions_and_other_schools(persona, units):
    made = point(persona, units)
    officer = persona("school_a_officer")
    services.edit(officer, made.pk, version=made.version, name="2号宿舍楼用电")
    with pytest.raises(Conflict):
        services.edit(officer, made.pk, version=made.version, name="3号宿舍楼用电")
    with pytest.raises(Conflict):
        services.assess(officer, made.pk, likelihood=1, severity=1, version=0)
    with pytest.raises(NotFound):
        services.assess(persona("uni_security"), made.pk, likelihood=1, severity=1)
    with pytest.raises(NotFound):
        services.assess(officer, 10**30, likelihood=1, severity=1)
    with pytest.raises(NotFound):
        services.assess(officer, -5, likelihood=1, severity=1)
    with pytest.raises(Forbidden):  # the auditor sees it, may not assess
        services.assess(persona("auditor"), made.pk, likelihood=1, severity=1)
    services.set_method(officer, units[SCHOOL_A], method="lec", version=0)
    with pytest.raises(Conflict):
        services.set_method(officer, units[SCHOOL_A], method="ls", version=0)
    services.set_method(officer, units[SCHOOL_A], method="ls", version=1)


def test_it_computes_due_dates_from_the_frequency():
    day = dt.date(2026, 1, 31)
    assert services.add_period(day, "daily") == dt.date(2026, 2, 1)
    assert services.add_period(day, "weekly") == dt.date(2026, 2, 7)
    assert services.add_period(day, "monthly") == dt.date(2026, 2, 28)
    assert services.add_period(day, "quarterly") == dt.date(2026, 4, 30)
    assert services.add_period(day, "semester") == dt.date(2026, 7, 31)
    assert services.add_period(dt.date(2024, 2, 29), "yearly") == dt.date(2025, 2, 28)


def test_it_gives_a_measure_to_a_person_of_the_school_only(persona, units):
    made, measure = with_measure(persona, units, frequency="weekly")
    assert measure.next_due == timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(Invalid):
        services.add_measure(
            persona("school_a_officer"),
            made.pk,
            kind="management",
            text="x",
            level="post",
            owner=persona("uni_security").pk,
            frequency="daily",
        )


def test_it_records_a_passed_check_and_moves_the_due_date(persona, units):
    made, measure = with_measure(persona, units)
    checker = teacher(units)
    check = services.record_check(checker, made.pk, measure=measure.pk, result="passed")
    measure.refresh_from_db()
    assert check.hazard is None
    assert measure.next_due == timezone.localdate() + dt.timedelta(days=1)
    assert measure.last_checked_at is not None


def test_it_turns_a_failed_check_into_a_linked_hazard(persona, units):
    made, measure = with_measure(persona, units)
    checker = teacher(units)
    with pytest.raises(Invalid):  # a failure says what is wrong
        services.record_check(checker, made.pk, measure=measure.pk, result="failed")
    check = services.record_check(
        checker, made.pk, measure=measure.pk, result="failed", note="302 室使用电热毯"
    )
    hazard = check.hazard
    assert hazard.source == HazardSource.RISK_CHECK and hazard.unit_id == made.unit_id
    assert hazard.domain == "electricity" and "1号学生宿舍楼用电" in hazard.description
    assert list(reassessment.linked_hazards(made)) == [hazard]
    from xiaoan.hazards.origins import origin_of

    _text, link = origin_of(persona("school_a_officer"), hazard)
    assert f"/risks/{made.pk}/" in link
    assert origin_of(persona("uni_security"), hazard) is None
    made.refresh_from_db()
    assert not made.reassessment_due  # a general hazard


def test_it_retries_a_check_once(persona, units):
    made, measure = with_measure(persona, units)
    checker = teacher(units)
    first = services.record_check(
        checker, made.pk, measure=measure.pk, result="failed", note="x", idempotency_key="k1"
    )
    again = services.record_check(
        checker, made.pk, measure=measure.pk, result="failed", note="x", idempotency_key="k1"
    )
    assert first.pk == again.pk
    assert ControlCheck.objects.filter(risk_point=made).count() == 1
    assert Hazard.objects.filter(source=HazardSource.RISK_CHECK, unit=made.unit).count() == 1


def test_it_lets_only_the_measures_person_or_a_checker_record(persona, units):
    made, measure = with_measure(persona, units)
    other = teacher(units, "another_teacher")
    with pytest.raises(NotFound):  # no grant, no measure: the point is not theirs to see
        services.record_check(other, made.pk, measure=measure.pk, result="passed")
    with pytest.raises(NotFound):
        services.record_check(persona("uni_security"), made.pk, measure=measure.pk, result="passed")
    # The school's officer holds the check right at the school.
    services.record_check(persona("school_a_officer"), made.pk, measure=measure.pk, result="passed")
    with pytest.raises(Invalid):
        services.record_check(teacher(units), made.pk, measure=10**30, result="passed")


def test_it_flags_reassessment_when_the_checks_hazard_is_major(persona, units):
    made, measure = with_measure(persona, units)
    check = services.record_check(
        teacher(units),
        made.pk,
        measure=measure.pk,
        result="failed",
        note="宿舍楼疏散楼梯被上锁，安全出口封堵",
    )
    made.refresh_from_db()
    if HazardLevel.MAJOR in (check.hazard.level, check.hazard.suggested_level):
        assert made.reassessment_due
    else:  # the criteria did not suggest 重大: confirm it as such and let the job find it
        Hazard.objects.filter(pk=check.hazard_id).update(level=HazardLevel.MAJOR)
        assert reassessment.flag_reassessments() == 1
        made.refresh_from_db()
        assert made.reassessment_due
    assert made.reassessment_reason
    from xiaoan.risks.todos import to_reassess

    assert made in to_reassess(persona("school_a_officer"))
    services.assess(persona("school_a_officer"), made.pk, likelihood=4, severity=4)
    made.refresh_from_db()
    assert not made.reassessment_due
    assert reassessment.flag_reassessments() == 0  # the hazard predates the new assessment


def test_it_flags_recurring_hazards_in_the_daily_job(persona, units):
    made, measure = with_measure(persona, units)
    check = services.record_check(
        teacher(units), made.pk, measure=measure.pk, result="failed", note="插线板私接"
    )
    assert reassessment.flag_reassessments() == 0
    Hazard.objects.filter(pk=check.hazard_id).update(is_recurring=True, level="general")
    RiskPoint.objects.filter(pk=made.pk).update(reassessment_due=False)
    from xiaoan.risks.tasks import daily_risk_pass

    assert daily_risk_pass.call_local() == {"flagged": 1}
    made.refresh_from_db()
    assert made.reassessment_due and "屡查屡犯" in made.reassessment_reason
    assert reassessment.flag_reassessments() == 0  # once


def test_it_lists_due_checks_as_the_owners_todo(persona, units):
    made, measure = with_measure(persona, units)
    checker = teacher(units)
    from xiaoan.core.todos import todos_for

    assert not [t for t in todos_for(checker) if t.key == "risks.checks"]
    RiskPoint.objects.none()
    measure.next_due = timezone.localdate() - dt.timedelta(days=2)
    measure.save()
    from django.core.cache import cache

    cache.clear()
    found = [t for t in todos_for(checker) if t.key == "risks.checks"]
    assert found and found[0].count == 1 and found[0].late == 1
    services.retire(persona("school_a_officer"), made.pk, note="宿舍楼拆除")
    cache.clear()
    assert not [t for t in todos_for(checker) if t.key == "risks.checks"]


def test_it_retires_and_restores_with_state_checks(persona, units):
    made = point(persona, units)
    officer = persona("school_a_officer")
    with pytest.raises(Invalid):
        services.retire(officer, made.pk, note="")
    services.retire(officer, made.pk, note="停用")
    with pytest.raises(Conflict):
        services.assess(officer, made.pk, likelihood=1, severity=1)
    services.restore(officer, made.pk)
    made.refresh_from_db()
    assert made.status == "active"


def test_it_hands_a_measure_to_another_person(persona, units):
    made, measure = with_measure(persona, units, frequency="daily")
    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    row = services.change_measure(
        officer, made.pk, measure=measure.pk, owner=owner.pk, frequency="weekly", level="post"
    )
    assert row.owner == owner and row.next_due == timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(Invalid):  # nothing changed
        services.change_measure(
            officer, made.pk, measure=measure.pk, owner=owner.pk, frequency="weekly", level="post"
        )
    with pytest.raises(Invalid):  # not a person of the school
        services.change_measure(
            officer,
            made.pk,
            measure=measure.pk,
            owner=persona("uni_security").pk,
            frequency="weekly",
            level="post",
        )
    # The former owner no longer sees the point; the new one checks it.
    with pytest.raises(NotFound):
        services.record_check(teacher(units), made.pk, measure=measure.pk, result="passed")
    services.record_check(owner, made.pk, measure=measure.pk, result="passed")
