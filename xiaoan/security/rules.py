"""专职保安 against enrolment: the one place the guard rule is written.

Source: a configurable rule (no national figure is fixed in domain.md): every school keeps at
least `BASE` full-time guards, a boarding school at least `BOARDING_BASE`, plus one for every
full `PUPILS_PER_EXTRA` pupils enrolled (`orgs.Unit.enrolment`). A district with its own
standard changes these three numbers."""

from __future__ import annotations

from typing import Any

BASE = 1
BOARDING_BASE = 2
PUPILS_PER_EXTRA = 1000


def required_guards(unit: Any) -> int:
    """The full-time guards `unit` (a school) must have under the rule."""
    base = BOARDING_BASE if getattr(unit, "boarding", False) else BASE
    pupils = getattr(unit, "enrolment", None) or 0
    return base + pupils // PUPILS_PER_EXTRA
