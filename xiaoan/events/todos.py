"""大型活动 on the home page: events within 7 days not yet signed off, for the people of the
school who keep the register (those starting today are late); counters of the register's
rollup (xiaoan.core.todos.Counted)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Counted, counted
from xiaoan.events.registers import EVENTS

counted(
    Counted(
        key="events.signoff",
        label=_("7天内举办的大型活动尚未签批"),
        kind=EVENTS.tally_kind,
        counter="soon_unsigned",
        perm=EVENTS.perm("change"),
        url=lambda: reverse(EVENTS.url_name("list")) + "?signoff=soon",
        order=55,
        late="today_unsigned",
    )
)
