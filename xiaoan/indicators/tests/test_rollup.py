"""The dashboard's indicator figures come from the rollup the writes keep
(xiaoan.indicators.tallies), not from reading every school: after each kind of change they
equal what the live roll-up works out from the schools, for the unit and for every ranked
branch, and the nightly recount finds nothing to correct."""

from __future__ import annotations

import pytest

from xiaoan.accounts.models import User
from xiaoan.emergency.models import EmergencyTeam
from xiaoan.fireassets.tests.support import make, place
from xiaoan.indicators import services, values
from xiaoan.indicators.tests.support import REPORTED, YEAR, ind, pdf, put
from xiaoan.orgs import services as org_services
from xiaoan.orgs.models import Unit
from xiaoan.reports import rollups
from xiaoan.reports.services import RANK_SCHOOLS, dashboard

pytestmark = pytest.mark.django_db

SCHOOL = {"kind": "school", "school_type": "primary"}
CITY, DISTRICT, A, B = "鄂州市教育局", "梁子湖区教育局", "梁子湖高级中学", "东沟镇中心小学"


def _plain(number):
    return None if number is None else float(number)


def _agrees(user, unit, *, rank: str = "children") -> None:
    board = dashboard(user, unit.pk, rank=rank)
    section = board.sections_by_key["indicators"]
    shown = {f.key: f.value for f in section.figures if f.key != "behind"}
    live = values.board(unit, YEAR, branches=True)
    assert shown == {c.indicator.code: _plain(c.value) for c in live.cells}
    if rank == "children" and live.branches:
        expected = {
            child.path: {"behind": sum(1 for c in cells if c.behind)}
            for child, cells in live.branches
        }
        assert section.branches == expected
    for path, figures in section.branches.items():  # every school ranked: its own standing
        if rank == RANK_SCHOOLS:
            school = Unit.objects.get(path=path)
            mine = values.board(school, YEAR)
            assert figures["behind"] == sum(1 for c in mine.cells if c.behind)


def _everywhere(persona, demo) -> None:
    root = User.objects.create_superuser("rollup_root", password="x-Xiaoan@2026")
    _agrees(root, demo[CITY])
    _agrees(persona("district_officer"), demo[DISTRICT])
    _agrees(persona("district_officer"), demo[DISTRICT], rank=RANK_SCHOOLS)
    _agrees(persona("school_a_head"), demo[A])
    assert rollups.reconcile("indicators") == 0
    root.delete()


def test_the_dashboard_reads_indicators_from_the_rollup_after_every_change(persona, demo):
    officer, reviewer = persona("school_a_officer"), persona("district_officer")
    _everywhere(persona, demo)

    # A report, then its review: only an accepted value counts.
    row = services.report(
        officer,
        indicator=ind(REPORTED).pk,
        unit=demo[A].pk,
        year=YEAR,
        value="100",
        note="门卫台账",
        evidence=pdf(),
    )
    _everywhere(persona, demo)
    services.accept(reviewer, row.pk)
    _everywhere(persona, demo)
    put("safety-spending", demo[B], 70)  # any write of a value, not only the services'
    _everywhere(persona, demo)

    # A stricter target below the top, and an indicator of the district's own.
    services.set_target(reviewer, ind("safety-spending").pk, year=YEAR, value="80")
    _everywhere(persona, demo)
    services.create_indicator(
        reviewer, code="district-drills", name="每月演练", measure="%", rollup="share"
    )
    _everywhere(persona, demo)
    lowest = ind("safety-spending")  # the lowest school's value: worked out from the schools
    lowest.rollup = "min"
    lowest.save()
    _everywhere(persona, demo)

    # Registers the providers read: a smoke detector in a building, a staffed team.
    building = place(demo[A], "宿舍楼")
    _everywhere(persona, demo)
    detector = make(
        officer, demo[A], kind="detector", code="YG-1", asset_type="smoke", place=building
    )
    _everywhere(persona, demo)
    detector.retired_at = detector.created_at
    detector.save()
    _everywhere(persona, demo)
    team = EmergencyTeam.objects.filter(unit__path__startswith=demo[A].path).first()
    if team is not None:
        team.is_staffed = not team.is_staffed
        team.save()
        _everywhere(persona, demo)

    # The schools themselves: a new one, one turned boarding, one closed.
    admin = persona("district_officer")
    new = org_services.create_unit(admin, demo[DISTRICT], {"name": "新建实验学校", **SCHOOL})
    _everywhere(persona, demo)
    org_services.update_unit(admin, demo[B], {"boarding": not demo[B].boarding})
    _everywhere(persona, demo)
    org_services.update_unit(admin, new, {"is_active": False})
    _everywhere(persona, demo)


def test_a_value_changes_the_figures_it_should(persona, demo):
    """The agreement above could hold with both sides wrong: the figures move as a person
    expects them to."""
    user = persona("district_officer")

    def figure():
        board = dashboard(user, demo[DISTRICT].pk)
        return {f.key: f.value for f in board.sections_by_key["indicators"].figures}

    before = figure()
    put(REPORTED, demo[A], 100)
    after = figure()
    schools = Unit.objects.filter(path__startswith=demo[DISTRICT].path, kind="school").count()
    assert after[REPORTED] == pytest.approx((before[REPORTED] or 0) + 100 / schools, abs=0.01)
    assert after["behind"] == before["behind"]


def test_a_moved_bureau_is_ranked_against_its_new_superiors_targets(persona, demo):
    """Moving a bureau changes no count but the target that applies to it: its count behind
    (kept by the rollup, not worked out by the viewer) follows."""
    from xiaoan.indicators.models import Target

    root = User.objects.create_superuser("rollup_mover", password="x-Xiaoan@2026")
    put("safety-spending", demo[A], 70)
    put("safety-spending", demo[B], 70)
    strict = org_services.create_unit(root, demo[CITY], {"name": "新区教育局", "kind": "authority"})
    Target.objects.create(indicator=ind("safety-spending"), owner=strict, year=YEAR, value=90)
    before = dashboard(root, demo[CITY].pk).sections_by_key["indicators"].branches
    org_services.move_unit(root, demo[DISTRICT], strict)
    strict.refresh_from_db()
    after = dashboard(root, strict.pk).sections_by_key["indicators"].branches
    district = Unit.objects.get(pk=demo[DISTRICT].pk)
    assert after[district.path]["behind"] == before[demo[DISTRICT].path]["behind"] + 1
    _agrees(root, Unit.objects.get(pk=strict.pk))
    _agrees(root, demo[CITY])
    assert rollups.reconcile("indicators") == 0
