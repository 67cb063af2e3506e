"""Migration 0002 (the built-in set): its data step runs again without doubling anything, and
its reverse takes the national set away, except an indicator values were reported for."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from xiaoan.indicators.models import Indicator, Target
from xiaoan.indicators.tests.support import REPORTED, REPORTED_MEAN, put

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("xiaoan.indicators.migrations.0002_builtin_indicators")


def test_it_adds_the_set_once_and_takes_it_away_again(demo):
    Indicator.objects.filter(code__in=[REPORTED, REPORTED_MEAN]).delete()  # the tests' own
    before = (Indicator.objects.count(), Target.objects.count())
    assert before[0] == len(MIGRATION.BUILTIN)
    MIGRATION.add(apps, None)
    assert (Indicator.objects.count(), Target.objects.count()) == before
    put("smoke-alarms", demo["梁子湖高级中学"], 100)
    MIGRATION.remove(apps, None)
    assert list(Indicator.objects.values_list("code", flat=True)) == ["smoke-alarms"]
    assert not Target.objects.exists()
