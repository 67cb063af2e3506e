"""Fire assets on the home page: expiry and service dates due soon or past (the register
layer's to-do), and the assets in use not yet checked this month (月检), a counter of the
register's rollup (xiaoan.core.todos.Counted)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Counted, counted
from xiaoan.fireassets.registers import FIRE_ASSETS
from xiaoan.fireassets.services import CHECK_PERM

counted(
    Counted(
        key="fireassets.unchecked",
        label=_("本月未检查的消防器材"),
        kind=FIRE_ASSETS.tally_kind,
        counter="unchecked",
        perm=CHECK_PERM,
        url=lambda: reverse("fireassets:check"),
        order=60,
    )
)
