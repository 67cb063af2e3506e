"""gunicorn settings for an app server: `gunicorn -c deploy/gunicorn.conf.py xiaoan.wsgi`.
Every value can be overridden on the command line or by GUNICORN_CMD_ARGS.

With several workers, /metrics adds up every worker's samples through prometheus_client's
multiprocess mode: set PROMETHEUS_MULTIPROC_DIR to an empty directory of this server's own
(the systemd unit's RuntimeDirectory, for instance); it is emptied when gunicorn starts."""

import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("XIAOAN_BIND", "127.0.0.1:8000")
# One process per core, several threads each: requests mostly wait on the database's round
# trips (README, "PostgreSQL and Redis"); the loaded apps are shared by preloading.
worker_class = "gthread"
workers = int(os.environ.get("XIAOAN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("XIAOAN_THREADS", 8))
preload_app = True
# A request past this is killed with its worker (exports and reports run as jobs instead).
timeout = 60
# On SIGTERM (a release, systemd stop) requests under way get this long to finish.
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, staggered so they do not all restart at once.
max_requests = 2000
max_requests_jitter = 200
# The access line is xiaoan's own (logger xiaoan.request, with the request id): none here.
accesslog = None
errorlog = "-"
# Behind nginx on the same host: X-Forwarded-* from it only.
forwarded_allow_ips = os.environ.get("XIAOAN_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
limit_request_fields = 100


def on_starting(server):
    """Samples left by a previous run's workers would be added to this run's."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        for stale in Path(path).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    """A worker gone (recycled, killed): its live gauges no longer count."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
