"""The built-in calendar: each event's windows, and the duties it offers (window due rule):
one obligation per window, over the window, due at its end, none outside it."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.activities import calendar
from xiaoan.activities.tests.support import DISTRICT, calendar_duties
from xiaoan.core.errors import Invalid
from xiaoan.duties import services as duties
from xiaoan.duties.models import Obligation
from xiaoan.duties.tests.support import duty

pytestmark = pytest.mark.django_db
D = dt.date


def test_it_gives_each_event_its_windows():
    windows = {e.code: [(p.key, p.start, p.end) for p in e.windows(2026)] for e in calendar.EVENTS}
    # Last Monday of March 2026 is the 30th; a week either side.
    assert windows["safety_day"] == [("2026", D(2026, 3, 23), D(2026, 4, 6))]
    assert calendar.event("safety_day").windows(2027)[0].start == D(2027, 3, 22)  # 29 Mar 2027
    assert windows["national_security"] == [("2026", D(2026, 4, 8), D(2026, 4, 22))]
    assert windows["disaster_prevention"] == [("2026", D(2026, 5, 5), D(2026, 5, 19))]
    assert windows["drowning_prevention"] == [("2026", D(2026, 5, 1), D(2026, 6, 30))]
    assert windows["safety_month"] == [("2026", D(2026, 6, 1), D(2026, 6, 30))]
    assert windows["first_lesson"] == [
        ("2026-spring", D(2026, 2, 15), D(2026, 3, 15)),
        ("2026-autumn", D(2026, 9, 1), D(2026, 9, 30)),
    ]
    assert windows["fire_month"] == [("2026", D(2026, 11, 1), D(2026, 11, 30))]
    assert windows["traffic_day"] == [("2026", D(2026, 11, 25), D(2026, 12, 9))]
    assert calendar.window_of("fire_month", D(2026, 10, 31)) is None
    assert calendar.event("first_lesson").window("2026-autumn").start == D(2026, 9, 1)
    assert calendar.event("first_lesson").window("2026-summer") is None
    assert [e.code for e, _w in calendar.open_on(D(2026, 11, 26))] == ["fire_month", "traffic_day"]
    assert calendar.event("fire_month").current_or_last(D(2026, 1, 5)).key == "2025"


def test_a_year_names_the_window_of_an_event_with_several():
    from xiaoan.activities.services import parse_window

    lesson = calendar.event("first_lesson")
    assert parse_window(lesson, "2026", D(2026, 10, 1)).key == "2026-autumn"
    assert parse_window(lesson, "2026", D(2026, 3, 1)).key == "2026-spring"
    assert parse_window(lesson, "2027", D(2026, 10, 1)).key == "2027-spring"
    assert parse_window(lesson, "", D(2026, 10, 1)).key == "2026-autumn"
    with pytest.raises(Invalid):
        parse_window(lesson, "1999", D(2026, 10, 1))


def test_it_offers_the_calendar_as_builtin_duties(persona, units):
    made = calendar_duties(persona, units)
    assert sorted(made) == sorted(e.code for e in calendar.EVENTS)
    fire = made["fire_month"]
    assert (fire.proof, fire.due_rule, fire.recurrence) == ("activity", "window", "yearly")
    assert "消防宣传月" in fire.proof_label
    # Outside the window: nothing; inside: the window is the period, due at its end.
    assert duties.generate_duty(fire, D(2026, 10, 20)).period is None
    result = duties.generate_duty(fire, D(2026, 11, 3))
    assert result.created == Obligation.objects.filter(duty=fire).count() > 0
    ob = Obligation.objects.filter(duty=fire).first()
    assert (ob.period_key, ob.period_start, ob.period_end, ob.due_on) == (
        "2026", D(2026, 11, 1), D(2026, 11, 30), D(2026, 11, 30),
    )  # fmt: skip
    lesson = made["first_lesson"]
    duties.generate_duty(lesson, D(2026, 3, 1))
    duties.generate_duty(lesson, D(2026, 9, 10))
    keys = set(Obligation.objects.filter(duty=lesson).values_list("period_key", flat=True))
    assert keys == {"2026-spring", "2026-autumn"}
    # The daily job generates the open windows only.
    before = Obligation.objects.filter(duty=made["traffic_day"]).count()
    duties.generate(D(2026, 12, 1), list(made.values()))
    assert Obligation.objects.filter(duty=made["traffic_day"]).count() > before == 0


def test_the_window_rule_needs_a_calendar_event(persona, units):
    with pytest.raises(Invalid) as caught:
        duty(persona, units, due_rule="window")  # proved by inspections
    assert "due_rule" in caught.value.fields
    made = duty(
        persona,
        units,
        issuer=DISTRICT,
        proof="activity",
        proof_code="traffic_day",
        inspection_kind="",
        recurrence="yearly",
        due_rule="window",
    )
    assert duties.period_for(made, D(2026, 12, 2)).end == D(2026, 12, 9)
    with pytest.raises(Invalid) as caught:
        duty(persona, units, proof="activity", proof_code="nonsense", inspection_kind="")
    assert "proof_code" in caught.value.fields
