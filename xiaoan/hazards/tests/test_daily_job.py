import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.tasks import daily_deadline_pass

pytestmark = pytest.mark.django_db


def overdue_hazard(persona, units):
    officer = persona("school_a_officer")
    hazard = services.report(officer, units["梁子湖高级中学"], description="楼梯扶手松动")
    services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL)
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=persona("school_a_owner"),
        measures="加固",
        deadline=timezone.localdate(),
    )
    from xiaoan.hazards.models import Hazard

    Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    return hazard


def test_it_runs_the_daily_pass_as_a_job(persona, units):
    hazard = overdue_hazard(persona, units)
    assert daily_deadline_pass.call_local()["overdue"] == 1
    hazard.refresh_from_db()
    assert hazard.is_overdue


def test_it_runs_the_daily_pass_from_the_console(persona, units, capsys):
    overdue_hazard(persona, units)
    call_command("hazards-daily")
    assert "逾期 1 条" in capsys.readouterr().out
