"""Values and roll-ups checked against the accepted records, targets and their overrides,
providers, and a query count that does not grow with the number of units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.core.errors import Invalid
from xiaoan.indicators import services, values
from xiaoan.indicators.choices import Rollup, Standing, ValueStatus
from xiaoan.indicators.models import Target
from xiaoan.indicators.providers import provider, unregister
from xiaoan.indicators.tests.support import REPORTED, REPORTED_MEAN, YEAR, ind, put
from xiaoan.orgs.models import Unit

pytestmark = pytest.mark.django_db

DISTRICT, A, B = "梁子湖区教育局", "梁子湖高级中学", "东沟镇中心小学"


def cell(unit, code, year=YEAR):
    board = values.board(unit, year, indicators=[ind(code)])
    return board.cells[0]


def test_it_ships_the_plans_indicators_with_their_targets(demo):
    targets = {(t.indicator.code, t.year): t.value for t in Target.objects.filter(owner=None)}
    assert targets[("bus-face-recognition", 2024)] == 30
    assert targets[("bus-face-recognition", 2025)] == 60
    assert targets[("bus-infrared", 2026)] == 100
    assert targets[("bus-monitoring", 2025)] == 95
    assert targets[("smoke-alarms", 2025)] == 100
    assert targets[("boarding-sprinklers", 2025)] == 100
    assert targets[("safety-spending", 2026)] == 60
    assert targets[("leader-training", 2026)] == 100
    assert {REPORTED, "security-guards", "security-alarm-video"} <= {c for c, _y in targets}
    # A target holds until replaced: 2025's 95% still applies in 2026.
    assert cell(demo[DISTRICT], "bus-monitoring").target == 95


def test_it_rolls_up_the_mean_of_the_schools_that_have_a_value(demo):
    put(REPORTED_MEAN, demo[A], 100)
    put(REPORTED_MEAN, demo[B], 50)
    put(REPORTED_MEAN, demo["梁子镇初级中学"], 20, status=ValueStatus.PENDING)
    district = cell(demo[DISTRICT], REPORTED_MEAN)
    assert district.value == Decimal("75.00")  # the pending one does not count
    assert (district.counted, district.schools) == (2, 12)
    assert district.standing == Standing.BEHIND  # 75 < 100 in 2026
    assert cell(demo[A], REPORTED_MEAN).standing == Standing.MET
    assert cell(demo[B], REPORTED_MEAN).value == 50


def test_it_rolls_up_the_share_of_schools_meeting_their_target(demo):
    for name in ("梁子湖高级中学", "东沟镇中心小学", "太和镇中心学校"):
        put(REPORTED, demo[name], 100)
    put(REPORTED, demo["沼山镇中心学校"], 80)
    district = cell(demo[DISTRICT], REPORTED)
    assert district.value == Decimal("25.00")  # 3 of 12 schools at 100%
    assert district.standing == Standing.BEHIND
    # Only boarding schools count for the sprinkler indicator (7 of the 12); its value comes
    # from the building files (xiaoan.buildings.indicators).
    from xiaoan.accounts.models import User
    from xiaoan.buildings.tests.support import make

    officer = User.objects.get(username="school_a_officer")
    make(
        officer, demo[A], name="宿舍", code="SS", use="dormitory", fire_alarm=True, sprinklers=True
    )
    sprinklers = cell(demo[DISTRICT], "boarding-sprinklers")
    assert sprinklers.schools == 7
    assert sprinklers.value == Decimal("14.29")


def test_it_rolls_up_sums_and_minimums(demo):
    indicator = ind("safety-spending")
    put("safety-spending", demo[A], 70)
    put("safety-spending", demo[B], 40)
    for rollup, expected in ((Rollup.SUM, 110), (Rollup.MIN, 40), (Rollup.MEAN, 55)):
        indicator.rollup = rollup
        indicator.save()
        assert cell(demo[DISTRICT], "safety-spending").value == expected


def test_it_counts_a_value_only_once_accepted(demo, persona):
    officer, reviewer = persona("school_a_officer"), persona("district_officer")
    closed = ind(REPORTED)
    row = services.report(
        officer, indicator=closed.pk, unit=demo[A].pk, year=YEAR, value="100", note="门卫台账"
    )
    assert cell(demo[A], REPORTED).standing == Standing.MISSING  # waiting
    assert cell(demo[DISTRICT], REPORTED).value == 0
    services.send_back(reviewer, row.pk, note="缺少照片")
    assert cell(demo[A], REPORTED).standing == Standing.MISSING  # returned
    services.resubmit(officer, row.pk, value="100", note="补充照片")
    assert cell(demo[DISTRICT], REPORTED).value == 0  # waiting again
    services.accept(reviewer, row.pk)
    assert cell(demo[A], REPORTED).standing == Standing.MET
    assert cell(demo[DISTRICT], REPORTED).value == Decimal("8.33")  # 1 of 12
    spending = services.report(
        officer,
        indicator=ind("safety-spending").pk,
        unit=demo[A].pk,
        year=YEAR,
        value="65",
        note="预算表",
    )
    services.accept(reviewer, spending.pk)
    assert cell(demo[DISTRICT], "safety-spending").value == 65
    assert cell(demo[DISTRICT], "safety-spending").standing == Standing.MET


def test_it_lets_an_authority_set_a_stricter_target_for_its_subtree(demo, persona):
    officer = persona("district_officer")
    spending = ind("safety-spending")
    services.set_target(officer, spending.pk, year=YEAR, value="80")
    assert cell(demo[A], "safety-spending").target == 80
    assert cell(demo[DISTRICT], "safety-spending").target == 80
    assert cell(demo["鄂州市教育局"], "safety-spending").target == 60
    assert cell(demo["鄂州职业大学"], "safety-spending").target == 60
    with pytest.raises(Invalid) as refused:
        services.set_target(officer, spending.pk, year=YEAR, value="50")
    assert "上级目标" in str(refused.value.fields["value"][0])


def test_it_takes_a_provider_over_reported_values(demo, persona):
    put("safety-spending", demo[A], 10)

    @provider("safety-spending")
    def spending(schools, year):
        return {s.pk: 90 for s in schools if s.name == A}

    try:
        assert cell(demo[A], "safety-spending").value == 90
        with pytest.raises(Invalid):
            services.report(
                persona("school_a_officer"),
                indicator=ind("safety-spending").pk,
                unit=demo[A].pk,
                year=YEAR,
                value="1",
                note="x",
            )
    finally:
        unregister("safety-spending")


def _add_schools(parent, n):
    for i in range(n):
        Unit.objects.add_child(
            Unit.objects.get(pk=parent.pk), {"name": f"新建学校{i}", "kind": "school"}
        )


def test_it_does_not_query_per_unit(demo, persona):
    district = demo[DISTRICT]

    def count():
        user = persona("district_officer")
        with CaptureQueriesContext(connection) as ctx:
            board = values.board(Unit.objects.get(pk=district.pk), YEAR, branches=True, user=user)
        return len(ctx.captured_queries), len(board.branches)

    put(REPORTED, demo[A], 100)
    before, shown = count()
    _add_schools(district, 6)
    put(REPORTED, Unit.objects.get(name="新建学校3"), 100)
    assert count() == (before, shown + 6)


@pytest.mark.parametrize("top", ["鄂州市教育局", DISTRICT])
def test_it_counts_each_branch_behind_as_its_cells_do(demo, persona, top):
    """The ranking's shortcut (counts_only) against the full cells of every branch: values at
    some schools, a share, a boarding-only indicator, a stricter target set below the top."""
    put(REPORTED, demo[A], 100)
    put(REPORTED_MEAN, demo[B], 100)
    put("boarding-sprinklers", demo[A], 100)
    services.set_target(
        persona("district_officer"), ind("safety-spending").pk, year=YEAR, value="80"
    )
    put("safety-spending", demo[A], 70)
    # A share with no target: a school branch lacks it, an authority has no target to miss.
    Target.objects.filter(indicator=ind("security-guards")).delete()
    full = values.board(demo[top], YEAR, branches=True)
    quick = values.board(demo[top], YEAR, branches=True, counts_only=True)
    expected = {child.path: sum(1 for c in cells if c.behind) for child, cells in full.branches}
    assert len(expected) > 1
    assert quick.behind_by_branch == expected
    assert len(set(expected.values())) > 1  # the branches differ: the test can tell them apart
