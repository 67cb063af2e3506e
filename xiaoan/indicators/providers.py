"""Apps that hold the data behind an indicator compute it: `@provider("code")` in
`<app>/indicators.py` (autodiscovered). A provider gets the schools and the year and answers
each school's value (missing: no data); it wins over reported values. None exist yet for the
built-in set (registers and training come later): those are reported by the schools."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.module_loading import autodiscover_modules

Provider = Callable[[Sequence[Any], int], dict[int, Decimal | int | float | None]]
_providers: dict[str, Provider] = {}
_discovered = False


def provider(code: str) -> Callable[[Provider], Provider]:
    """Register `func(schools, year) -> {school id: value}` as indicator `code`'s source."""

    def register(func: Provider) -> Provider:
        _providers[code] = func
        return func

    return register


def unregister(code: str) -> None:
    _providers.pop(code, None)


def provider_for(code: str) -> Provider | None:
    global _discovered
    if not _discovered:
        autodiscover_modules("indicators")
        _discovered = True
    return _providers.get(code)
