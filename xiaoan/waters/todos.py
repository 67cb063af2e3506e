"""重点水域 on the home page: in the drowning-prevention season, the person's own unit's
waters without a patrol in the last 14 days."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.waters.models import Water, in_season, unpatrolled
from xiaoan.waters.services import PATROL_PERM


@provider
def waters_unpatrolled(user: Any) -> list[Todo]:
    today = timezone.localdate()
    if not in_season(today) or not has_permission_anywhere(user, PATROL_PERM):
        return []
    count = (
        Water.objects.filter(retired_at__isnull=True)
        .filter(own_side(user, PATROL_PERM))
        .filter(unpatrolled(today))
        .count()
    )
    return [
        Todo(
            key="waters.unpatrolled",
            label=_("防溺水季14天未巡查的重点水域"),
            count=count,
            url=reverse("waters:water_list") + "?unpatrolled=true",
            order=55,
        )
    ]
