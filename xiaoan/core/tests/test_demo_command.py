"""`xiaoan demo` fills a new installation with a ledger and inspections worth looking at,
made through the services, and running it again adds nothing."""

import io

import pytest
from django.core.management import call_command

from xiaoan.closure.models import ClosureSample
from xiaoan.duties.models import Obligation
from xiaoan.hazards import tally
from xiaoan.hazards.models import Hazard
from xiaoan.inspections.models import Inspection, InspectionSchedule

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_it_loads_sample_work_once(units):
    assert "演示账号" in run("--bare")
    assert not Hazard.objects.exists() and not Inspection.objects.exists()
    output = run()
    statuses = set(Hazard.objects.values_list("status", flat=True))
    assert {"reported", "rectifying", "assigned", "submitted", "closed"} <= statuses
    assert Hazard.objects.filter(level="major", is_supervised=True).exists()
    district = units["梁子湖区教育局"]
    assert InspectionSchedule.objects.filter(organiser=district).count() == 5
    done = Inspection.objects.filter(status="submitted").get()
    assert done.results.filter(result="fail", hazard__isnull=False).count() == 1
    # One came from the inspection, one from the 危房 of the buildings' demo (xiaoan.buildings),
    # two from the drill's evaluation (xiaoan.drills), one from a public report (publicreports).
    assert Hazard.objects.filter(source="drill").count() == 2
    assert Hazard.objects.filter(source="public").count() == 1
    # (and one from the 销号复核 demo, xiaoan.closure, closed to be failed on review).
    sampled = (
        Hazard.objects.filter(subject_type__isnull=True)
        .exclude(source__in=["drill", "public"])
        .count()
        - 2
    )
    assert f"新建隐患 {sampled} 条" in output
    assert tally.reconcile() == 0
    # 销号复核 (xiaoan.closure): a sample with one failed review, its hazard back as 假整改.
    assert ClosureSample.objects.filter(organiser=district).count() == 1
    assert Hazard.objects.filter(fake_rectification=True, status="assigned").count() == 1
    before = (Hazard.objects.count(), Inspection.objects.count())
    assert Obligation.objects.filter(unit=units["梁子湖高级中学"]).exists()
    assert "新建隐患 0 条，检查 0 项，常态化任务 0 项" in run()
    assert (Hazard.objects.count(), Inspection.objects.count()) == before
