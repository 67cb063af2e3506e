"""Which channels a message goes to: the unit's own, by severity and category, and those of
the units above that take their subtree's messages; rows written in the caller's
transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from xiaoan.channels import services, sms
from xiaoan.channels.models import Delivery
from xiaoan.channels.tests.support import DISTRICT, OFFICE_A, SCHOOL_A, SCHOOL_B, channel

pytestmark = pytest.mark.django_db


def sms_channel(persona, units, name, **fields):
    fields.setdefault("target", "13800000001")
    return channel(persona, units, kind="sms", name=name, **fields)


def reached(units, unit=SCHOOL_A, category="alerts", severity="warning"):
    deliveries = services.dispatch(
        unit=units[unit], category=category, severity=severity, subject="s", body="b"
    )
    return sorted(d.channel.name for d in deliveries)


def test_it_sends_what_reaches_the_channels_least_severity(persona, units):
    sms_channel(persona, units, "全部", min_severity="info")
    sms_channel(persona, units, "警告以上", min_severity="warning")
    sms_channel(persona, units, "仅严重", min_severity="critical")
    assert reached(units, severity="info") == ["全部"]
    assert reached(units, severity="warning") == ["全部", "警告以上"]
    assert reached(units, severity="critical") == ["仅严重", "全部", "警告以上"]


def test_it_sends_only_the_categories_a_channel_takes(persona, units):
    sms_channel(persona, units, "隐患群", categories=["hazards"])
    sms_channel(persona, units, "全部类别", categories=[])
    assert reached(units, category="hazards") == ["全部类别", "隐患群"]
    assert reached(units, category="alerts") == ["全部类别"]


def test_it_reaches_units_above_only_when_they_take_their_subtree(persona, units):
    who = {"who": "district_officer", "unit": DISTRICT}
    sms_channel(persona, units, "区局值班（含下级）", include_subtree=True, **who)
    sms_channel(persona, units, "区局内部", **who)
    sms_channel(persona, units, "高中安办群", include_subtree=True)
    sms_channel(persona, units, "东沟小学群", who="district_officer", unit=SCHOOL_B)
    assert reached(units, SCHOOL_A) == ["区局值班（含下级）", "高中安办群"]
    # A department of School A: School A's and the district's subtree channels.
    assert reached(units, OFFICE_A) == ["区局值班（含下级）", "高中安办群"]
    assert reached(units, SCHOOL_B) == ["东沟小学群", "区局值班（含下级）"]
    assert reached(units, DISTRICT) == ["区局值班（含下级）", "区局内部"]


def test_it_skips_stopped_channels(persona, units):
    ch = sms_channel(persona, units, "停用的")
    services.set_active(persona("school_a_officer"), ch.pk, False)
    assert reached(units) == []


def test_it_writes_nothing_when_the_callers_transaction_rolls_back(
    persona, units, django_capture_on_commit_callbacks
):
    sms_channel(persona, units, "安办")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            assert reached(units) == ["安办"]
            raise RuntimeError("the alert could not be saved")
    assert Delivery.objects.count() == 0 and sms.outbox == []


def test_it_sends_after_the_callers_commit(persona, units, django_capture_on_commit_callbacks):
    sms_channel(persona, units, "安办")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reached(units)
        assert sms.outbox == []  # not before the commit
    for callback in callbacks:
        callback()
    assert len(sms.outbox) == 1


def test_it_keeps_one_row_per_channel_and_key(persona, units):
    sms_channel(persona, units, "甲")
    sms_channel(persona, units, "乙")
    first = services.dispatch(
        unit=units[SCHOOL_A],
        category="alerts",
        severity="critical",
        subject="s",
        body="b",
        key="alert:7:escalated",
        ref="alert:7",
    )
    again = services.dispatch(
        unit=units[SCHOOL_A],
        category="alerts",
        severity="critical",
        subject="s",
        body="b",
        key="alert:7:escalated",
        ref="alert:7",
    )
    assert sorted(d.pk for d in first) == sorted(d.pk for d in again)
    assert Delivery.objects.filter(ref="alert:7").count() == 2
    long_key = "x" * 500  # hashed to fit, still one row
    services.dispatch(
        unit=units[SCHOOL_A], category="a", severity="info", subject="s", body="", key=long_key
    )
    services.dispatch(
        unit=units[SCHOOL_A], category="a", severity="info", subject="s", body="", key=long_key
    )
    assert Delivery.objects.filter(key__startswith="sha256:").count() == 2


def test_it_refuses_an_unknown_severity(units):
    with pytest.raises(ValueError):
        services.dispatch(
            unit=units[SCHOOL_A], category="a", severity="fatal", subject="s", body=""
        )


def test_it_reads_the_channels_with_few_queries(persona, units, django_assert_max_num_queries):
    for n in range(5):
        sms_channel(persona, units, f"渠道{n}", include_subtree=True)
    with django_assert_max_num_queries(4):
        deliveries = services.dispatch(
            unit=units[OFFICE_A], category="alerts", severity="critical", subject="s", body=""
        )
    assert len(deliveries) == 5
