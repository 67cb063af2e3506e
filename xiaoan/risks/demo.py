"""Sample risk register (`xiaoan demo`), made through the services like real work, once
(nothing when School A already has risk points): the dormitory, canteen and school-gate
starting lists copied into 梁子湖高级中学 by its safety officer, the measures given to the
总务处 owner, one check passed."""

from __future__ import annotations

from django.db import transaction

from xiaoan.accounts.models import User
from xiaoan.orgs.models import Unit
from xiaoan.risks import library, services
from xiaoan.risks.models import RiskPoint

SCHOOL_A = "梁子湖高级中学"


@transaction.atomic
def load_risks() -> int:
    school = Unit.objects.filter(name=SCHOOL_A).first()
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["school_a_officer", "school_a_owner"])
    }
    if school is None or len(people) < 2 or RiskPoint.objects.filter(unit=school).exists():
        return 0
    officer, owner = people["school_a_officer"], people["school_a_owner"]
    made = []
    for code in ("dormitory", "canteen", "gate"):
        made += library.copy_into(officer, unit=school, code=code, owner=owner.pk)
    # A passed check only: the demo's hazards are counted by the hazards' own sample.
    first = made[0]
    measure = first.measures.order_by("pk").first()
    if measure is not None:
        services.record_check(
            owner, first.pk, measure=measure.pk, result="passed", note="巡查未发现违规电器"
        )
    return len(made)
