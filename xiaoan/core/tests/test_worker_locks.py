"""A job worker killed while a periodic job held its lock must not stop that job for good."""

from __future__ import annotations

from django.conf import settings
from huey.consumer_options import ConsumerConfig
from huey.contrib.djhuey import HUEY


def test_a_starting_worker_clears_the_locks_a_killed_one_left():
    import xiaoan.alerts.tasks  # noqa: F401  (registers the escalation's lock)

    held = HUEY.lock_task("alerts-escalation")
    held.__enter__()  # and never left: the worker holding it was killed
    assert HUEY.is_locked("alerts-escalation")
    HUEY.create_consumer(**ConsumerConfig(**settings.HUEY["consumer"]).values)
    assert not HUEY.is_locked("alerts-escalation")
