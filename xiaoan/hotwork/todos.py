"""Hot work on the home page: permits awaiting one's approval (not one's own requests), and
for a supervisor the permits to start and to finish on site."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.hotwork.choices import PermitStatus
from xiaoan.hotwork.models import HotWorkPermit


def awaiting_approval(user: Any):
    # The school's own approvers, not every officer above it (xiaoan.core.todos.own_side).
    return (
        HotWorkPermit.objects.filter(own_side(user, "hotwork.approve_hotworkpermit"))
        .filter(status=PermitStatus.REQUESTED)
        .exclude(requested_by=user)
    )


@provider
def hotwork_todos(user: Any) -> list[Todo]:
    out: list[Todo] = []
    if has_permission_anywhere(user, "hotwork.approve_hotworkpermit"):
        count = awaiting_approval(user).count()
        if count:
            url = reverse("hotwork:hotworkpermit_list") + "?status=requested"
            out.append(Todo("hotwork_approve", _("待审批的动火申请"), count, url))
    if has_permission_anywhere(user, "hotwork.supervise_hotworkpermit"):
        counts = HotWorkPermit.objects.filter(supervisor=user).aggregate(
            to_start=Count("pk", filter=Q(status=PermitStatus.APPROVED)),
            to_finish=Count("pk", filter=Q(status=PermitStatus.WORKING)),
        )
        to_start, to_finish = counts["to_start"], counts["to_finish"]
        url = reverse("hotwork:hotworkpermit_mine")
        if to_start:
            out.append(Todo("hotwork_start", _("待开工的动火作业（监护）"), to_start, url))
        if to_finish:
            out.append(Todo("hotwork_finish", _("作业中待完工的动火作业（监护）"), to_finish, url))
    return out
