"""The dashboard section counts the scope's points by grade, the re-assessments due and the
points with an overdue check, each linking to the filtered register; a unit duty
每月风险管控检查 is met by a control check in its period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.duties import services as duty_services
from xiaoan.duties.models import Obligation
from xiaoan.reports.figures import Scope
from xiaoan.risks import services
from xiaoan.risks.figures import risk_section
from xiaoan.risks.models import ControlMeasure, RiskPoint
from xiaoan.risks.tests.support import DISTRICT, SCHOOL_A, SCHOOL_B, assessed, teacher, with_measure

pytestmark = pytest.mark.django_db


def _figures(user, unit, subtree=True):
    section = risk_section(Scope(user, unit, subtree, timezone.localdate()))
    return None if section is None else {f.key: f for f in section.figures}


def test_it_counts_the_scopes_points(persona, units, django_assert_max_num_queries):
    made, measure = with_measure(persona, units, likelihood=5, severity=4)
    assessed(persona, units, likelihood=1, severity=1, name="图书馆")
    ControlMeasure.objects.filter(pk=measure.pk).update(
        next_due=timezone.localdate() - dt.timedelta(days=1)
    )
    RiskPoint.objects.filter(pk=made.pk).update(reassessment_due=True)
    officer = persona("district_officer")
    with django_assert_max_num_queries(4):
        figures = _figures(officer, units[DISTRICT])
    assert figures["major"].value == 1 and figures["low"].value == 1
    assert figures["reassess"].value == 1 and figures["overdue"].value == 1
    assert figures["major"].bad
    link = figures["overdue"].url
    assert link.startswith(reverse("risks:riskpoint_list")) and "overdue=true" in link
    assert _figures(officer, units[SCHOOL_B])["major"].value == 0
    assert _figures(persona("school_b_teacher"), units[SCHOOL_B]) is None


def test_it_meets_the_monthly_risk_duty_by_a_check(persona, units, client_for):
    duty = duty_services.create_duty(
        persona("district_officer"),
        issuer=units[DISTRICT],
        name="每月风险管控检查",
        recurrence="monthly",
        proof="risk_check",
    )
    duty_services.generate_duty(duty, timezone.localdate())
    made, measure = with_measure(persona, units)
    duty_services.evaluate()
    ob = Obligation.objects.get(duty=duty, unit=units[SCHOOL_A])
    assert ob.status == "pending"
    services.record_check(teacher(units), made.pk, measure=measure.pk, result="passed")
    duty_services.evaluate()
    ob.refresh_from_db()
    assert ob.status == "met" and "风险管控检查 1 次" in ob.met_by
    assert Obligation.objects.get(duty=duty, unit=units[SCHOOL_B]).status == "pending"
    page = client_for("school_a_officer").get(reverse("duties:obligation_detail", args=[ob.pk]))
    assert reverse("risks:riskpoint_detail", args=[made.pk]) in page.content.decode()
