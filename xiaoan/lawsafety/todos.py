"""法治与心理健康 on the home page of a school's own people who keep the registers: the
school's gaps against the rules (xiaoan.lawsafety.rules), read from its "lawsafety" rollup
(one query): no legal vice-principal, too few activities this semester, no police room,
full-time counsellors short of the enrolment's requirement. The registers' due dates (a
term or a certificate ending) come with every register's (xiaoan.core.register_due)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_units, provider
from xiaoan.lawsafety import rules
from xiaoan.lawsafety.registers import COUNSELLORS, LEGAL_VICE_PRINCIPALS, POLICE_ROOMS
from xiaoan.lawsafety.tallies import KIND


def _gaps(unit_ids: list[int]) -> Counter:
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.reports.models import Rollup

    total: Counter = Counter()
    rows = Rollup.objects.filter(kind=KIND, unit_id__in=unit_ids, unit__kind=UnitKind.SCHOOL)
    for own in rows.values_list("own", flat=True):
        own = own or {}
        total.update({k: v for k, v in own.items() if k != "c_have" and k != "c_need"})
        total["c_missing"] += max(own.get("c_need", 0) - own.get("c_have", 0), 0)
    return total


@provider
def rule_todos(user: Any) -> list[Todo]:
    wanted = [
        r for r in (LEGAL_VICE_PRINCIPALS, POLICE_ROOMS, COUNSELLORS)
        if has_permission_anywhere(user, r.perm("change"))
    ]  # fmt: skip
    if not wanted:
        return []
    units = sorted({pk for r in wanted for pk in own_units(user, r.perm("change"))})
    if not units:
        return []
    gaps = _gaps(units)
    todos = []

    def add(register, key: str, label: str, count: int) -> None:
        if register in wanted and count:
            url = reverse(register.url_name("list"))
            todos.append(Todo(key=f"lawsafety.{key}", label=label, count=count, url=url, order=65))

    add(LEGAL_VICE_PRINCIPALS, "no_lvp", _("学校未聘法治副校长"), gaps["no_lvp"])
    add(
        LEGAL_VICE_PRINCIPALS,
        "lvp_short",
        _("法治副校长本学期活动不足%(n)d次") % {"n": rules.MIN_ACTIVITIES_PER_SEMESTER},
        gaps["lvp_short"],
    )
    add(POLICE_ROOMS, "no_room", _("学校未设校园警务室"), gaps["no_room"])
    add(COUNSELLORS, "counsellors", _("专职心理健康教师缺额（人）"), gaps["c_missing"])
    return todos
