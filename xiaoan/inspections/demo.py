"""Sample inspections for the demo (`xiaoan demo`): the district's usual schedules, this
month's generated self-checks, and one self-check carried out with a finding."""

from __future__ import annotations

from django.db import transaction

from xiaoan.accounts.models import User
from xiaoan.hazards.demo import photo
from xiaoan.inspections import schedules, services
from xiaoan.inspections.choices import InspectionKind, ResultValue
from xiaoan.inspections.models import Inspection, InspectionSchedule
from xiaoan.orgs.models import Unit


@transaction.atomic
def load_inspections() -> int:
    """Create the schedules and this month's inspections once; returns how many inspections
    were made (none when the district already has schedules)."""
    district = Unit.objects.filter(name="梁子湖区教育局").first()
    school = Unit.objects.filter(name="梁子湖高级中学").first()
    if district is None or school is None:
        return 0
    if InspectionSchedule.objects.filter(organiser=district).exists():
        return 0
    officer = User.objects.get(username="district_officer")
    schedules.create_default_schedules(officer, district)
    made = sum(g.created for g in schedules.generate_all(actor=officer))
    check = (
        Inspection.objects.filter(unit=school, kind=InspectionKind.SELF_CHECK)
        .order_by("scheduled_on")
        .first()
    )
    if check is None:
        return made
    items = list(check.checklist.items.order_by("seq"))
    results = [
        {
            "item": item.pk,
            "result": ResultValue.FAIL if n == 1 else ResultValue.PASS,
            "note": "三楼东侧疏散指示标志不亮" if n == 1 else "",
        }
        for n, item in enumerate(items)
    ]
    photos = {
        item.pk: [photo("#2980b9")] for n, item in enumerate(items) if item.photo_required or n == 1
    }
    services.submit(
        User.objects.get(username="school_a_officer"),
        check.pk,
        results=results,
        photos=photos,
        summary="本月自查发现 1 项问题，已转入隐患台账。",
    )
    return made
