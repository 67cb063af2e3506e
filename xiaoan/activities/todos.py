"""Education events open now for which the person's own school has recorded nothing, when
no duty binds it to the event (the duties' to-dos already count those obligations)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.activities import services
from xiaoan.core.todos import Todo, provider


@provider
def activity_todos(user: Any) -> list[Todo]:
    found = services.open_without(user)
    if not found:
        return []
    count = sum(len(schools) for _event, _window, schools in found)
    event = found[0][0]
    url = f"{reverse('activities:activity_record')}?event={event.code}"
    names = "、".join(str(e.name) for e, _w, _s in found)
    return [
        Todo(
            "activities.open",
            _("正在进行的安全教育日（月）尚未开展活动：%(names)s") % {"names": names},
            count,
            url,
            order=40,
        )
    ]
