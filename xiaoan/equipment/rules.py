"""An overdue statutory inspection (定期检验) is a hazard, raised by the registers' daily job
(`Due.on_overdue`, xiaoan.core.register_due) through the hazard service, linked to the
equipment as its subject — once per item and due date: a new inspection moves the date on,
and should that date pass too, it is a new hazard.

Level: 一般隐患. The Ministry guide (教发厅函〔2024〕20号) names 特种设备使用 as a domain, but
the article with its direct criteria was not at hand (docs/major-hazard-criteria.md §3, §5:
"do not mark any of their items as a direct major-hazard criterion … let a person grade
those hazards"). So the rule records the fact as a confirmed general hazard in the unit's
ledger, with a note saying so; no criterion is named.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from xiaoan.core.choices import SafetyDomain


def finder_of(item: Any) -> Any:
    """Whom the hazard names as finder (the job has no person): one of the people who keep
    the register at the item's unit, else the last person who changed the item."""
    from xiaoan.core.register_due import responsible_people
    from xiaoan.equipment.registers import EQUIPMENT

    people = responsible_people(EQUIPMENT.perm("change"), [item.unit_id]).get(item.unit_id)
    if people:
        return min(people, key=lambda u: u.pk)
    last = item.history.exclude(history_user=None).order_by("-history_date").first()
    return last.history_user if last is not None else None


def raise_overdue(row: Any, today: dt.date) -> Any:
    """The hazard of the equipment whose next inspection (the `DueDate` row) is past, or
    None when it is not due (any more), retired, or already has its hazard for that date."""
    from xiaoan.equipment.models import Equipment
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.choices import HazardLevel

    item = (
        Equipment.objects.select_for_update(of=("self",))
        .select_related("unit", "place")
        .filter(pk=row.object_id, retired_at__isnull=True)
        .first()
    )
    if item is None or item.next_inspection_on is None or item.next_inspection_on >= today:
        return None
    if item.overdue_hazard_for == item.next_inspection_on:
        return None
    actor = finder_of(item)
    if actor is None:
        raise RuntimeError(f"no one to name as finder for equipment {item.pk}")
    due = f"{item.next_inspection_on:%Y-%m-%d}"
    hazard = hazard_services.record_register_finding(
        actor,
        item.unit,
        description=_("%(kind)s %(name)s 定期检验已逾期（应于 %(date)s 前检验）")
        % {"kind": item.get_kind_display(), "name": str(item), "date": due},
        subject=item,
        domain=SafetyDomain.SPECIAL_EQUIPMENT,
        category=_("特种设备"),
        place=item.place,
        note=_(
            "一台一档登记的下次定期检验日期 %(date)s 已过，系统按一般隐患登记；"
            "未经定期检验的特种设备不得继续使用（《特种设备安全法》第四十条）。"
            "如属重大隐患，请按判定指南复核。"
        )
        % {"date": due},
        level=HazardLevel.GENERAL,
    )
    Equipment.objects.filter(pk=item.pk).update(
        overdue_hazard=hazard, overdue_hazard_for=item.next_inspection_on
    )
    return hazard
