"""The job queue huey runs (settings.HUEY["huey_class"]): huey's Redis and SQLite queues
with three things several workers on several servers need.

- A scheduled job runs once a slot: each worker's scheduler claims the minute in the
  database (one conditional UPDATE of the job's JobStat row) and only the winner enqueues.
- A job logs under the id of the request that enqueued it (xiaoan.core.requestid).
- Each run's duration and outcome are counted in JobStat, for /metrics.

Imported by huey.contrib.djhuey while the apps load: models are imported inside functions.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from huey import RedisHuey as _RedisHuey
from huey import SqliteHuey as _SqliteHuey
from huey import signals
from huey.api import chord, group

from xiaoan.core import requestid

logger = logging.getLogger(__name__)
REQUEST_ID_KWARG = "_xiaoan_request_id"


class _Xiaoan:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signal(signals.SIGNAL_EXECUTING)(self._started)
        self.signal(signals.SIGNAL_COMPLETE, signals.SIGNAL_ERROR)(self._finished)

    def enqueue(self, task):
        current = requestid.get()
        if current and not isinstance(task, (group, chord)) and isinstance(task.kwargs, dict):
            task.kwargs[REQUEST_ID_KWARG] = current
        return super().enqueue(task)

    def execute(self, task, timestamp=None):
        carried = task.kwargs.pop(REQUEST_ID_KWARG, None) if isinstance(task.kwargs, dict) else None
        with requestid.bound(carried or requestid.get() or f"job-{task.id}"):
            return super().execute(task, timestamp)

    def read_periodic(self, timestamp):
        due = super().read_periodic(timestamp)
        if not due or self.immediate:
            return due
        won = claim_slot([self.job_name(task) for task in due], self._aware(timestamp))
        return [task for task in due if self.job_name(task) in won]

    def job_name(self, task) -> str:
        """The dotted path (huey's own task.name is the bare function name)."""
        return self._registry.task_to_string(type(task))

    def _aware(self, timestamp: dt.datetime | None) -> dt.datetime:
        from django.utils import timezone

        if timestamp is None:
            return timezone.now()
        if timestamp.tzinfo is not None:
            return timestamp
        if self.utc:
            return timestamp.replace(tzinfo=dt.UTC)
        return timezone.make_aware(timestamp)

    def _started(self, signal: str, task) -> None:
        task._xiaoan_started = time.monotonic()

    def _finished(self, signal: str, task, exc: BaseException | None = None) -> None:
        started = getattr(task, "_xiaoan_started", None)
        if started is None or self.immediate:
            return  # tests and `make run`'s immediate mode count nothing
        record_run(self.job_name(task), time.monotonic() - started, exc)


class RedisHuey(_Xiaoan, _RedisHuey):
    pass


class SqliteHuey(_Xiaoan, _SqliteHuey):
    pass


def _fresh_connection() -> None:
    """Drop a connection the server closed (a worker idles for hours between slots), but
    never one inside a transaction: Django closes those too."""
    from django.db import close_old_connections, connection

    if not connection.in_atomic_block:
        close_old_connections()


def claim_slot(names: list[str], when: dt.datetime) -> set[str]:
    """The names whose slot (the minute of `when`) this caller claimed first. A database
    error claims nothing: a job missing one slot beats a job run twice."""
    from django.db.models import Q

    from xiaoan.core.models import JobStat

    slot = when.replace(second=0, microsecond=0)
    won: set[str] = set()
    try:
        _fresh_connection()
        JobStat.objects.bulk_create([JobStat(name=name) for name in names], ignore_conflicts=True)
        for name in names:
            stale = Q(last_slot__isnull=True) | Q(last_slot__lt=slot)
            if JobStat.objects.filter(stale, name=name).update(last_slot=slot):
                won.add(name)
    except Exception:
        logger.exception("periodic slot %s not claimed", slot.isoformat())
        return set()
    return won


def record_run(name: str, seconds: float, error: BaseException | None = None) -> None:
    """Count one run; never lets the bookkeeping fail the job."""
    from django.db.models import F
    from django.utils import timezone

    from xiaoan.core.models import JobStat

    changes: dict[str, Any] = {
        "runs": F("runs") + 1,
        "seconds_total": F("seconds_total") + seconds,
        "last_seconds": seconds,
        "last_finished": timezone.now(),
        "last_error": type(error).__name__[:100] if error else "",
    }
    if error is not None:
        changes["failures"] = F("failures") + 1
    try:
        _fresh_connection()
        if not JobStat.objects.filter(name=name).update(**changes):
            JobStat.objects.bulk_create([JobStat(name=name)], ignore_conflicts=True)
            JobStat.objects.filter(name=name).update(**changes)
    except Exception:
        logger.exception("run of %s not counted", name)


def job_stats() -> list[tuple[str, int, int, float, float | None]]:
    """(name, runs, failures, seconds_total, last_seconds) of every job that ran, for /metrics."""
    from xiaoan.core.models import JobStat

    return list(
        JobStat.objects.filter(runs__gt=0)
        .order_by("name")
        .values_list("name", "runs", "failures", "seconds_total", "last_seconds")
    )
