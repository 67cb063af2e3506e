"""Text a person reads: local time to the minute in change logs, 今天 rather than "0 天前",
请选择 rather than a bare "---------"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template

from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.history import _display


def test_it_runs_in_shanghai_time():
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


def test_it_shows_a_changed_time_local_to_the_minute():
    from xiaoan.inspections.models import Inspection

    field = Inspection._meta.get_field("submitted_at")
    utc = dt.datetime(2026, 12, 5, 7, 17, 57, 839181, tzinfo=ZoneInfo("UTC"))
    assert _display(Inspection, field, utc, {}) == "2026-12-05 15:17"
    day = Inspection._meta.get_field("scheduled_on")
    assert _display(Inspection, day, dt.date(2026, 12, 5), {}) == "2026-12-05"


@pytest.mark.parametrize(
    ("value", "ago", "open_", "left"),
    [
        (0, "今天", "今天", "今天到期"),
        (1, "昨天", "已 1 天", "明天到期"),
        (40, "40 天前", "已 40 天", "剩 40 天"),
        (None, "", "", ""),
    ],
)
def test_it_says_today_instead_of_zero_days(value, ago, open_, left):
    template = Template(
        "{% load xiaoan_days %}{{ v|days_ago }}|{{ v|days_open }}|{{ v|days_left }}"
    )
    assert template.render(Context({"v": value})) == f"{ago}|{open_}|{left}"


@pytest.mark.django_db
def test_it_offers_qing_xuan_ze_instead_of_dashes():
    from xiaoan.orgs.models import Unit

    class Picked(StyledFormMixin, forms.Form):
        unit = forms.ModelChoiceField(queryset=Unit.objects.all())
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")])
        place = forms.ModelChoiceField(queryset=Unit.objects.all(), empty_label="（不选）")

    html = str(Picked())
    assert "---------" not in html
    assert html.count("请选择") == 2 and "（不选）" in html
