"""The demo: the district's schools partly recorded the last 消防宣传月 and 全国交通安全日;
the calendar's obligations for those windows are met for them and only them."""

from __future__ import annotations

import pytest

from xiaoan.activities import services
from xiaoan.activities.demo import load_activities
from xiaoan.activities.models import Activity
from xiaoan.activities.tests.support import DISTRICT
from xiaoan.duties.models import Obligation

pytestmark = pytest.mark.django_db


def test_the_demo_district_partly_recorded_the_fire_month_and_traffic_day(persona, units):
    made = load_activities()
    assert made == Activity.objects.count() == 8 + 5
    assert load_activities() == 0  # once
    officer = persona("district_officer")
    for code, done in (("fire_month", 8), ("traffic_day", 5)):
        cover = services.coverage(officer, code, None, units[DISTRICT].pk)
        assert cover.done == done < cover.total
        met = Obligation.objects.filter(duty__builtin_code=f"edu_{code}", status="met")
        assert met.count() == done
        assert set(met.values_list("unit_id", flat=True)) == set(
            Activity.objects.filter(event=code).values_list("unit_id", flat=True)
        )
    assert Activity.objects.filter(photos__isnull=False).distinct().count() == 6
