"""一台一档's own step beyond the register layer's services: recording a new statutory
inspection (定期检验), which moves the next inspection date on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.core import registers
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.equipment.choices import Conclusion


@transaction.atomic
def record_inspection(
    actor: Any,
    pk: Any,
    *,
    inspected_on: dt.date | None,
    conclusion: str,
    next_inspection_on: dt.date | None,
):
    """The inspection's date, conclusion and the next date the report gives. It may not be
    older than the one on file; the item's rules (dates not in the future, the next after
    this one) and the scope are the register's update's."""
    from xiaoan.equipment.registers import EQUIPMENT

    # 404/403/409 before the input's checks, as for any change.
    if not has_permission_anywhere(actor, EQUIPMENT.perm("change")):
        raise Forbidden()
    item = registers._locked(EQUIPMENT, actor, pk, "change")
    errors: dict[str, list[str]] = {}
    if inspected_on is None:
        errors["inspected_on"] = [_("请填写检验日期。")]
    elif item.last_inspected_on and inspected_on < item.last_inspected_on:
        errors["inspected_on"] = [
            _("检验日期不能早于已登记的上次检验（%(d)s）。")
            % {"d": f"{item.last_inspected_on:%Y-%m-%d}"}
        ]
    if conclusion not in Conclusion.values:
        errors["conclusion"] = [_("请选择检验结论。")]
    if next_inspection_on is None:
        errors["next_inspection_on"] = [_("请填写下次定期检验日期。")]
    if errors:
        raise Invalid(fields=errors)
    data = {
        "last_inspected_on": inspected_on,
        "conclusion": conclusion,
        "next_inspection_on": next_inspection_on,
    }
    try:
        return registers.update(EQUIPMENT, actor, item.pk, data)
    except Invalid as error:
        # The model speaks of its fields; this step's body names the inspection's.
        names = {"last_inspected_on": "inspected_on"}
        fields = {names.get(k, k): v for k, v in (error.fields or {}).items()}
        raise Invalid(error.message, fields=fields) from None
