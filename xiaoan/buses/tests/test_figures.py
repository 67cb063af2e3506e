"""校车 on the dashboard, behind the three bus indicators, on the home page, and the demo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from xiaoan.buses.crew import DRIVERS, ESCORTS, has_valid
from xiaoan.buses.indicators import face_recognition, infrared, monitoring
from xiaoan.buses.models import Bus
from xiaoan.buses.registers import BUSES
from xiaoan.buses.tests.support import SCHOOL_A, SCHOOL_B, cert, check, days, make
from xiaoan.core import registers
from xiaoan.core.todos import todos_for
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db
OTHER = "太和镇中心学校"


@pytest.fixture
def fleet(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    school = units[SCHOOL_A]
    driver = cert(officer, school, "张国庆", "D-1")
    expired = cert(officer, school, "李卫东", "D-2", valid_until=days(-3))
    escort = cert(officer, school, "王秀英", "Z-1", escort=True)
    full = make(officer, school, plate="鄂GA0001", has_infrared=True, drivers=[driver],
                escorts=[escort])  # fmt: skip
    make(officer, school, plate="鄂GA0002", permit_valid_until=days(-1), drivers=[expired],
         escorts=[escort])  # fmt: skip
    make(officer, school, plate="鄂GA0003", has_face_recognition=False, has_monitoring=False,
         permit_valid_until=days(20))  # fmt: skip
    make(district, units[SCHOOL_B], plate="鄂GC0001", has_infrared=True)
    gone = make(district, units[SCHOOL_B], plate="鄂GC0002", has_infrared=False)
    registers.retire(BUSES, district, gone.pk, reason="报废")
    check(officer, full)
    return full


def figures(user, unit=None):
    board = dashboard(user, unit.pk if unit else None)
    section = board.sections_by_key.get("buses")
    return board, ({f.key: f for f in section.figures} if section else None)


def live(**where):
    return Bus.objects.filter(retired_at__isnull=True, **where)


def test_the_dashboard_counts_equal_the_records(persona, units, fleet):
    today = timezone.localdate()
    board, found = figures(persona("district_officer"))
    rows = live()
    assert found["total"].value == rows.count() == 4
    assert found["permit_expired"].value == rows.filter(permit_valid_until__lt=today).count() == 1
    assert found["permit_expired"].bad and "permit_expired=true" in found["permit_expired"].url
    assert found["permit_soon"].value == 2
    assert found["no_face"].value == rows.filter(has_face_recognition=False).count() == 1
    assert found["no_infrared"].value == rows.filter(has_infrared=False).count() == 2
    assert found["no_monitoring"].value == rows.filter(has_monitoring=False).count() == 1
    assert found["no_driver"].value == rows.filter(~has_valid(DRIVERS)).count() == 3
    assert found["no_escort"].value == rows.filter(~has_valid(ESCORTS)).count() == 2
    assert found["unchecked"].value == rows.exclude(last_checked_on=today).count() == 3
    assert "no_valid_driver=true" in found["no_driver"].url
    ranked = board.sections_by_key["buses"].branches
    assert sum(v["permit_expired"] for v in ranked.values()) == 1
    unequipped = rows.filter(has_face_recognition=False) | rows.filter(has_infrared=False)
    assert sum(v["unequipped"] for v in ranked.values()) == unequipped.distinct().count() == 2
    _board, school = figures(persona("school_a_officer"), units[SCHOOL_A])
    assert school["total"].value == 3 and school["no_driver"].value == 2


def test_the_dashboard_leaves_it_out_for_those_who_may_not_see_it(persona, units, fleet):
    _board, found = figures(persona("school_b_teacher"), units[SCHOOL_B])
    assert found is None


def test_the_indicators_are_the_share_of_buses_fitted(persona, units, fleet):
    schools = [units[SCHOOL_A], units[SCHOOL_B], units[OTHER]]
    year = timezone.localdate().year

    def share(school, field):
        rows = live(unit=school)
        return (Decimal(100) * rows.filter(**{field: True}).count() / rows.count()).quantize(
            Decimal("0.01")
        )

    face = face_recognition(schools, year)
    assert face[units[SCHOOL_A].pk] == share(units[SCHOOL_A], "has_face_recognition")
    assert face[units[SCHOOL_A].pk] == Decimal("66.67")
    assert face[units[SCHOOL_B].pk] == Decimal("100.00")  # the retired bus does not count
    assert face[units[OTHER].pk] is None  # no bus: missing, never 0
    red = infrared(schools, year)
    assert red[units[SCHOOL_A].pk] == share(units[SCHOOL_A], "has_infrared") == Decimal("33.33")
    assert red[units[SCHOOL_B].pk] == Decimal("100.00") and red[units[OTHER].pk] is None
    watched = monitoring(schools, year)
    assert watched[units[SCHOOL_A].pk] == share(units[SCHOOL_A], "has_monitoring")
    from xiaoan.indicators import values
    from xiaoan.indicators.models import Indicator

    indicator = Indicator.objects.get(code="bus-infrared", owner=None)
    cell = values.board(units[SCHOOL_A], year, indicators=[indicator]).cells[0]
    assert Decimal(str(cell.value)) == Decimal("33.33")


def test_the_school_is_told_what_waits_and_the_bureau_is_not(persona, units, fleet):
    todos = {t.key: t for t in todos_for(persona("school_a_officer"))}
    assert todos["buses.unchecked"].count == 2 and todos["buses.unchecked"].url == "/buses/check/"
    assert todos["buses.crew"].count == 2  # an expired driver; no driver nor escort
    assert "no_valid_crew=true" in todos["buses.crew"].url
    # The licence: one past its date, one due within 30 days (the layer's to-do).
    assert (todos["buses.due"].count, todos["buses.due"].late) == (2, 1)
    for name in ("district_officer", "auditor"):
        keys = {t.key for t in todos_for(persona(name))}
        assert "buses.unchecked" not in keys and "buses.crew" not in keys


def test_the_demo_fills_the_register_once(db):
    from xiaoan.buses.demo import load_buses
    from xiaoan.certificates.demo import load_certificates
    from xiaoan.orgs.demo import load_demo

    load_demo()
    load_certificates()
    made = load_buses()
    assert made == Bus.objects.count() >= 4
    assert load_buses() == 0
    assert Bus.objects.filter(has_face_recognition=False).exists()
    assert Bus.objects.filter(has_infrared=False).exists()
    assert Bus.objects.filter(~has_valid(DRIVERS)).exists()  # an expired licence
    assert Bus.objects.filter(~has_valid(ESCORTS)).exists()  # no escort yet
    taihe = Bus.objects.get(plate="鄂GB2001")
    assert taihe.drivers.get().name == "杨师傅"  # the certificates demo's driver
