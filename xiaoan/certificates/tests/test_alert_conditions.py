"""The 持证上岗 conditions an alert rule may watch: certificates expiring and expired."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoan.alerts.conditions import conditions
from xiaoan.certificates.models import Certificate
from xiaoan.orgs.testing import two_districts

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
_serial = itertools.count(1)


@pytest.fixture
def tree(units):
    return two_districts(units)


def make(unit, until, **fields):
    n = next(_serial)
    return Certificate.objects.create(
        unit=unit, name=f"保安{n}", code=f"BA{n:05d}", post="guard", kind="security_guard",
        valid_until=until, **fields,
    )  # fmt: skip


def find(code, within, today=TODAY, **thresholds):
    return list(conditions()[code].find(today, thresholds, within))


def keys(findings):
    return {f.key for f in findings}


def test_it_finds_certificates_expiring_within_the_threshold(tree):
    soon = make(tree.school_a, TODAY)
    make(tree.school_a, TODAY + dt.timedelta(days=31))
    make(tree.school_a, None)  # long-term
    make(tree.school_a, TODAY + dt.timedelta(days=3), retired_at=timezone.now())
    gone = make(tree.school_a, TODAY - dt.timedelta(days=1))
    (found,) = find("certificate_expiring", tree.district_a.path)
    assert found.key == f"certificate:{soon.pk}"
    assert found.unit_id == tree.school_a.pk
    assert found.period == "2026-12-06"
    assert found.title == f"证书即将到期：{soon.name}（保安员证 {soon.code}）"
    assert "还有 0 天" in found.detail
    assert found.url == f"/certificates/{soon.pk}/"
    assert len(find("certificate_expiring", tree.district_a.path, days=31)) == 2
    (over,) = find("certificate_expired", tree.district_a.path)
    assert over.key == f"certificate:{gone.pk}"
    assert over.period == "2026-12-05+1"
    assert "已过期 1 天" in over.detail


def test_it_repeats_an_expired_certificate_weekly(tree):
    make(tree.school_a, TODAY - dt.timedelta(days=15))
    (found,) = find("certificate_expired", tree.district_a.path)
    assert found.period == "2026-11-21+3"
    (once,) = find("certificate_expired", tree.district_a.path, repeat_days=0)
    assert once.period == "2026-11-21+1"


def test_it_finds_only_the_subtree_and_the_same_keys_twice(tree):
    a = make(tree.school_a, TODAY + dt.timedelta(days=2))
    b = make(tree.school_b, TODAY + dt.timedelta(days=2))
    code = "certificate_expiring"
    assert keys(find(code, tree.district_a.path)) == {f"certificate:{a.pk}"}
    assert keys(find(code, tree.district_b.path)) == {f"certificate:{b.pk}"}
    first = [(f.key, f.period) for f in find(code, tree.city.path)]
    assert first == [(f.key, f.period) for f in find(code, tree.city.path)]
    assert len(first) == 2


@pytest.mark.parametrize("code,offset", [("certificate_expiring", 3), ("certificate_expired", -3)])
def test_it_reads_in_one_query_whatever_the_number(tree, code, offset):
    make(tree.school_a, TODAY + dt.timedelta(days=offset))
    with CaptureQueriesContext(connection) as few:
        assert len(find(code, tree.city.path)) == 1
    for _ in range(15):
        make(tree.school_b, TODAY + dt.timedelta(days=offset))
    with CaptureQueriesContext(connection) as many:
        assert len(find(code, tree.city.path)) == 16
    assert len(few) == len(many) == 1
