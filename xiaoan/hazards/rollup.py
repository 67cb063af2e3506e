"""The hazards' rollup: the generic one (xiaoan.reports.rollups) for the kind "hazards",
whose tally is xiaoan.hazards.tallies. The services call `touch` with every step."""

from __future__ import annotations

from collections.abc import Iterable

from xiaoan.reports import rollups

KIND = "hazards"


def touch(unit_ids: Iterable[int]) -> None:
    rollups.touch(KIND, unit_ids)


def rebuild() -> int:
    return rollups.rebuild(KIND)


def reconcile() -> int:
    """Recount; returns how many rows were wrong."""
    return rollups.reconcile(KIND)
