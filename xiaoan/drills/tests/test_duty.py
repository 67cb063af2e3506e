"""The semester drill duty is met by an evaluated drill of the unit (xiaoan.drills.proof), at
once when the drill is evaluated, and missed without one; the built-in duty asks for it and
the data migration moves existing built-in drill duties over, keeping what they had."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from xiaoan.duties import services as duty_services
from xiaoan.duties.builtin import create_builtin_duties
from xiaoan.duties.models import Duty, DutyRecord, Obligation

from .support import DISTRICT, SCHOOL_A, SCHOOL_B, answers, evaluated, recorded

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("xiaoan.duties.migrations.0010_builtin_drill_proof")


@pytest.fixture
def drill_duty(persona, units):
    create_builtin_duties(persona("district_officer"), units[DISTRICT])
    duty = Duty.objects.get(issuer=units[DISTRICT], builtin_code="drill")
    duty_services.generate_duty(duty, timezone.localdate())
    return duty


def _ob(duty, unit):
    return Obligation.objects.get(duty=duty, unit=unit)


def test_the_builtin_duty_asks_for_an_evaluated_drill_of_any_kind(drill_duty):
    assert (drill_duty.proof, drill_duty.proof_code, drill_duty.record_kind) == ("drill", "", "")


def test_an_evaluated_drill_meets_it_at_once_and_a_recorded_one_does_not(
    drill_duty, persona, units
):
    drill = recorded(persona, units, kind="earthquake")
    duty_services.evaluate()
    assert _ob(drill_duty, units[SCHOOL_A]).status == "pending"  # recorded, not evaluated
    from xiaoan.drills import services

    services.evaluate(persona("school_a_head"), drill.pk, results=answers("earthquake"))
    ob = _ob(drill_duty, units[SCHOOL_A])
    assert ob.status == "met" and ob.met_by == "演练 1 次（已评估）"
    assert _ob(drill_duty, units[SCHOOL_B]).status == "pending"


def test_without_a_drill_the_obligation_is_missed(drill_duty, units):
    ob = _ob(drill_duty, units[SCHOOL_B])
    duty_services.evaluate(today=ob.deadline + dt.timedelta(days=1))
    assert _ob(drill_duty, units[SCHOOL_B]).status == "missed"


def test_a_duty_naming_a_kind_counts_only_that_kind(persona, units):
    duty = duty_services.create_duty(
        persona("district_officer"),
        issuer=units[DISTRICT],
        name="每学期地震疏散演练",
        recurrence="semester",
        proof="drill",
        proof_code="earthquake",
    )
    duty_services.generate_duty(duty, timezone.localdate())
    evaluated(persona, units)  # a fire evacuation
    assert _ob(duty, units[SCHOOL_A]).status == "pending"
    evaluated(persona, units, kind="earthquake")
    assert _ob(duty, units[SCHOOL_A]).status == "met"


def test_the_obligation_page_lists_the_drill(drill_duty, persona, units, client_for):
    drill = evaluated(persona, units)
    ob = _ob(drill_duty, units[SCHOOL_A])
    page = client_for("school_a_officer").get(reverse("duties:obligation_detail", args=[ob.pk]))
    assert page.status_code == 200
    assert reverse("drills:drill_detail", args=[drill.pk]) in page.content.decode()


def test_the_migration_moves_builtin_drill_duties_keeping_obligations_and_records(persona, units):
    from xiaoan.duties.tests.support import evidence

    create_builtin_duties(persona("district_officer"), units[DISTRICT])
    duty = Duty.objects.get(issuer=units[DISTRICT], builtin_code="drill")
    # As it was before: proved by an uploaded record.
    Duty.objects.filter(pk=duty.pk).update(proof="record", record_kind="drill")
    duty.refresh_from_db()
    duty.requires_review = False
    duty.save()
    duty_services.generate_duty(duty, timezone.localdate())
    ob = _ob(duty, units[SCHOOL_A])
    duty_services.submit_record(persona("school_a_officer"), ob.pk, evidence=evidence())
    obligations = Obligation.objects.filter(duty=duty).count()

    MIGRATION.to_drills(apps, None)

    duty.refresh_from_db()
    assert (duty.proof, duty.record_kind, duty.proof_code) == ("drill", "", "")
    assert Obligation.objects.filter(duty=duty).count() == obligations
    assert _ob(duty, units[SCHOOL_A]).status == "met"  # what was reported stays
    assert DutyRecord.objects.filter(obligation=ob).count() == 1
