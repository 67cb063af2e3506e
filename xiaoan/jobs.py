"""Background jobs (huey). Immediate in tests, SQLite by default, Redis with REDIS_URL."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import HUEY, task


@task()
def ping() -> str:
    return "pong"


def queue_health() -> dict[str, Any]:
    backend = type(HUEY).__name__
    try:
        pending = HUEY.pending_count()
    except Exception as exc:
        return {"status": "error", "backend": backend, "error": exc.__class__.__name__}
    return {"status": "ok", "backend": backend, "immediate": HUEY.immediate, "pending": pending}
