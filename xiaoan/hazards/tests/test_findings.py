"""Findings recorded for another service (an inspection) land in the unit's ledger."""

import pytest

from xiaoan.hazards import services, tally
from xiaoan.hazards.choices import HazardLevel, HazardSource, HazardStatus
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db


def test_a_direct_criterion_finding_is_a_confirmed_major_hazard_under_supervision(persona, units):
    expert = persona("expert")  # no unit scope and no hazard rights of his own
    school = units["梁子湖高级中学"]
    hazard = services.record_finding(
        expert,
        school,
        description="未建立消防安全责任体系",
        domain="fire",
        category="消防安全管理",
        criterion="FIRE-D-01",
        idempotency_key="inspection-1-item-1",
        major_note="检查项直接判定为重大事故隐患",
    )
    hazard.refresh_from_db()
    assert hazard.unit == school and hazard.source == HazardSource.INSPECTION
    # Confirmed, awaiting assignment (待交办).
    assert hazard.status == HazardStatus.CONFIRMED and hazard.confirmed_at is not None
    assert hazard.level == HazardLevel.MAJOR and hazard.criterion == "FIRE-D-01"
    assert hazard.is_supervised
    assert list(hazard.events.values_list("action", flat=True))[:2] == ["report", "confirm"]
    again = services.record_finding(
        expert, school, description="重复提交", idempotency_key="inspection-1-item-1"
    )
    assert again.pk == hazard.pk and Hazard.objects.filter(finder=expert).count() == 1
    assert tally.reconcile() == 0


def test_a_plain_finding_waits_for_triage_and_bad_input_is_refused(persona, units):
    expert = persona("expert")
    hazard = services.record_finding(
        expert, units["梁子湖高级中学"], description="灭火器压力不足", domain="fire"
    )
    assert hazard.status == HazardStatus.REPORTED and hazard.level == ""
    assert hazard.confirmed_at is None
    with pytest.raises(services.Invalid):
        services.record_finding(expert, units["梁子湖高级中学"], description="x")
    with pytest.raises(services.Invalid):
        services.record_finding(
            expert, units["梁子湖高级中学"], description="未知依据的隐患", criterion="NOPE-1"
        )
    assert Hazard.objects.filter(finder=expert).count() == 1
