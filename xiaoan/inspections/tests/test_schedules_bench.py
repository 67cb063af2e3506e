"""`xiaoan bench inspections` runs end to end on a small tree (the wiring, not the figures)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from xiaoan.inspections.models import Inspection, InspectionSchedule

pytestmark = pytest.mark.django_db


def test_the_bench_command_runs_on_a_small_tree():
    out = io.StringIO()
    call_command(
        "bench", "inspections", "--units", "40", "--months", "1", "--runs", "2", stdout=out
    )
    text = out.getvalue()
    assert "generate one month of self-checks" in text and "(38 created)" in text
    assert "generate again (idempotent)" in text and "(0 created)" in text
    for label in ("coverage: service", "coverage: page", "coverage: API"):
        assert label in text
    schedule = InspectionSchedule.objects.get(name="基准测试每月安全自查")
    assert Inspection.objects.filter(schedule_key__startswith=f"s{schedule.pk}:").count() == 76
