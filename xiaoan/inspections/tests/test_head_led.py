"""主要负责人带队: the built-in quarterly duty "leader_inspection" is proved only by an
inspection whose recorded leader holds the unit-head role at the inspected unit
(`xiaoan.duties.builtin.proving_inspections`); other duties take any inspection."""

from __future__ import annotations

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone

from xiaoan.duties import builtin
from xiaoan.duties import services as duties
from xiaoan.duties.models import Duty, Obligation
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, done, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"


def _led_by(persona, units, checklist, who: str | None) -> Inspection:
    leader = persona(who) if who else None
    inspection = make(persona, units, checklist, scheduled_on=timezone.localdate(), leader=leader)
    return done(persona, inspection)


def _proving(code: str) -> set[str]:
    found = Inspection.objects.filter(builtin.proving_inspections(code))
    return set(found.values_list("leader__username", flat=True))


def test_it_counts_only_an_inspection_led_by_the_unit_head(persona, units, checklist):
    _led_by(persona, units, checklist, "school_a_officer")
    _led_by(persona, units, checklist, None)
    assert _proving("leader_inspection") == set()  # the officer does not lead as principal
    _led_by(persona, units, checklist, "school_a_head")
    assert _proving("leader_inspection") == {"school_a_head"}
    # Every other duty takes any inspection, whoever led it.
    assert _proving("principal_self_check") == {"school_a_officer", None, "school_a_head"}
    assert _proving("") == {"school_a_officer", None, "school_a_head"}


def test_it_decides_per_obligation_inside_the_evaluation_query(persona, units, checklist):
    """The form the evaluation's subquery over obligations takes (OuterRef to the duty)."""
    builtin.create_builtin_duties(persona("district_officer"), units[DISTRICT])
    today = timezone.localdate()
    head_led = Duty.objects.get(issuer=units[DISTRICT], builtin_code="leader_inspection")
    monthly = Duty.objects.get(issuer=units[DISTRICT], builtin_code="principal_self_check")
    for duty in (head_led, monthly):
        duties.generate_duty(duty, today)

    def proved() -> dict[str, bool]:
        proofs = Inspection.objects.filter(
            unit_id=OuterRef("unit_id"),
            kind=OuterRef("duty__inspection_kind"),
            scheduled_on__gte=OuterRef("period_start"),
            scheduled_on__lte=OuterRef("period_end"),
        ).filter(builtin.proving_inspections(OuterRef("duty__builtin_code")))
        rows = Obligation.objects.filter(unit=units[SCHOOL_A], duty__in=[head_led, monthly])
        return dict(rows.annotate(ok=Exists(proofs)).values_list("duty__builtin_code", "ok"))

    _led_by(persona, units, checklist, "school_a_officer")
    assert proved() == {"leader_inspection": False, "principal_self_check": True}
    _led_by(persona, units, checklist, "school_a_head")
    assert proved() == {"leader_inspection": True, "principal_self_check": True}


def test_it_stops_counting_a_head_who_lost_the_role(persona, units, checklist):
    from xiaoan.accounts.models import RoleAssignment

    _led_by(persona, units, checklist, "school_a_head")
    RoleAssignment.objects.filter(
        user=persona("school_a_head"), role__code=builtin.UNIT_HEAD_ROLE
    ).delete()
    assert _proving("leader_inspection") == set()


def test_the_duties_evaluation_applies_the_rule(persona, units, checklist):
    builtin.create_builtin_duties(persona("district_officer"), units[DISTRICT])
    head_led = Duty.objects.get(issuer=units[DISTRICT], builtin_code="leader_inspection")
    duties.generate_duty(head_led, timezone.localdate())
    obligation = Obligation.objects.filter(duty=head_led, unit=units[SCHOOL_A])

    def proofs() -> int:
        return duties.with_proofs(obligation).get().done_inspections

    kind = head_led.inspection_kind
    officer_led = make(persona, units, checklist, kind=kind, scheduled_on=timezone.localdate(),
                       leader=persona("school_a_officer"))  # fmt: skip
    done(persona, officer_led)
    assert proofs() == 0
    head = make(persona, units, checklist, kind=kind, scheduled_on=timezone.localdate(),
                leader=persona("school_a_head"))  # fmt: skip
    done(persona, head)
    assert proofs() == 1
