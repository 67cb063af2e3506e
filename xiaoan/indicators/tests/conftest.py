import datetime as dt

import pytest

from xiaoan.indicators.tests.support import REPORTED, REPORTED_MEAN


@pytest.fixture(autouse=True)
def _in_2026(monkeypatch):
    """The figures are of 2026, the campaign's last year, whatever today is."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 6, 15))


@pytest.fixture(autouse=True)
def _a_reported_indicator(request):
    """These tests' example of an indicator the schools report and the bureau reviews (a
    share, 100 each year): their own, since the built-in ones get their providers as the
    registers come (封闭式管理 from 安防建设)."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        request.getfixturevalue("db")
    from xiaoan.indicators.models import Indicator, Target

    indicator = Indicator.objects.create(
        code=REPORTED,
        name="门卫值守落实",
        measure="%",
        rollup="share",
        description="测试用：学校填报（100 为已落实）。",
        direction="higher",
        source="reported",
        order=5,
    )
    for year in (2024, 2025, 2026):  # saved one by one: each save recounts the rollups
        Target.objects.create(indicator=indicator, year=year, value=100)
    mean = Indicator.objects.create(
        code=REPORTED_MEAN,
        name="轮训完成率",
        measure="%",
        rollup="mean",
        description="测试用：学校填报的平均值。",
        direction="higher",
        source="reported",
        order=6,
    )
    Target.objects.create(indicator=mean, year=2026, value=100)
