"""The id of the request (or job) being served, for logs: a caller's X-Request-ID when it is
sane, a new one otherwise. Carried into the jobs a request enqueues (xiaoan.core.queue)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

HEADER = "X-Request-ID"
_current: ContextVar[str | None] = ContextVar("xiaoan_request_id", default=None)
# A load balancer's ids are hex, uuids or base64-ish; anything else (or longer) is replaced
# so a log line cannot be forged through the header.
_SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def new() -> str:
    return uuid.uuid4().hex


def accept(value: str | None) -> str:
    return value if value and _SANE.match(value) else new()


def get() -> str | None:
    return _current.get()


@contextmanager
def bound(value: str | None) -> Iterator[str | None]:
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)
