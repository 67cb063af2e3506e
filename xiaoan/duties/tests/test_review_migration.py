"""Migration 0006 (record review): existing record duties issued downwards need review from
now on, while what was reported before keeps counting and met obligations stay met. Its data
step runs here on today's models (same fields), inside the test's transaction."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from xiaoan.duties import services
from xiaoan.duties.models import Duty, DutyRecord, Obligation
from xiaoan.duties.tests.support import SCHOOL_A, duty, evidence

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("xiaoan.duties.migrations.0006_record_review")


def test_it_keeps_met_obligations_met_and_reviews_duties_issued_downwards(units, persona):
    downwards = duty(persona, units, name="演练", recurrence="yearly", proof="record",
                     record_kind="drill", requires_review=False)  # fmt: skip
    own = duty(persona, units, who="school_a_head", issuer=SCHOOL_A, name="本校演练",
               proof="record", record_kind="drill", requires_review=False)  # fmt: skip
    inspected = duty(persona, units, name="自查")
    services.generate_duty(downwards, timezone.localdate())
    ob = Obligation.objects.get(duty=downwards, unit=units[SCHOOL_A])
    services.submit_record(persona("school_a_officer"), ob.pk, evidence=evidence())
    ob.refresh_from_db()
    assert ob.status == "met"  # as before the migration: no review

    MIGRATION.review_issued_duties(apps, None)

    reviewed = dict(
        Duty.objects.filter(pk__in=[downwards.pk, own.pk, inspected.pk]).values_list(
            "pk", "requires_review"
        )
    )
    assert reviewed == {downwards.pk: True, own.pk: False, inspected.pk: False}
    ob.refresh_from_db()
    assert ob.status == "met"
    assert DutyRecord.objects.get(obligation=ob).review == ""  # counts, as before
