"""The built-in indicator "leader-training" (主要负责人、分管负责人、安办主任轮训完成率): the
share of a school's principals, deputies in charge and 安办主任 (xiaoan.training.services.
leaders_q) who attended a session held from the plan's start (2024) to the end of the year;
a school with none of them on the platform has no value. Counted in two queries for any
number of schools: the people, each with whether they were trained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from xiaoan.accounts.models import User
from xiaoan.indicators.providers import SchoolIndex, provider
from xiaoan.training.choices import LEADER_PERIOD_START
from xiaoan.training.services import leaders_q, trained_q


def leader_shares(schools: Sequence[Any], year: int) -> dict[int, int]:
    if not schools or year < LEADER_PERIOD_START:
        return {}
    index = SchoolIndex(schools)
    start = dt.date(LEADER_PERIOD_START, 1, 1)
    end = dt.date(year, 12, 31)
    people = (
        User.objects.filter(index.condition(), leaders_q(), is_active=True)
        .annotate(trained=trained_q(start, end))
        .values_list("unit__path", "trained")
    )
    counts: dict[int, list[int]] = {}
    for path, trained in people:
        school = index.school_of(path)
        if school is None:
            continue
        row = counts.setdefault(school, [0, 0])
        row[0] += 1
        row[1] += int(bool(trained))
    return {pk: round(trained * 100 / total) for pk, (total, trained) in counts.items()}


@provider("leader-training", reads=("training.attendance",))
def leader_training(schools: Sequence[Any], year: int) -> dict[int, int]:
    return leader_shares(schools, year)
