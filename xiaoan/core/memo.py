"""Reads a job repeats for every record of a batch, done once per batch.

The intake's job raises a hundred alerts in one transaction, mostly for the same few units:
each would read the same silences, responsible people and channels again. Inside
`with batch():`, `remembered(key, compute)` computes each key once; outside it computes
every time, so a page or an API call always reads afresh."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_memo: ContextVar[dict | None] = ContextVar("xiaoan_batch_memo", default=None)


@contextmanager
def batch() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
