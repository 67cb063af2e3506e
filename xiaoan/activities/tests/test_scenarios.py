"""An activity proves the event's obligation at once; without one the obligation is missed;
the record's rules (window, idempotency, history, photos); who did and who did not against
the records; the to-dos; the dashboard figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from xiaoan.activities import services
from xiaoan.activities.models import Activity
from xiaoan.activities.tests.support import (
    DISTRICT,
    SCHOOL_A,
    SCHOOL_B,
    at,
    calendar_duties,
    photo,
    record,
)
from xiaoan.core.errors import Conflict, Forbidden, Invalid
from xiaoan.core.history import entries_for
from xiaoan.core.idempotency import IdempotencyMismatch
from xiaoan.core.todos import todos_for
from xiaoan.duties import services as duties
from xiaoan.duties.models import Obligation
from xiaoan.orgs.models import Unit

pytestmark = pytest.mark.django_db
D = dt.date


def test_it_meets_the_obligation_when_the_activity_is_recorded(persona, units, monkeypatch):
    fire = calendar_duties(persona, units)["fire_month"]
    duties.generate_duty(fire, D(2026, 11, 2))
    at(monkeypatch, D(2026, 11, 10))
    activity = record(persona, units, SCHOOL_A, photos=[photo(), photo("b.jpg")])
    assert activity.window_key == "2026" and activity.photos.count() == 2
    a = Obligation.objects.get(duty=fire, unit=units[SCHOOL_A])
    b = Obligation.objects.get(duty=fire, unit=units[SCHOOL_B])
    # At once, without the nightly evaluation.
    assert (a.status, a.met_by) == ("met", "开展教育活动 1 次")
    assert b.status == "pending"
    # Another event's activity, or the school's own, does not prove it.
    record(persona, units, SCHOOL_A, who="district_officer", event="", held_on=D(2026, 11, 9))
    at(monkeypatch, D(2026, 11, 26))
    record(persona, units, SCHOOL_B, who="district_officer", event="traffic_day",
           held_on=D(2026, 11, 26))  # fmt: skip
    assert Obligation.objects.get(pk=b.pk).status == "pending"
    # The window closed without one: missed.
    at(monkeypatch, D(2026, 12, 1))
    duties.evaluate()
    assert Obligation.objects.get(pk=b.pk).status == "missed"
    assert Obligation.objects.get(pk=a.pk).status == "met"


def test_an_activity_recorded_after_the_due_date_does_not_count(persona, units, monkeypatch):
    fire = calendar_duties(persona, units)["fire_month"]
    duties.generate_duty(fire, D(2026, 11, 2))
    at(monkeypatch, D(2026, 12, 3))  # held in November, recorded in December
    record(persona, units, SCHOOL_A, held_on=D(2026, 11, 20))
    assert Obligation.objects.get(duty=fire, unit=units[SCHOOL_A]).status == "missed"


def test_it_refuses_a_date_outside_the_events_window_and_bad_fields(persona, units, monkeypatch):
    at(monkeypatch, D(2026, 11, 10))
    with pytest.raises(Invalid) as caught:
        record(persona, units, held_on=D(2026, 10, 30))
    assert "held_on" in caught.value.fields and "11月" in caught.value.fields["held_on"][0]
    with pytest.raises(Invalid) as caught:
        record(persona, units, held_on=D(2026, 11, 11))  # tomorrow
    assert "held_on" in caught.value.fields
    with pytest.raises(Invalid) as caught:
        record(persona, units, title=" ", participants=0, kind="dance", event="nonsense")
    assert {"title", "participants", "kind", "event"} <= set(caught.value.fields)
    with pytest.raises(Invalid) as caught:  # another school than one's own
        record(persona, units, SCHOOL_B)
    assert "unit" in caught.value.fields
    with pytest.raises(Forbidden):
        record(persona, units, who="auditor")
    assert not Activity.objects.exists()


def test_a_retry_records_once_and_a_changed_retry_is_refused(persona, units, monkeypatch):
    at(monkeypatch, D(2026, 11, 10))
    first = record(persona, units, idempotency_key="k1", fingerprint="f1")
    again = record(persona, units, idempotency_key="k1", fingerprint="f1")
    assert again.pk == first.pk and again.replayed
    with pytest.raises(IdempotencyMismatch):
        record(persona, units, idempotency_key="k1", fingerprint="f2")
    assert Activity.objects.count() == 1


def test_it_keeps_the_history_of_changes(persona, units, monkeypatch):
    at(monkeypatch, D(2026, 11, 10))
    activity = record(persona, units)
    officer = persona("school_a_officer")
    changed = services.update(officer, activity.pk, version=1, participants=420, title="119 演练")
    assert (changed.participants, changed.version) == (420, 2)
    with pytest.raises(Conflict):
        services.update(officer, activity.pk, version=1, participants=10)
    with pytest.raises(Forbidden):
        services.update(persona("auditor"), activity.pk, participants=10)
    entries = entries_for(changed)
    assert len(entries) == 2
    fields = {c.field for c in entries[0].changes} | {c.field for c in entries[-1].changes}
    assert "参加人数" in fields and "活动主题" in fields
    assert not {"idempotency key", "version"} & fields  # bookkeeping, not history
    added = services.add_photos(officer, activity.pk, [photo()])
    assert len(added) == 1 and changed.photos.count() == 1


def _spread(persona, units, monkeypatch):
    """Fire month: School A twice, School B once, the university (another tree) once."""
    at(monkeypatch, D(2026, 11, 20))
    record(persona, units, SCHOOL_A)
    record(persona, units, SCHOOL_A, held_on=D(2026, 11, 12))
    record(persona, units, SCHOOL_B, who="district_officer")
    record(persona, units, "鄂州职业大学", who="uni_security")
    record(persona, units, SCHOOL_B, who="district_officer", event="", held_on=D(2026, 11, 2))


def test_it_shows_who_did_and_who_did_not_against_the_records(
    persona, units, monkeypatch, django_assert_max_num_queries
):
    _spread(persona, units, monkeypatch)
    officer = persona("district_officer")
    district = units[DISTRICT]
    with django_assert_max_num_queries(6):
        cover = services.coverage(officer, "fire_month", "2026", district.pk)
    schools = Unit.objects.filter(path__startswith=district.path, kind="school", is_active=True)
    done = (
        Activity.objects.filter(unit__in=schools, event="fire_month", held_on__year=2026)
        .values("unit")
        .distinct()
        .count()
    )
    assert (cover.total, cover.done, cover.missing) == (schools.count(), done, schools.count() - 2)
    assert done == 2
    assert sum(b.total for b in cover.branches) == cover.total
    assert {b.name: b.done for b in cover.branches}[SCHOOL_A] == 1
    rows = list(services.schools_of(officer, district, cover.event, cover.window))
    counts = dict(
        Activity.objects.filter(event="fire_month").values_list("unit").annotate(n=Count("pk"))
    )
    assert {s.pk: s.activity_count for s in rows if s.activity_count} == {
        units[SCHOOL_A].pk: counts[units[SCHOOL_A].pk], units[SCHOOL_B].pk: 1,
    }  # fmt: skip
    # The city sees the district as one branch, the university as another.
    city = services.coverage(officer, "fire_month", "2026")  # the officer's top unit
    assert city.root == district
    # A school's officer sees their school alone; another unit is out of scope.
    mine = services.coverage(persona("school_a_officer"), "fire_month", "2026")
    assert (mine.total, mine.done, mine.root) == (1, 1, units[SCHOOL_A])
    from xiaoan.core.errors import NotFound

    with pytest.raises(NotFound):
        services.coverage(persona("school_a_officer"), "fire_month", "2026", district.pk)
    with pytest.raises(Invalid):
        services.coverage(officer, "fire_month", "2026-winter")
    with pytest.raises(Invalid):
        services.coverage(officer, "nonsense")


def test_it_asks_the_school_when_an_event_is_open_and_nothing_was_recorded(
    persona, units, monkeypatch
):
    at(monkeypatch, D(2026, 11, 10))
    officer = persona("school_a_officer")
    [todo] = [t for t in todos_for(officer) if t.key == "activities.open"]
    assert todo.count == 1 and "event=fire_month" in todo.url
    # A bureau's officer is not handed every school's work.
    assert not [t for t in todos_for(persona("district_officer")) if t.key == "activities.open"]
    record(persona, units)
    assert not [t for t in todos_for(officer) if t.key == "activities.open"]
    # School B's obligation for the event is the duties' to-do, not a second one.
    Activity.objects.all().delete()
    fire = calendar_duties(persona, units)["fire_month"]
    duties.generate_duty(fire, D(2026, 11, 2))
    head = persona("school_a_head")
    keys = {t.key for t in todos_for(head)}
    assert "duties.record" in keys and "activities.open" not in keys
    Obligation.objects.all().delete()
    assert [t for t in todos_for(persona("school_a_head")) if t.key == "activities.open"]
    at(monkeypatch, D(2026, 10, 10))  # no window open
    assert not [t for t in todos_for(persona("school_a_head")) if t.key == "activities.open"]


def test_the_dashboard_figures_match_the_records(persona, units, monkeypatch):
    from xiaoan.activities.figures import activity_section
    from xiaoan.reports.figures import Scope

    _spread(persona, units, monkeypatch)
    officer = persona("district_officer")
    district = units[DISTRICT]
    section = activity_section(Scope(officer, district, True, D(2026, 11, 20)))
    figures = {f.key: f.value for f in section.figures}
    in_district = Activity.objects.filter(unit__path__startswith=district.path)
    assert figures["year"] == in_district.filter(held_on__year=2026).count() == 4
    cover = services.coverage(officer, "fire_month", "2026", district.pk)
    assert (figures["done"], figures["missing"]) == (cover.done, cover.missing)
    assert activity_section(Scope(persona("school_b_teacher"), units[SCHOOL_B], False,
                                  D(2026, 11, 20))) is None  # fmt: skip


def test_the_obligation_page_lists_the_activities_that_proved_it(
    persona, units, monkeypatch, client_for
):
    from django.urls import reverse

    fire = calendar_duties(persona, units)["fire_month"]
    duties.generate_duty(fire, D(2026, 11, 2))
    at(monkeypatch, D(2026, 11, 10))
    activity = record(persona, units, SCHOOL_A, title="119 疏散演练观摩")
    ob = Obligation.objects.get(duty=fire, unit=units[SCHOOL_A])
    page = client_for("school_a_officer").get(reverse("duties:obligation_detail", args=[ob.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "119 疏散演练观摩" in text
    assert reverse("activities:activity_detail", args=[activity.pk]) in text
