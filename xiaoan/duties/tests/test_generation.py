"""Generating obligations: one per bound unit and period, per recurrence; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.duties import builtin, services
from xiaoan.duties.models import Obligation
from xiaoan.duties.tests.support import DISTRICT, SCHOOL_A, duty
from xiaoan.orgs.models import Unit

pytestmark = pytest.mark.django_db


def district_schools(units) -> int:
    return Unit.objects.filter(
        path__startswith=units[DISTRICT].path, kind="school", is_active=True
    ).count()


@pytest.mark.parametrize(
    ("recurrence", "on", "key", "start", "end"),
    [
        ("monthly", "2026-03-10", "2026-03", "2026-03-01", "2026-03-31"),
        ("bimonthly", "2026-04-10", "2026-B2", "2026-03-01", "2026-04-30"),
        ("quarterly", "2026-05-10", "2026-Q2", "2026-04-01", "2026-06-30"),
        ("semester", "2026-10-10", "2026-autumn", "2026-09-01", "2027-01-31"),
        ("semester", "2026-03-10", "2026-spring", "2026-02-01", "2026-07-31"),
        ("half_yearly", "2026-08-10", "2026-H2", "2026-07-01", "2026-12-31"),
        ("yearly", "2026-08-10", "2026", "2026-01-01", "2026-12-31"),
    ],
)
def test_it_generates_one_obligation_per_school_and_period(
    recurrence, on, key, start, end, persona, units
):
    d = duty(persona, units, recurrence=recurrence)
    result = services.generate_duty(d, dt.date.fromisoformat(on))
    obligations = Obligation.objects.filter(duty=d)
    assert result.created == district_schools(units) == obligations.count()
    assert {o.period_key for o in obligations} == {key}
    ob = obligations.first()
    assert (ob.period_start.isoformat(), ob.period_end.isoformat()) == (start, end)
    assert ob.due_on.isoformat() == end


def test_it_is_idempotent(persona, units):
    d = duty(persona, units)
    first = services.generate_duty(d, dt.date(2026, 3, 5))
    again = services.generate_duty(d, dt.date(2026, 3, 20))
    assert first.created > 0 and again.created == 0
    assert Obligation.objects.filter(duty=d).count() == first.created
    services.generate_duty(d, dt.date(2026, 4, 1))
    assert Obligation.objects.filter(duty=d).count() == 2 * first.created


def test_it_generates_nothing_in_august_for_semesters_or_for_stopped_duties(persona, units):
    d = duty(persona, units, recurrence="semester")
    assert services.generate_duty(d, dt.date(2026, 8, 15)).created == 0
    services.stop(persona("district_officer"), d.pk, note="本学期暂停")
    d.refresh_from_db()
    assert services.generate_duty(d, dt.date(2026, 9, 15)).created == 0


def test_it_generates_a_one_off_duty_once_until_its_deadline(persona, units):
    d = duty(
        persona, units, recurrence="once", proof="record", record_kind="summary",
        starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    assert services.generate_duty(d, dt.date(2025, 5, 1)).created == district_schools(units)
    assert services.generate_duty(d, dt.date(2026, 5, 1)).created == 0
    assert services.generate_duty(d, dt.date(2027, 1, 1)).created == 0
    ob = Obligation.objects.filter(duty=d).first()
    assert (ob.period_key, ob.due_on) == ("once", dt.date(2026, 12, 31))


@pytest.mark.parametrize(
    ("rule", "extra", "on", "due"),
    [
        ("fixed_dates", {"due_dates": "06-30,12-31"}, "2026-03-01", "2026-06-30"),
        ("fixed_dates", {"due_dates": "06-30,12-31"}, "2026-09-01", "2026-12-31"),
        ("after_start", {"due_days": 30}, "2026-09-10", "2026-09-30"),
        ("after_end", {"due_days": 10}, "2026-02-10", "2026-04-10"),
    ],
)
def test_it_computes_the_due_date(rule, extra, on, due, persona, units):
    recurrence = "half_yearly" if rule == "fixed_dates" else "semester"
    if rule == "after_end":
        recurrence = "quarterly"
    d = duty(persona, units, recurrence=recurrence, due_rule=rule, **extra)
    services.generate_duty(d, dt.date.fromisoformat(on))
    assert Obligation.objects.filter(duty=d).first().due_on.isoformat() == due


def test_a_school_duty_binds_the_school_itself(persona, units):
    d = duty(persona, units, who="school_a_officer", issuer=SCHOOL_A)
    services.generate_duty(d, dt.date(2026, 3, 1))
    assert list(Obligation.objects.filter(duty=d).values_list("unit__name", flat=True)) == [
        SCHOOL_A
    ]


def test_it_binds_units_of_a_kind(persona, units):
    d = duty(persona, units, target="kind", target_kind="authority")
    services.generate_duty(d, dt.date(2026, 3, 1))
    assert list(Obligation.objects.filter(duty=d).values_list("unit__name", flat=True)) == [
        DISTRICT
    ]


def test_it_creates_the_builtin_duties_once(persona, units):
    officer = persona("district_officer")
    made = builtin.create_builtin_duties(officer, units[DISTRICT])
    assert len(made) == len(builtin.all_builtin())
    assert builtin.create_builtin_duties(officer, units[DISTRICT]) == []
    codes = {d.builtin_code: d for d in made}
    assert codes["supervision_rounds"].inspection_kind == "supervision"
    assert (codes["drill"].proof, codes["drill"].proof_code) == ("drill", "")  # xiaoan.drills
    result = services.generate(dt.date(2026, 11, 25), made)
    # The education calendar's duties (window rule) have a period only in their window.
    assert all(g.period for g in result if g.duty.due_rule != "window")


def test_it_refuses_bad_input_and_foreign_issuers(persona, units):
    from xiaoan.core.errors import Forbidden, Invalid

    with pytest.raises(Invalid) as error:
        duty(persona, units, due_rule="fixed_dates", due_dates="13-40")
    assert "due_dates" in error.value.fields
    with pytest.raises(Invalid) as error:
        duty(persona, units, proof="inspection", inspection_kind="")
    assert "inspection_kind" in error.value.fields
    with pytest.raises(Invalid):
        duty(persona, units, who="school_a_officer", issuer=DISTRICT)
    with pytest.raises(Forbidden):
        duty(persona, units, who="auditor", issuer=DISTRICT)
