"""大型活动 on the dashboard (xiaoan.reports.figures): events in the next 30 days, those of them
not yet signed off, and events held without a sign-off; per branch the unsigned counts for
the ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.events.registers import EVENTS
from xiaoan.reports.figures import (
    Column,
    Figure,
    Scope,
    Section,
    allowed,
    branches_of,
    section,
    tallied,
)


@section
def event_section(scope: Scope) -> Section | None:
    if not allowed(scope, "events.view_event"):
        return None
    totals = tallied(scope, EVENTS)
    link = partial(scope.list_url, "events:event_list")

    result = Section(key="events", title=_("大型活动"), order=47, brief=False)
    result.figures = [
        Figure(
            "upcoming",
            _("30天内举办"),
            totals["upcoming"],
            link(signoff="upcoming"),
            suffix=_("项"),
        ),
        Figure(
            "upcoming_unsigned",
            _("30天内举办未签批"),
            totals["upcoming_unsigned"],
            link(signoff="upcoming_unsigned"),
            bad=totals["upcoming_unsigned"] > 0,
            suffix=_("项"),
        ),
        Figure(
            "missed",
            _("未签批即举办"),
            totals["missed"],
            link(signoff="missed"),
            bad=totals["missed"] > 0,
            suffix=_("项"),
        ),
    ]
    # Shown in the ranking, not weighted into its score.
    result.columns = [
        Column("missed", _("未签批即举办")),
        Column("upcoming_unsigned", _("近期未签批")),
    ]
    result.branches = branches_of(scope, EVENTS, "missed", "upcoming_unsigned")
    return result
