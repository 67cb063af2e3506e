"""危房: a building appraised C or D raises a major hazard in its unit's ledger, linked to the
building, through the hazard service — once: again only after a new appraisal (grade or
date changed) while no hazard of it is open. A re-appraisal to A or B closes nothing: the
hazard leaves the 动态清零 board only when it is closed through its loop (verified)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xiaoan.buildings.choices import DANGEROUS
from xiaoan.core.choices import SafetyDomain


def raise_danger(actor: Any, building: Any, before: Any) -> None:
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.models import Hazard

    if building.appraisal_grade not in DANGEROUS:
        return
    if before is not None and (before.appraisal_grade, before.appraised_on) == (
        building.appraisal_grade,
        building.appraised_on,
    ):
        return  # the same appraisal saved again
    if building.danger_hazard_id:
        open_one = Hazard.objects.open().filter(pk=building.danger_hazard_id).exists()
        if open_one:
            return  # its hazard is still in the loop
    grade = building.get_appraisal_grade_display()
    hazard = hazard_services.record_register_finding(
        actor,
        building.unit,
        description=_("%(name)s 安全鉴定为%(grade)s，属危房（鉴定日期 %(date)s）")
        % {"name": building.name, "grade": grade, "date": f"{building.appraised_on:%Y-%m-%d}"},
        subject=building,
        domain=SafetyDomain.BUILDINGS,
        category=_("校舍安全"),
        place=building.place,
        note=_("楼栋档案登记鉴定等级为%(grade)s，按危房确认为重大隐患。") % {"grade": grade},
    )
    type(building)._default_manager.filter(pk=building.pk).update(danger_hazard=hazard)
    building.danger_hazard = hazard
