"""自查未发现: an outside inspection (督查, 暗访, 联合抽查, 交叉检查, 专家, 第三方) failing an
item that the school's own self-check of the same month passed flags the result and its
hazard, whichever of the two is submitted first, and is counted per unit."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from xiaoan.hazards import tally
from xiaoan.hazards.models import Hazard
from xiaoan.inspections import missed
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.models import ItemResult
from xiaoan.inspections.tests.support import SCHOOL_A, SCHOOL_B, checklist, done, make

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
        (InspectionKind.CROSS_CHECK, dt.date(2026, 10, 20), True),
        (InspectionKind.JOINT, dt.date(2026, 10, 20), True),
        (InspectionKind.UNANNOUNCED, dt.date(2026, 10, 20), True),
        (InspectionKind.CAMPAIGN, dt.date(2026, 10, 20), False),  # not an outside kind
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
    assert missed.missed_counts(persona("district_officer"), period="2026-10") == expected
    assert missed.missed_counts(persona("district_officer"), period="2026-11") == []
    assert missed.missed_counts(persona("uni_security")) == []
    api = APIClient()
    api.force_authenticate(persona("school_a_head"))
    response = api.get("/api/inspections/missed-by-self-check/", {"period": "2026-10"})
    assert response.status_code == 200 and response.json() == expected
    assert (
        api.get("/api/inspections/missed-by-self-check/", {"period": "10-2026"}).status_code == 400
    )


def test_it_flags_an_outside_finding_when_the_self_check_comes_later(persona, units, checklist):
    supervision = _outside(
        persona,
        units,
        checklist,
        InspectionKind.SUPERVISION,
        dt.date(2026, 10, 3),
        s01="fail",
        s02="fail",
        s03="fail",
    )
    assert not any(_missed(supervision).values())  # no self-check yet
    later = make(persona, units, checklist, scheduled_on=dt.date(2026, 10, 25))
    done(persona, later, s01="pass", s02="fail", s03="na")
    assert _missed(supervision) == {
        "TEST-SMALL-01": True,  # the later self-check passed what the bureau had failed
        "TEST-SMALL-02": False,  # the school found it too
        "TEST-SMALL-03": False,
    }
    flagged = Hazard.objects.filter(inspection_result__inspection=supervision)
    assert sorted(
        flagged.filter(missed_by_self_check=True).values_list(
            "inspection_result__item__code", flat=True
        )
    ) == ["TEST-SMALL-01"]
    assert tally.reconcile() == 0
    assert missed.missed_counts(persona("district_officer"), period="2026-10")[0]["count"] == 1


def test_it_leaves_other_months_and_units_alone_when_the_self_check_comes_later(
    persona, units, checklist
):
    september = _outside(
        persona, units, checklist, InspectionKind.EXPERT, dt.date(2026, 9, 28), s01="fail"
    )
    other_school = make(
        persona,
        units,
        checklist,
        who="district_officer",
        kind=InspectionKind.SUPERVISION,
        unit=SCHOOL_B,
        scheduled_on=OCT,
    )
    done(persona, other_school, who="district_officer", s01="fail")
    self_check = make(persona, units, checklist, scheduled_on=OCT)
    done(persona, self_check, s01="pass")
    assert not _missed(september)["TEST-SMALL-01"]
    assert not _missed(other_school)["TEST-SMALL-01"]


def test_it_answers_the_newly_flagged_hazards_once(persona, units, checklist):
    supervision = _outside(persona, units, checklist, InspectionKind.SUPERVISION, OCT, s01="fail")
    row = ItemResult.objects.get(inspection=supervision, item__code="TEST-SMALL-01")
    hazards = missed.flag_missed([row.pk])
    assert [h.pk for h in hazards] == [row.hazard_id] and hazards[0].missed_by_self_check
    assert missed.flag_missed([row.pk]) == []  # already flagged: nothing new


def test_a_confirmed_finding_flagged_later_goes_under_supervision(
    persona, units, checklist, settings
):
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.choices import HazardLevel
    from xiaoan.hazards.models import Supervision

    settings.XIAOAN_AUTO_SUPERVISE_RECURRING = True
    supervision = _outside(
        persona, units, checklist, InspectionKind.SUPERVISION, dt.date(2026, 10, 3), s01="fail"
    )
    hazard = Hazard.objects.get(
        inspection_result__inspection=supervision, inspection_result__item__code="TEST-SMALL-01"
    )
    hazard_services.confirm(persona("school_a_officer"), hazard.pk, level=HazardLevel.GENERAL)
    assert not Supervision.objects.filter(hazard=hazard).exists()
    later = make(persona, units, checklist, scheduled_on=dt.date(2026, 10, 25))
    done(persona, later, s01="pass", s02="pass", s03="pass")
    listed = Supervision.objects.get(hazard=hazard)
    assert listed.automatic and "自查未发现" in listed.reason
