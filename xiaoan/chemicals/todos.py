"""The chemicals' to-dos (xiaoan.core.todos): storages whose monthly stocktake falls due
(the register layer's due dates, xiaoan.chemicals.rules), and movements of controlled
chemicals waiting for a person's second signature (双人双锁) in their own school: a
bureau's officer may sign, but is not handed every school's cabinet."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.chemicals.services import pending_for
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, provider


@provider
def chemical_todos(user: Any) -> list[Todo]:
    if not has_permission_anywhere(user, "chemicals.confirm_stockmovement"):
        return []
    return [
        Todo(
            "chemicals.confirm",
            _("待复核的危化品出入库（双人双锁）"),
            pending_for(user).count(),
            f"{reverse('chemicals:stockmovement_list')}?mine=1",
            order=20,
        )
    ]


# Storages whose monthly stocktake (controlled chemicals) is due soon or past.
