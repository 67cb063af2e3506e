"""Where a hazard came from, told by the app that recorded it (a drill's evaluation): an app
registers, for its hazard source, a function of (person, hazard) giving (text, url) or None
(the record is not the person's to see). The hazard page asks only the hazard's own source,
so other hazards cost no query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Origin = Callable[[Any, Any], tuple[str, str] | None]
ORIGINS: dict[str, Origin] = {}


def register(source: str, origin: Origin) -> Origin:
    ORIGINS[source] = origin
    return origin


def origin_of(user: Any, hazard: Any) -> tuple[str, str] | None:
    found = ORIGINS.get(hazard.source)
    return found(user, hazard) if found is not None else None
