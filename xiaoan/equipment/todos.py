"""一台一档 on the home page: equipment whose statutory inspection is due soon or past, and
equipment without an operator whose certificate is valid today, for the school's people
who keep the register."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.operators import has_valid_operator
from xiaoan.equipment.registers import EQUIPMENT


@provider
def operator_todos(user: Any) -> list[Todo]:
    perm = EQUIPMENT.perm("change")
    if not has_permission_anywhere(user, perm):
        return []
    count = (
        Equipment.objects.filter(own_side(user, perm), retired_at__isnull=True)
        .filter(~has_valid_operator())
        .count()
    )
    if not count:
        return []
    return [
        Todo(
            key="equipment.operators",
            label=_("特种设备无有效持证操作人员"),
            count=count,
            late=count,
            url=reverse(EQUIPMENT.url_name("list")) + "?operators_invalid=true",
            order=60,
        )
    ]
