"""An alert's notice reaches the unit's group robots and SMS lists (xiaoan.channels), the
superior's on escalation, and nobody's while silenced."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.alerts import services, silences
from xiaoan.channels.models import Channel, Delivery

from .support import DISTRICT, SCHOOL_A, smoke

pytestmark = pytest.mark.django_db


def robot(units, at, **fields):
    values = {"kind": "wecom", "name": "值班群", "target": "https://qyapi.weixin.qq.com/x",
              "min_severity": "info"}  # fmt: skip
    values.update(fields)
    return Channel.objects.create(unit=units[at], **values)


def test_a_raised_alert_is_delivered_once_to_its_units_channels(units):
    school = robot(units, SCHOOL_A)
    quiet = robot(units, SCHOOL_A, name="只收严重", min_severity="critical")
    other = robot(units, SCHOOL_A, name="只收隐患", categories=["hazards"])
    alert, _created = smoke(units)
    sent = Delivery.objects.filter(ref=f"alert:{alert.pk}")
    assert list(sent.values_list("channel", flat=True)) == [school.pk]
    assert "3号楼3层烟感报警" in sent.get().subject
    smoke(units)  # a repeat: nobody is told again
    assert sent.count() == 1
    assert not Delivery.objects.filter(channel__in=[quiet, other]).exists()


def test_an_escalation_goes_to_the_superiors_channels_and_a_silence_to_none(units, persona):
    bureau = robot(units, DISTRICT, name="区值班群")
    alert, _created = smoke(units)
    later = timezone.now() + dt.timedelta(days=2)
    assert services.escalate_overdue(later) == 1
    assert Delivery.objects.filter(channel=bureau, ref=f"alert:{alert.pk}").count() == 1
    silences.create_silence(
        persona("school_a_officer"), unit=units[SCHOOL_A], include_subtree=True, place="",
        kind="", matchers={}, starts_at=None, ends_at=timezone.now() + dt.timedelta(hours=2),
        reason="消防系统维保",
    )  # fmt: skip
    robot(units, SCHOOL_A)
    quiet, _created = smoke(units, title="维保期间的报警", labels={"sensor": "X"})
    assert quiet.silenced_by_id is not None
    assert not Delivery.objects.filter(ref=f"alert:{quiet.pk}").exists()
