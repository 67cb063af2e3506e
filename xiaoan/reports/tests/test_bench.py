"""`xiaoan bench dashboard` on a small data set: it runs and reports every page it measures."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_measures_the_home_page_and_dashboard_at_three_levels(demo):
    out = io.StringIO()
    call_command(
        "bench", "dashboard", "--units", "30", "--hazards", "300", "--runs", "2", stdout=out
    )
    text = out.getvalue()
    for who in ("school", "district", "province"):
        for page in ("home", "dashboard", "api dashboard"):
            assert f"{who}: {page} " in text, (who, page, text)
    # Every register's items at every school: the register sections read real rollups.
    assert "register buses: " in text and "register waters: " in text, text
    counted = re.search(r"school: dashboard .*?(\d+) queries", text)
    assert counted and int(counted.group(1)) > 0, text
