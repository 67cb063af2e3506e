"""Functions each app registers in a module of its own name (`<app>/todos.py`,
`<app>/figures.py`), found the first time the registry is read: core and the dashboard never
import the apps that contribute to them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils.module_loading import autodiscover_modules


class Registry:
    def __init__(self, module: str) -> None:
        self.module = module
        self._functions: list[Callable[..., Any]] = []
        self._discovered = False

    def register(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if func not in self._functions:
            self._functions.append(func)
        return func

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        if not self._discovered:
            autodiscover_modules(self.module)
            self._discovered = True
        return iter(list(self._functions))
