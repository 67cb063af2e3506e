"""`allows` (one hazard, no query) must give the answers `restrict` (SQL) gives."""

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.models import Hazard, allows

pytestmark = pytest.mark.django_db

PEOPLE = [
    "district_officer",
    "district_head",
    "district_supervisor",
    "school_a_head",
    "school_a_officer",
    "school_a_owner",
    "school_b_teacher",
    "uni_security",
    "uni_head",
    "expert",
    "auditor",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
ACTIONS = ["view", "confirm", "assign", "rectify", "verify", "supervise", "export", "change"]


def test_it_decides_each_hazard_like_the_database_does(persona, units):
    officer = persona("school_a_officer")
    assigned = services.report(officer, units["梁子湖高级中学"], description="楼道灯损坏")
    services.confirm(officer, assigned.pk, level=HazardLevel.GENERAL)
    services.assign(
        officer,
        assigned.pk,
        owner_unit=units["总务处"],
        owner=None,
        measures="更换",
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    snapshot = services.report(
        persona("school_b_teacher"),
        units["东沟镇中心小学"],
        description="围墙有裂缝",
        source="snapshot",
    )
    in_department = services.report(officer, units["政教处"], description="办公室插座松动")
    uni = services.report(
        persona("uni_security"), units["鄂州职业大学"], description="实验室门锁坏"
    )
    hazards = [assigned, snapshot, in_department, uni]
    for username in PEOPLE:
        user = persona(username)
        for action in ACTIONS:
            in_sql = set(
                Hazard.objects.restrict(user, action)
                .filter(pk__in=[h.pk for h in hazards])
                .values_list("pk", flat=True)
            )
            for hazard in Hazard.objects.filter(pk__in=[h.pk for h in hazards]).select_related(
                "unit", "owner_unit"
            ):
                assert allows(user, hazard, action) == (hazard.pk in in_sql), (
                    username,
                    action,
                    hazard.description,
                )
