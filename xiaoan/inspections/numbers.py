"""Inspection numbers, JC-2026-0001: per organising unit and calendar year of creation,
sequential and without gaps.

One counter row per organiser and year, locked (SELECT … FOR UPDATE) until the creating
transaction ends: concurrent creations queue behind it, and a creation that is rolled back
takes its numbers back with it. Bulk creation (schedules, draws) takes a block of numbers
in one locked step.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xiaoan.inspections.models import InspectionCounter

PREFIX = "JC"


def format_number(year: int, seq: int) -> str:
    return f"{PREFIX}-{year}-{seq:04d}"


def lock(organiser_id: int, year: int | None = None) -> InspectionCounter:
    """The organiser's counter for `year` (this year by default), locked until the caller's
    transaction ends. Lock it before reading what already exists, so that two bulk
    creations of the same thing see each other's rows."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers.lock needs the caller's transaction")
    year = year or timezone.localdate().year
    # Insert-if-missing cannot race: the second insert of the pair is ignored.
    InspectionCounter.objects.bulk_create(
        [InspectionCounter(organiser_id=organiser_id, year=year, last=0)], ignore_conflicts=True
    )
    return InspectionCounter.objects.select_for_update().get(organiser_id=organiser_id, year=year)


def take(counter: InspectionCounter, count: int = 1) -> list[str]:
    """The next `count` numbers of a locked counter, in order."""
    first = counter.last + 1
    counter.last += count
    InspectionCounter.objects.filter(pk=counter.pk).update(last=counter.last)
    return [format_number(counter.year, n) for n in range(first, first + count)]


def next_numbers(organiser_id: int, count: int = 1) -> list[str]:
    return take(lock(organiser_id), count)
