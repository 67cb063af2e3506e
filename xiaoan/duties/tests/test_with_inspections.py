"""End to end with the inspection workflow: a self-check carried out and submitted through
the inspection services meets this month's self-check obligation; the list pages decide what
they show without waiting for the daily job."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoan.duties import services
from xiaoan.duties.models import Obligation
from xiaoan.duties.tests.support import SCHOOL_A, duty
from xiaoan.inspections import services as inspections
from xiaoan.inspections.tests.support import checklist, jpeg, make, results

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


def test_a_submitted_self_check_meets_the_obligation(persona, units, checklist, api_for):
    d = duty(persona, units)
    services.generate_duty(d, timezone.localdate())
    ob = Obligation.objects.get(duty=d, unit=units[SCHOOL_A])
    inspection = make(persona, units, checklist, scheduled_on=timezone.localdate())
    items = {i.code: i.pk for i in inspection.checklist.items.all()}
    inspections.submit(
        persona("school_a_officer"),
        inspection.pk,
        results=results(inspection, s01="pass", s02="pass", s03="pass"),
        photos={items["TEST-SMALL-01"]: [jpeg()]},
    )
    body = api_for("school_a_officer").get("/api/obligations/").json()
    row = next(r for r in body["results"] if r["id"] == ob.pk)
    assert row["status"] == "met" and row["met_by"]
