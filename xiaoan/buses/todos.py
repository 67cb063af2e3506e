"""校车 on the home page (the licence's due date is the register layer's own to-do): the
school's buses in use not yet checked before today's trips (出车前安全检查), and buses
without a valid driver or escort, for the school's own people. Both are counters of the
register's rollup (xiaoan.core.todos.Counted)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.buses.registers import BUSES
from xiaoan.buses.services import CHECK_PERM
from xiaoan.core.todos import Counted, counted

counted(
    Counted(
        key="buses.unchecked",
        label=_("今日未做出车前检查的校车"),
        kind=BUSES.tally_kind,
        counter="unchecked",
        perm=CHECK_PERM,
        url=lambda: reverse("buses:check"),
        order=55,
    ),
    Counted(
        key="buses.crew",
        label=_("校车无有效驾驶人或随车照管员"),
        kind=BUSES.tally_kind,
        counter="no_crew",
        perm=BUSES.perm("change"),
        url=lambda: reverse(BUSES.url_name("list")) + "?no_valid_crew=true",
        order=56,
        late=True,
    ),
)
