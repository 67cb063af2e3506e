"""What an alert rule may watch in the drills (xiaoan.alerts.conditions): a school with no drill
held (recorded or evaluated) this semester, once `weeks` of the semester have gone by.

Semesters as the plans count them: 2/1–7/31 and 8/1–1/31 (`xiaoan.lawsafety.rules.semester`,
the one helper with exactly these dates). A drill of one of the school's departments or
campuses counts for the school. Raised once per school and semester (period "2026-autumn").
Two queries: the schools, and the units that held a drill."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.alerts.conditions import Finding, condition
from xiaoan.drills.choices import DrillStatus
from xiaoan.drills.models import Drill
from xiaoan.lawsafety.rules import semester, semester_label
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit, ancestor_paths

HELD = (DrillStatus.RECORDED, DrillStatus.EVALUATED)


def semester_key(day: dt.date) -> str:
    start, _end = semester(day)
    return f"{start.year}-{'spring' if start.month == 2 else 'autumn'}"


@condition(
    "no_drill_this_semester",
    gettext_lazy("本学期未开展应急演练"),
    thresholds={"weeks": (gettext_lazy("开学几周后仍未演练即预警"), 8)},
)
def no_drill(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    start, end = semester(today)
    weeks = max(int(thresholds.get("weeks", 8)), 0)
    if today < start + dt.timedelta(weeks=weeks):
        return
    schools = list(
        Unit.objects.filter(path__startswith=within, kind=UnitKind.SCHOOL, is_active=True)
        .order_by("path")
        .values("pk", "path", "name")
    )
    if not schools:
        return
    held = set(
        Drill.objects.filter(
            unit__path__startswith=within, status__in=HELD, held_on__gte=start, held_on__lte=end
        )
        .order_by()  # no default ordering: DISTINCT on the paths alone
        .values_list("unit__path", flat=True)
        .distinct()
    )
    drilled = {p for path in held for p in ancestor_paths(path)}
    period, label = semester_key(today), semester_label(today)
    for school in schools:
        if school["path"] in drilled:
            continue
        yield Finding(
            unit_id=school["pk"],
            key=f"school:{school['pk']}",
            period=period,
            title=_("本学期未开展应急演练：%(s)s") % {"s": school["name"]},
            detail=_("%(term)s自 %(start)s 开学已 %(w)d 周，尚无已实施的应急演练记录。")
            % {"term": label, "start": f"{start:%Y-%m-%d}", "w": (today - start).days // 7},
            url=f"{reverse('drills:drill_list')}?unit={school['pk']}",
        )
