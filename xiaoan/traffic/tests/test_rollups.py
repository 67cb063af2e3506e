"""The current semester's pupils and agreements returned are a rollup kept by the register's
writes (xiaoan.traffic.tallies): the figures and each branch's share equal sums of the records
after creates, updates and retirements, and the nightly recount agrees."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from xiaoan.core import registers
from xiaoan.reports import rollups
from xiaoan.reports.figures import rate
from xiaoan.reports.services import dashboard
from xiaoan.traffic.models import TrafficAgreement
from xiaoan.traffic.registers import TRAFFIC_AGREEMENTS
from xiaoan.traffic.tallies import KIND
from xiaoan.traffic.tests.support import SCHOOL_A, SCHOOL_B, current, make

pytestmark = pytest.mark.django_db


def live(path: str = "") -> tuple[int, float | None]:
    rows = TrafficAgreement.objects.filter(
        retired_at__isnull=True, semester=current(), unit__path__startswith=path
    )
    sums = rows.aggregate(pupils=Sum("pupils"), returned=Sum("returned"))
    pupils, returned = sums["pupils"] or 0, sums["returned"] or 0
    return pupils, rate(returned, pupils)


def agrees(user) -> None:
    section = dashboard(user, None).sections_by_key["traffic_agreements"]
    figures = {f.key: f.value for f in section.figures}
    pupils, share = live()
    assert (figures["pupils"], figures["share"]) == (pupils, share if share is not None else "—")
    for path, row in section.branches.items():
        assert row["share"] == live(path)[1], path
    assert rollups.reconcile(KIND) == 0


def test_the_semesters_sums_follow_every_write(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    agrees(district)
    one = make(officer, units[SCHOOL_A], pupils=50, returned=45)
    make(officer, units[SCHOOL_A], name="高一(2)班", pupils=40, returned=40)
    make(district, units[SCHOOL_B], name="一年级(1)班", grade="一年级", pupils=30, returned=10)
    make(
        officer,
        units[SCHOOL_A],
        name="高一(3)班",
        semester="2020-2021学年第一学期",
        pupils=9,
        returned=5,
    )
    agrees(district)
    assert live()[0] == 120
    registers.update(TRAFFIC_AGREEMENTS, officer, one.pk, {"returned": 50})
    agrees(district)
    registers.retire(TRAFFIC_AGREEMENTS, officer, one.pk, reason="班级合并")
    agrees(district)
    assert live()[0] == 70
