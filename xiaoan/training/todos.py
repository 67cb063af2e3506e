"""On the organiser's home page: sessions held today or before with nobody recorded as
attending, a counter of the register's rollup (xiaoan.core.todos.Counted)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Counted, counted
from xiaoan.training.registers import TRAININGS
from xiaoan.training.services import CHANGE_PERM

counted(
    Counted(
        key="training.unattended",
        label=_("已举办但未登记参训人员的培训"),
        kind=TRAININGS.tally_kind,
        counter="unattended",
        perm=CHANGE_PERM,
        url=lambda: reverse("training:trainingsession_list") + "?unattended=true",
        order=56,
    )
)
