"""Scheduled alert jobs (huey): escalation and re-ringing every minute, the rules daily."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoan.alerts import rules, services


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
