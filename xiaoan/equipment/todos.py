"""一台一档 on the home page: equipment whose statutory inspection is due soon or past (the
register layer's to-do), and equipment without an operator whose certificate is valid today,
a counter of the register's rollup (xiaoan.core.todos.Counted), for the school's people who
keep the register."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Counted, counted
from xiaoan.equipment.registers import EQUIPMENT

counted(
    Counted(
        key="equipment.operators",
        label=_("特种设备无有效持证操作人员"),
        kind=EQUIPMENT.tally_kind,
        counter="no_operator",
        perm=EQUIPMENT.perm("change"),
        url=lambda: reverse(EQUIPMENT.url_name("list")) + "?operators_invalid=true",
        order=60,
        late=True,
    )
)
