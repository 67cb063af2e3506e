"""Fire assets on the home page: expiry and service dates due soon or past (the register
layer's to-do), and the assets in use not yet checked this month (月检)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.fireassets.models import FireAsset, month_start
from xiaoan.fireassets.services import CHECK_PERM


@provider
def unchecked_this_month(user: Any) -> list[Todo]:
    """One count: the person's own school's assets in use without a check this month."""
    if not has_permission_anywhere(user, CHECK_PERM):
        return []
    count = (
        FireAsset.objects.active()
        .filter(own_side(user, CHECK_PERM))
        .filter(Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=month_start()))
        .count()
    )
    return [
        Todo(
            key="fireassets.unchecked",
            label=_("本月未检查的消防器材"),
            count=count,
            url=reverse("fireassets:check"),
            order=60,
        )
    ]
