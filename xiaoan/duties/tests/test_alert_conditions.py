"""The duties' condition an alert rule may watch: an obligation not met by its deadline."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.alerts.conditions import conditions
from xiaoan.duties.choices import ObligationStatus
from xiaoan.duties.models import Duty, Obligation
from xiaoan.orgs.testing import two_districts

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
CODE = "obligation_missed"
_serial = itertools.count(1)


@pytest.fixture
def tree(units):
    return two_districts(units)


@pytest.fixture
def make(tree):
    duty = Duty.objects.create(
        name="每月自查",
        issuer=tree.city,
        recurrence="monthly",
        proof="inspection",
        inspection_kind="self_check",
    )

    def make(unit, due, status=ObligationStatus.MISSED, **fields):
        n = next(_serial)
        return Obligation.objects.create(
            duty=duty,
            unit=unit,
            period_key=f"2026-{n:04d}",
            period_label="2026年11月",
            period_start=due - dt.timedelta(days=29),
            period_end=due,
            due_on=due,
            status=status,
            **fields,
        )

    return make


def find(within, today=TODAY, **thresholds):
    return list(conditions()[CODE].find(today, thresholds, within))


def keys(findings):
    return {f.key for f in findings}


def test_it_finds_obligations_missed_within_the_threshold(tree, make):
    missed = make(tree.school_a, TODAY - dt.timedelta(days=6))
    pending = make(tree.school_a, TODAY - dt.timedelta(days=1), status=ObligationStatus.PENDING)
    make(tree.school_a, TODAY, status=ObligationStatus.PENDING)  # due today: not late
    make(tree.school_a, TODAY - dt.timedelta(days=2), status=ObligationStatus.MET)
    make(tree.school_a, TODAY - dt.timedelta(days=2), status=ObligationStatus.REVIEW)
    # Returned for a redo: may record again until its resubmission date.
    make(
        tree.school_a,
        TODAY - dt.timedelta(days=2),
        status=ObligationStatus.PENDING,
        resubmit_by=TODAY + dt.timedelta(days=3),
    )
    old = make(tree.school_a, TODAY - dt.timedelta(days=31))
    found = find(tree.district_a.path)
    assert keys(found) == {f"obligation:{missed.pk}", f"obligation:{pending.pk}"}
    row = next(f for f in found if f.key == f"obligation:{missed.pk}")
    assert row.unit_id == tree.school_a.pk
    assert row.period == missed.period_key
    assert row.title == "常态化任务未按期完成：每月自查"
    assert "2026年11月" in row.detail and "2026-11-30" in row.detail
    assert row.url == f"/duties/obligations/{missed.pk}/"
    assert f"obligation:{old.pk}" in keys(find(tree.district_a.path, days=31))


def test_it_raises_an_obligation_once(tree, make):
    missed = make(tree.school_a, TODAY - dt.timedelta(days=3))
    later = find(tree.district_a.path, TODAY + dt.timedelta(days=14))
    assert [(f.key, f.period) for f in find(tree.district_a.path)] == [
        (f.key, f.period) for f in later
    ]
    assert later[0].period == missed.period_key


def test_it_finds_only_the_subtree_and_the_same_keys_twice(tree, make):
    a = make(tree.school_a, TODAY - dt.timedelta(days=2))
    b = make(tree.school_b, TODAY - dt.timedelta(days=2))
    assert keys(find(tree.district_a.path)) == {f"obligation:{a.pk}"}
    assert keys(find(tree.district_b.path)) == {f"obligation:{b.pk}"}
    first = [(f.key, f.period) for f in find(tree.city.path)]
    assert first == [(f.key, f.period) for f in find(tree.city.path)] and len(first) == 2


def test_it_reads_in_one_query_whatever_the_number(tree, make):
    make(tree.school_a, TODAY - dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as few:
        assert len(find(tree.city.path)) == 1
    for _ in range(12):
        make(tree.school_b, TODAY - dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as many:
        assert len(find(tree.city.path)) == 13
    assert len(few) == len(many) == 1
