"""销号复核 on the home page: the reviews assigned to the person, late ones counted."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.closure import services
from xiaoan.core.todos import Todo, provider


@provider
def closure_todos(user: Any) -> list[Todo]:
    mine = services.my_pending(user)
    count = mine.count()
    if not count:
        return []
    late = mine.filter(due_on__lt=timezone.localdate()).count()
    return [
        Todo(
            "closure.review",
            _("待开展的销号复核"),
            count,
            f"{reverse('closure:sample_list')}?mine=1",
            late=late,
        )
    ]
