"""安全教育活动 on the dashboard (xiaoan.reports.figures): this year's activities in the scope,
and for the event open now (else the last one) how many of the scope's schools held one."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from xiaoan.activities import calendar
from xiaoan.activities.models import Activity
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.reports.figures import Figure, Scope, Section, allowed, rate, section

VIEW = "activities.view_activity"


@section
def activity_section(scope: Scope) -> Section | None:
    if not allowed(scope, VIEW):
        return None
    today = scope.today
    year = Activity.objects.filter(scope.records(), held_on__year=today.year).count()
    event = max(calendar.EVENTS, key=lambda e: e.current_or_last(today).start)
    window = event.current_or_last(today)
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True)
    schools = (
        schools.filter(path__startswith=scope.path)
        if scope.subtree
        else schools.filter(pk=scope.unit.pk)
    )
    held = Activity.objects.filter(
        unit_id=OuterRef("pk"),
        event=event.code,
        held_on__gte=window.start,
        held_on__lte=window.end,
    )
    total = schools.count()
    done = schools.filter(Exists(held)).count()
    result = Section(key="activities", title=_("安全教育活动"), order=48, brief=False)
    ledger = scope.list_url("activities:activity_list", year=today.year)
    coverage = scope.list_url("activities:coverage", event=event.code, window=window.key)
    result.figures = [
        Figure("year", _("本年教育活动"), year, ledger, suffix=_("次")),
        Figure(
            "done",
            _("%(event)s已开展学校") % {"event": event.name},
            done,
            coverage,
            suffix=_("所"),
        ),
        Figure(
            "missing",
            _("%(event)s未开展学校") % {"event": event.name},
            total - done,
            coverage + "&state=missing",
            bad=total > done,
            suffix=_("所"),
        ),
        Figure("rate", _("开展率"), rate(done, total), coverage, suffix="%"),
    ]
    return result
