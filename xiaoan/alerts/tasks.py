"""Alert jobs (huey): the intake's queue when a request wakes it and every minute (after a
killed runner), escalation and re-ringing every minute, the rules and old receipts daily."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from xiaoan.alerts import intake, rules, services


@db_task()
def intake_pass() -> int:
    """Raise the queued outside events' alerts (`intake.drain` keeps one runner at a time)."""
    return intake.drain()


@db_periodic_task(crontab(minute="*"))
def intake_sweep() -> int:
    """What a killed runner left queued (its lock has expired by the next minute)."""
    return intake.drain()


@db_periodic_task(crontab(hour="2", minute="50"))
@lock_task("alerts-receipts")
def receipt_pass() -> int:
    """Forget the outside events' receipts past `intake.KEEP_RECEIPTS`."""
    return intake.forget_old_receipts()


@db_periodic_task(crontab(minute="*"))
@lock_task("alerts-escalation")
def escalation_pass() -> dict[str, int]:
    """Escalate alerts not acknowledged in time; ring critical ones again."""
    return services.run_escalation()


@db_periodic_task(crontab(hour="1", minute="40"))
@lock_task("alerts-rules")
def rule_pass() -> dict[str, int]:
    """Evaluate every active rule once a day (each fires once per thing and period)."""
    return rules.evaluate_rules()
