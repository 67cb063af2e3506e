"""Scheduled audit jobs (huey): the nightly archive of rows past the retention."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoan.audit import archive


@db_periodic_task(crontab(hour="2", minute="20"))
@lock_task("audit-archive")
def nightly_archive() -> int:
    """Rows older than XIAOAN_AUDIT_RETENTION_DAYS go to a file under
    $XIAOAN_DATA_DIR/audit-archive/, or to the bucket's audit-archive/ with object storage
    (whichever server runs the job); the lock keeps two workers from racing."""
    result = archive.archive()
    return result.count if result else 0
