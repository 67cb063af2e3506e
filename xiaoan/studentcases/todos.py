"""Bullying cases on the home page: those waiting for the school's determination (认定), for
the county reviewer's 复查 and for the city reviewer's 复核, each with those past their time
limit counted as late. Counts and a link only: a to-do never names a minor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.core.todos import Todo, provider
from xiaoan.studentcases import services

LABELS = {
    "determine": lambda: _("待认定的欺凌事件"),
    "review": lambda: _("待复查的欺凌事件"),
    "reexamine": lambda: _("待复核的欺凌事件"),
}


@provider
def bullying_todos(user: Any, today: dt.date | None = None) -> list[Todo]:
    out: list[Todo] = []
    url = reverse("studentcases:bullyingcase_list")
    for step, label in LABELS.items():
        queryset = services.awaiting(user, step)
        if not queryset.query.is_empty():
            figures = queryset.aggregate(
                n=Count("pk"), late=Count("pk", filter=services.late_filter(step, today))
            )
            if figures["n"]:
                out.append(
                    Todo(
                        f"studentcases.{step}",
                        label(),
                        figures["n"],
                        f"{url}?step={step}",
                        late=figures["late"],
                        order=40,
                    )
                )
    return out
