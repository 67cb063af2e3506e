"""A duty proved by another app's records (xiaoan.duties.proofs): the registered source's
count decides the obligation, the code a duty names is checked, the obligation's page lists
what proved it. The source here counts submitted inspections, standing in for drills."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse

from xiaoan.core.errors import Invalid
from xiaoan.duties import proofs, services
from xiaoan.duties.models import Obligation
from xiaoan.duties.tests.support import SCHOOL_A, SCHOOL_B, done_inspection, duty
from xiaoan.inspections.models import Inspection

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 10)


def _count():
    found = (
        Inspection.objects.filter(
            unit_id=OuterRef("unit_id"),
            kind=OuterRef("duty__proof_code"),
            scheduled_on__gte=OuterRef("period_start"),
            scheduled_on__lte=OuterRef("period_end"),
        )
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(found, output_field=IntegerField())


def _listing(actor, ob):
    return [(i.title, f"/inspections/{i.pk}/") for i in Inspection.objects.filter(unit=ob.unit)]


@pytest.fixture
def source():
    before = proofs.SOURCES.get("drill")  # the drills app's own, put back afterwards
    made = proofs.register(
        proofs.ProofSource(
            kind="drill",
            count=_count,
            codes=lambda: [("self_check", "自查"), ("supervision", "督导")],
            any_code=False,
            met_by=lambda ob, n: f"演练 {n} 次",
            listing=_listing,
        )
    )
    yield made
    proofs.SOURCES.pop("drill", None)
    if before is not None:
        proofs.register(before)


def test_it_meets_an_obligation_by_the_registered_count(source, persona, units):
    d = duty(persona, units, proof="drill", proof_code="self_check", inspection_kind="")
    services.generate_duty(d, MARCH)
    done_inspection(units, SCHOOL_A, "self_check", dt.date(2026, 3, 12))
    done_inspection(units, SCHOOL_B, "supervision", dt.date(2026, 3, 12))  # another code
    services.evaluate(today=dt.date(2026, 3, 20))
    a = Obligation.objects.get(duty=d, unit=units[SCHOOL_A])
    b = Obligation.objects.get(duty=d, unit=units[SCHOOL_B])
    assert (a.status, a.met_by) == ("met", "演练 1 次")
    assert b.status == "pending"
    assert "自查" in d.proof_label


def test_it_refuses_a_code_the_source_does_not_know(source, persona, units):
    with pytest.raises(Invalid) as caught:
        duty(persona, units, proof="drill", proof_code="nonsense", inspection_kind="")
    assert "proof_code" in caught.value.fields
    with pytest.raises(Invalid):  # this source wants a code
        duty(persona, units, proof="drill", proof_code="", inspection_kind="")


def test_a_proof_nobody_registered_is_refused(persona, units, monkeypatch):
    # xiaoan.activities registers "activity": taken out here, nobody's.
    monkeypatch.delitem(proofs.SOURCES, "activity", raising=False)
    with pytest.raises(Invalid) as caught:
        duty(persona, units, proof="activity", inspection_kind="")
    assert "proof" in caught.value.fields


def test_the_obligation_page_lists_what_proved_it(source, persona, units, client_for):
    d = duty(persona, units, proof="drill", proof_code="self_check", inspection_kind="")
    services.generate_duty(d, MARCH)
    done_inspection(units, SCHOOL_A, "self_check", dt.date(2026, 3, 12))
    ob = Obligation.objects.get(duty=d, unit=units[SCHOOL_A])
    page = client_for("school_a_officer").get(reverse("duties:obligation_detail", args=[ob.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "本周期的相应记录" in text and "self_check 2026-03-12" in text
