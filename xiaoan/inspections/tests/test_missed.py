"""自查未发现: a supervision, third-party or expert inspection failing an item that the
school's own self-check of the same month passed flags the result and its hazard, and is
counted per unit."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from xiaoan.hazards import tally
from xiaoan.inspections import services
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.models import ItemResult
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, done, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

OCT = dt.date(2026, 10, 5)


def _outside(persona, units, checklist, kind, day, **values):
    inspection = make(
        persona, units, checklist, who="district_officer", kind=kind, scheduled_on=day
    )
    return done(persona, inspection, who="district_officer", **values)


def _missed(inspection) -> dict[str, bool]:
    return {
        r.item.code: r.missed_by_self_check
        for r in ItemResult.objects.filter(inspection=inspection).select_related("item", "hazard")
    }


@pytest.fixture
def self_check(persona, units, checklist):
    """School A's October self-check: 01 and 02 passed, 03 failed (found by the school)."""
    inspection = make(persona, units, checklist, scheduled_on=OCT)
    return done(persona, inspection, s01="pass", s02="pass", s03="fail")


def test_it_flags_what_the_self_check_passed(persona, units, checklist, self_check):
    supervision = _outside(
        persona,
        units,
        checklist,
        InspectionKind.SUPERVISION,
        dt.date(2026, 10, 20),
        s01="fail",
        s02="pass",
        s03="fail",
    )
    assert _missed(supervision) == {
        "TEST-SMALL-01": True,  # passed by the school, failed by the bureau
        "TEST-SMALL-02": False,
        "TEST-SMALL-03": False,  # the school had found it itself
    }
    row = ItemResult.objects.get(inspection=supervision, item__code="TEST-SMALL-01")
    assert row.hazard.missed_by_self_check
    assert not ItemResult.objects.get(
        inspection=supervision, item__code="TEST-SMALL-03"
    ).hazard.missed_by_self_check
    assert tally.reconcile() == 0  # the ledger's counts agree with its rows


@pytest.mark.parametrize(
    "kind, day, flagged",
    [
        (InspectionKind.EXPERT, dt.date(2026, 10, 31), True),
        (InspectionKind.THIRD_PARTY, dt.date(2026, 10, 1), True),
        (InspectionKind.SUPERVISION, dt.date(2026, 11, 1), False),  # another month
        (InspectionKind.CROSS_CHECK, dt.date(2026, 10, 20), False),  # not an outside kind
        (InspectionKind.JOINT, dt.date(2026, 10, 20), False),
    ],
)
def test_it_compares_within_the_month_and_outside_kinds(
    persona, units, checklist, self_check, kind, day, flagged
):
    inspection = _outside(persona, units, checklist, kind, day, s01="fail")
    assert _missed(inspection)["TEST-SMALL-01"] is flagged


def test_it_counts_per_unit(persona, units, checklist, self_check):
    _outside(
        persona,
        units,
        checklist,
        InspectionKind.SUPERVISION,
        dt.date(2026, 10, 20),
        s01="fail",
        s02="fail",
    )
    school = units[SCHOOL_A]
    expected = [{"unit": school.pk, "unit_name": SCHOOL_A, "count": 2}]
    assert services.missed_counts(persona("district_officer"), period="2026-10") == expected
    assert services.missed_counts(persona("district_officer"), period="2026-11") == []
    assert services.missed_counts(persona("uni_security")) == []
    api = APIClient()
    api.force_authenticate(persona("school_a_head"))
    response = api.get("/api/inspections/missed-by-self-check/", {"period": "2026-10"})
    assert response.status_code == 200 and response.json() == expected
    assert (
        api.get("/api/inspections/missed-by-self-check/", {"period": "10-2026"}).status_code == 400
    )
