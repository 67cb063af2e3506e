"""The daily pass: `xiaoan duties-daily [--date] [--json]` and the huey job generate, decide
and warn the units' reporters once."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from xiaoan.duties import services
from xiaoan.duties.models import Obligation
from xiaoan.duties.tests.support import SCHOOL_A, SCHOOL_B, done_inspection, duty
from xiaoan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("duties-daily", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_generates_evaluates_and_reports_as_json(persona, units):
    d = duty(persona, units)
    done_inspection(units, SCHOOL_B, "self_check", dt.date(2026, 3, 2))
    first = run("--date", "2026-03-26")
    assert first["date"] == "2026-03-26"
    assert first["generated"] == Obligation.objects.filter(duty=d).count() > 1
    assert first["met"] == 1 and first["missed"] == 0
    assert first["due_soon"] == first["generated"] - 1
    assert first["duties"][0]["period"] == "2026-03"
    warned = set(
        Notification.objects.filter(kind="due_soon").values_list("recipient__username", flat=True)
    )
    # School A's reporters are warned; School B is done (and its teacher reports nothing).
    assert warned == {"school_a_officer", "school_a_head"}
    assert first["notifications"] == 2
    again = run("--date", "2026-03-27")
    assert again["generated"] == 0 and again["due_soon"] == 0 and again["notifications"] == 0
    later = run("--date", "2026-04-01")
    assert later["missed"] == first["generated"] - 1
    assert later["generated"] == first["generated"]  # April's obligations
    assert Notification.objects.filter(kind="overdue").count() > 0


def test_it_warns_the_reporters_of_the_unit(persona, units):
    d = duty(persona, units, who="school_a_officer", issuer=SCHOOL_A)
    services.daily(dt.date(2026, 3, 28))
    to = set(
        Notification.objects.filter(kind="due_soon").values_list("recipient__username", flat=True)
    )
    assert {"school_a_officer", "school_a_head"} <= to
    assert "district_officer" not in to and "school_b_teacher" not in to
    assert Obligation.objects.filter(duty=d).count() == 1


def test_it_prints_a_summary_without_json(persona, units):
    duty(persona, units)
    out = io.StringIO()
    call_command("duties-daily", "--date", "2026-03-01", stdout=out)
    assert "新生成" in out.getvalue()


def test_it_refuses_a_bad_date(db):
    with pytest.raises(CommandError):
        call_command("duties-daily", "--date", "2026-13-01")


def test_the_job_runs_the_daily_pass(persona, units):
    from xiaoan.duties.tasks import daily_duty_pass

    duty(persona, units)
    result = daily_duty_pass.call_local()
    assert result["generated"] > 0
