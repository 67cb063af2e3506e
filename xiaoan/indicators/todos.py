"""Reported values awaiting the person's review (as the unit directly above), and this
year's indicators their school has not reported (xiaoan.core.todos)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.scoping import grants_for
from xiaoan.core.todos import Todo, provider
from xiaoan.indicators import services
from xiaoan.indicators.choices import Source, ValueStatus
from xiaoan.indicators.models import Indicator, IndicatorValue
from xiaoan.indicators.providers import provider_for
from xiaoan.orgs.models import Unit


def awaiting_review(user: Any):
    """Values waiting at units directly below one where the person holds the review right
    (not those they reported themselves)."""
    q = Q(pk__in=[])
    for g in grants_for(user):
        if services.REVIEW in g.permissions and g.unit_path:
            depth = len(g.unit_path) // Unit.steplen
            q |= Q(unit__path__startswith=g.unit_path, unit__depth=depth + 1)
    return IndicatorValue.objects.filter(q, status=ValueStatus.PENDING).exclude(
        reported_by_id=getattr(user, "pk", None)
    )


def unreported(user: Any, year: int) -> int:
    """Indicators of `year` the person's schools still owe (none reported, or returned)."""
    schools = services.reporting_units(user)
    if not schools:
        return 0
    indicators = [
        i
        for i in Indicator.objects.filter(is_active=True, source=Source.REPORTED).select_related(
            "owner"
        )
        if provider_for(i.code) is None
    ]
    done = set(
        IndicatorValue.objects.filter(
            unit__in=[s.pk for s in schools],
            year=year,
            status__in=(ValueStatus.PENDING, ValueStatus.ACCEPTED),
        ).values_list("unit_id", "indicator_id")
    )
    return sum(
        1
        for school in schools
        for i in indicators
        if (i.owner_id is None or school.path.startswith(i.owner.path))
        and (school.boarding or not i.boarding_only)
        and (school.pk, i.pk) not in done
    )


@provider
def indicator_todos(user: Any) -> list[Todo]:
    grants = grants_for(user)
    out = []
    if any(services.REVIEW in g.permissions for g in grants):
        out.append(
            Todo(
                "indicators.review",
                _("待审核的指标填报"),
                awaiting_review(user).count(),
                f"{reverse('indicators:indicatorvalue_list')}?status=review",
                order=21,
            )
        )
    if any(services.REPORT in g.permissions for g in grants):
        out.append(
            Todo(
                "indicators.report",
                _("本年度待填报的指标"),
                unreported(user, timezone.localdate().year),
                reverse("indicators:indicator_list"),
                order=45,
            )
        )
    return out
