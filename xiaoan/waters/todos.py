"""重点水域 on the home page: in the drowning-prevention season, the person's own unit's
waters without a patrol in the last 14 days, a counter of the register's rollup
(xiaoan.core.todos.Counted)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Counted, counted
from xiaoan.waters.models import in_season
from xiaoan.waters.registers import WATERS
from xiaoan.waters.services import PATROL_PERM

counted(
    Counted(
        key="waters.unpatrolled",
        label=_("防溺水季14天未巡查的重点水域"),
        kind=WATERS.tally_kind,
        counter="unpatrolled",
        perm=PATROL_PERM,
        url=lambda: reverse("waters:water_list") + "?unpatrolled=true",
        order=55,
        when=in_season,
    )
)
