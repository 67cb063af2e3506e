"""Sample fire assets for the demo schools (`xiaoan demo`): a teaching building's floors with
their extinguishers, hydrants and smoke detectors, and a 微型消防站 — made through the
register's services like real work, once (nothing when a school already has assets). One
extinguisher of 太和镇中心学校 is past its expiry, so it is a hazard on its record."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.fireassets.models import FireAsset
from xiaoan.fireassets.registers import FIRE_ASSETS
from xiaoan.orgs.models import Place, Unit

SCHOOLS = ["梁子湖高级中学", "太和镇中心学校", "东沟镇中心小学"]
FLOORS = ["一层", "二层"]


def _place(unit: Unit, name: str, kind: str, parent: Place | None = None) -> Place:
    place, _created = Place.objects.get_or_create(
        unit=unit, parent=parent, name=name, defaults={"kind": kind}
    )
    return place


@transaction.atomic
def load_fire_assets() -> int:
    """Create the sample assets once per school. Returns how many were made."""
    actor = User.objects.filter(username="district_officer").first()
    if actor is None:
        return 0
    today = timezone.localdate()
    made = 0
    for index, school_name in enumerate(SCHOOLS):
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or FireAsset.objects.filter(unit=school).exists():
            continue
        building = _place(school, "教学楼", "building")
        rows = []
        for number, floor_name in enumerate(FLOORS, start=1):
            floor = _place(school, floor_name, "floor", building)
            for side, where in (("E", "东侧楼梯口"), ("W", "西侧楼梯口")):
                rows.append(
                    {
                        "kind": "extinguisher",
                        "code": f"MHQ-{number}{side}",
                        "asset_type": "dry_powder",
                        "capacity": "4kg",
                        "place": floor,
                        "position": f"{floor_name}{where}",
                        "produced_on": dt.date(today.year - 3, 3, 1),
                        "expires_on": dt.date(today.year + 2, 3, 1),
                    }
                )
            rows.append(
                {
                    "kind": "hydrant",
                    "code": f"XHS-{number}",
                    "asset_type": "indoor",
                    "place": floor,
                    "position": f"{floor_name}走廊中部",
                    "last_serviced_on": today - dt.timedelta(days=120),
                    "next_service_on": today + dt.timedelta(days=245),
                }
            )
            if index != 2:  # 东沟镇中心小学 has not fitted its detectors yet
                rows.append(
                    {
                        "kind": "detector",
                        "code": f"YG-{number}",
                        "asset_type": "smoke",
                        "place": floor,
                        "position": f"{floor_name}走廊",
                    }
                )
        rows.append(
            {
                "kind": "station",
                "code": "WXZ-1",
                "name": "微型消防站",
                "place": building,
                "position": "一层门卫室旁",
                "last_serviced_on": today - dt.timedelta(days=30),
                "next_service_on": today + dt.timedelta(days=20),
            }
        )
        if index == 1:  # one past its expiry: the rule makes it a hazard
            rows[0]["produced_on"] = dt.date(today.year - 7, 1, 1)
            rows[0]["expires_on"] = today - dt.timedelta(days=10)
        for row in rows:
            registers.create(FIRE_ASSETS, actor, {"unit": school, **row})
            made += 1
    return made
