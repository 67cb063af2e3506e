"""安防建设 on the home page: for a bureau, the declarations awaiting its verification; for a
school, its returned declarations and, when it has none this year, the declaration to make."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, own_units, provider
from xiaoan.security import services
from xiaoan.security.choices import PostureStatus
from xiaoan.security.models import VERIFY, SecurityPosture

ADD = "security.add_securityposture"


def undeclared_schools(user: Any, year: int):
    """The schools whose own people the person is among that have no declaration this year."""
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.orgs.models import Unit

    declared = SecurityPosture.objects.filter(year=year, retired_at__isnull=True).values("unit_id")
    return Unit.objects.filter(
        pk__in=own_units(user, ADD), kind=UnitKind.SCHOOL, is_active=True
    ).exclude(pk__in=declared)


@provider
def security_todos(user: Any) -> list[Todo]:
    out: list[Todo] = []
    url = reverse("security:securityposture_list")
    year = timezone.localdate().year
    if has_permission_anywhere(user, VERIFY):
        count = services.verifiable(user).count()
        if count:
            link = f"{url}?{urlencode({'status': PostureStatus.SUBMITTED})}"
            out.append(Todo("security.verify", _("待核验的安防建设申报"), count, link, order=30))
    if has_permission_anywhere(user, services.CHANGE):
        returned = SecurityPosture.objects.filter(
            own_side(user, services.CHANGE), status=PostureStatus.RETURNED, retired_at__isnull=True
        ).count()
        if returned:
            link = f"{url}?{urlencode({'status': PostureStatus.RETURNED})}"
            out.append(Todo("security.returned", _("被退回的安防建设申报"), returned, link))
    if has_permission_anywhere(user, ADD):
        missing = undeclared_schools(user, year).count()
        if missing:
            link = reverse("security:securityposture_add")
            out.append(
                Todo("security.declare", _("本年度安防建设尚未申报"), missing, link, order=60)
            )
    return out
