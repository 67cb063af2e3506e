"""The chemicals' condition an alert rule may watch: a controlled chemical whose last count
did not match the books."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.alerts.conditions import conditions
from xiaoan.chemicals.models import Balance, Chemical, Stocktake, StocktakeLine, Storage
from xiaoan.orgs.testing import two_districts

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
CODE = "controlled_chemical_count_differs"
_serial = itertools.count(1)


@pytest.fixture
def tree(units):
    return two_districts(units)


@pytest.fixture
def lab(persona):
    """`lab(unit)`: a storage and a chemical (controlled unless told) with a balance, and
    `count(on, book, counted)` to record a count of it."""
    one, two = persona("school_a_officer"), persona("school_a_head")

    def lab(unit, controlled=True):
        n = next(_serial)
        storage = Storage.objects.create(
            unit=unit, name=f"危化品专柜{n}", kind="cabinet", keeper_one=one, keeper_two=two
        )
        chemical = Chemical.objects.create(
            unit=unit, name=f"氰化钾{n}", spec="500g/瓶", measure="g", is_toxic=controlled
        )
        Balance.objects.create(unit=unit, chemical=chemical, storage=storage, quantity=500)

        def count(on, book, counted):
            take = Stocktake.objects.create(unit=unit, storage=storage, taken_on=on, actor=one)
            book, counted = Decimal(book), Decimal(counted)
            StocktakeLine.objects.create(
                stocktake=take,
                chemical=chemical,
                book_quantity=book,
                counted_quantity=counted,
                difference=counted - book,
                reason="" if counted == book else "称量误差",
            )
            return take

        return storage, chemical, count

    return lab


def find(within, today=TODAY, **thresholds):
    return list(conditions()[CODE].find(today, thresholds, within))


def keys(findings):
    return {f.key for f in findings}


def test_it_finds_controlled_chemicals_whose_last_count_differs(tree, lab):
    storage, cyanide, count = lab(tree.school_a)
    count(TODAY - dt.timedelta(days=40), "500", "500")
    short = count(TODAY - dt.timedelta(days=5), "500", "495.5")
    _s, _c, ordinary = lab(tree.school_a, controlled=False)
    ordinary(TODAY - dt.timedelta(days=5), "500", "480")
    _s, _c, matched = lab(tree.school_a)
    matched(TODAY - dt.timedelta(days=40), "500", "490")
    matched(TODAY - dt.timedelta(days=3), "490", "490")  # the last count matched
    (found,) = find(tree.district_a.path)
    assert found.key == f"stock:{storage.pk}:{cyanide.pk}"
    assert found.unit_id == tree.school_a.pk
    assert found.period == f"2026-12-01#{short.pk}"
    assert found.title == f"管制类危化品盘点账实不符：{cyanide.name}（500g/瓶）"
    assert "账面 500，实盘 495.5，差异 -4.5 克（g）" in found.detail
    assert "称量误差" in found.detail
    assert found.url == f"/chemicals/stocktakes/{short.pk}/"
    assert found.place == storage.name


def test_it_looks_back_the_threshold_days_and_raises_once_per_count(tree, lab):
    _s, _c, count = lab(tree.school_a)
    old = count(TODAY - dt.timedelta(days=61), "500", "501")
    assert find(tree.district_a.path) == []
    (found,) = find(tree.district_a.path, days=61)
    assert found.period == f"2026-10-06#{old.pk}"
    newer = count(TODAY - dt.timedelta(days=1), "500", "499")
    assert find(tree.district_a.path)[0].period == f"2026-12-05#{newer.pk}"


def test_it_finds_only_the_subtree_and_the_same_keys_twice(tree, lab):
    sa, ca, count_a = lab(tree.school_a)
    sb, cb, count_b = lab(tree.school_b)
    count_a(TODAY - dt.timedelta(days=2), "500", "499")
    count_b(TODAY - dt.timedelta(days=2), "500", "499")
    assert keys(find(tree.district_a.path)) == {f"stock:{sa.pk}:{ca.pk}"}
    assert keys(find(tree.district_b.path)) == {f"stock:{sb.pk}:{cb.pk}"}
    first = [(f.key, f.period) for f in find(tree.city.path)]
    assert first == [(f.key, f.period) for f in find(tree.city.path)] and len(first) == 2


def test_it_reads_in_one_query_whatever_the_number(tree, lab):
    _s, _c, count = lab(tree.school_a)
    count(TODAY - dt.timedelta(days=2), "500", "499")
    with CaptureQueriesContext(connection) as few:
        assert len(find(tree.city.path)) == 1
    for n in range(8):
        _s, _c, count = lab(tree.school_b)
        count(TODAY - dt.timedelta(days=20), "500", "500")
        count(TODAY - dt.timedelta(days=2), "500", str(490 + n))
    with CaptureQueriesContext(connection) as many:
        assert len(find(tree.city.path)) == 9
    assert len(few) == len(many) == 1
