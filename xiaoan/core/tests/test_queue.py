"""The job queue under several workers: a scheduled job runs once a slot whichever worker's
scheduler gets there, a job logs under the id of the request that enqueued it, each run is
counted for /metrics, and SIGTERM lets a running job finish."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from huey import crontab

from xiaoan.core import queue, requestid
from xiaoan.core.models import JobStat

SLOT = dt.datetime(2026, 12, 7, 1, 10, 5)  # naive UTC, as huey's scheduler passes it


def _worker(tmp_path, name="w"):
    """A huey like each worker process builds from settings, with the same periodic job."""
    huey = queue.SqliteHuey("xiaoan-test", filename=str(tmp_path / "q.sqlite3"))

    @huey.periodic_task(crontab(minute="*"), name="tick")
    def tick():
        return "tick"

    return huey


@pytest.mark.django_db
def test_it_runs_a_scheduled_job_once_a_slot_however_many_workers_schedule_it(tmp_path):
    workers = [_worker(tmp_path) for _ in range(3)]
    due = [len(w.read_periodic(SLOT)) for w in workers]
    assert sorted(due) == [0, 0, 1]
    # The same minute seconds later (another server's scheduler wakes later): nobody.
    assert [len(w.read_periodic(SLOT.replace(second=50))) for w in workers] == [0, 0, 0]
    # The next minute: one again.
    assert sum(len(w.read_periodic(SLOT + dt.timedelta(minutes=1))) for w in workers) == 1
    row = JobStat.objects.get()
    assert row.last_slot == dt.datetime(2026, 12, 7, 1, 11, tzinfo=dt.UTC)
    assert row.name.endswith(".tick")


@pytest.mark.django_db
def test_it_skips_a_slot_rather_than_run_twice_when_the_database_fails(tmp_path, monkeypatch):
    worker = _worker(tmp_path)

    def broken(*args, **kwargs):
        raise OSError("database is gone")

    monkeypatch.setattr(JobStat.objects, "bulk_create", broken)
    assert worker.read_periodic(SLOT) == []


def _in_thread(work):
    """Run `work` on a connection of its own (autocommit, outside the test's transaction)."""
    out: list = []

    def run():
        try:
            out.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


@pytest.mark.django_db
@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="one writer at a time on SQLite: the race needs PostgreSQL",
)
def test_it_gives_a_slot_to_exactly_one_of_many_racing_schedulers():
    barrier = threading.Barrier(8)
    slot = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)

    def claim():
        barrier.wait()
        return queue.claim_slot(["test.race"], slot)

    try:
        runs = [_in_thread(claim) for _ in range(8)]
        for thread, _out in runs:
            thread.join()
        winners = [out[0] for _thread, out in runs]
        assert len(winners) == 8
        assert sum(len(won) for won in winners) == 1
    finally:  # the threads committed for real
        thread, _ = _in_thread(lambda: JobStat.objects.filter(name="test.race").delete())
        thread.join()


@pytest.mark.django_db
def test_it_carries_the_request_id_into_the_job_it_enqueues(tmp_path):
    huey = queue.SqliteHuey("xiaoan-test", filename=str(tmp_path / "q.sqlite3"))
    seen: list[str | None] = []

    @huey.task()
    def remember(value):  # no **kwargs: the carried id must not reach the function
        seen.append((value, requestid.get()))

    with requestid.bound("req-0123456789"):
        remember(1)
    remember(2)  # enqueued outside any request
    for _ in range(2):
        task = huey.dequeue()
        huey.execute(task)
    assert seen[0] == (1, "req-0123456789")
    assert seen[1][0] == 2 and seen[1][1].startswith("job-")
    assert requestid.get() is None


@pytest.mark.django_db
def test_it_counts_runs_failures_and_durations_of_each_job(tmp_path):
    huey = queue.SqliteHuey("xiaoan-test", filename=str(tmp_path / "q.sqlite3"))

    @huey.task()
    def flaky(fail):
        time.sleep(0.01)
        if fail:
            raise ValueError("no")
        return "ok"

    for fail in (False, False, True):
        flaky(fail)
    for _ in range(3):
        huey.execute(huey.dequeue())
    [(name, runs, failures, seconds, last)] = queue.job_stats()
    assert name.endswith(".flaky")
    assert (runs, failures) == (3, 1)
    assert seconds >= 0.03 and last >= 0.01
    assert JobStat.objects.get().last_error == "ValueError"


@pytest.mark.django_db
def test_it_counts_nothing_in_immediate_mode(django_assert_num_queries, tmp_path):
    huey = queue.SqliteHuey("xiaoan-test", filename=str(tmp_path / "q.sqlite3"), immediate=True)

    @huey.task()
    def quick():
        return 1

    with django_assert_num_queries(0):
        assert quick().get() == 1


SLOW_JOB = """
import time
from huey.contrib.djhuey import task

@task()
def slow(path):
    time.sleep(2)
    with open(path, "w") as handle:
        handle.write("finished")
"""


def test_it_lets_a_running_job_finish_on_sigterm(tmp_path):
    """systemd stops a worker with SIGTERM: the job in hand finishes, then the worker exits."""
    (tmp_path / "slowjob.py").write_text(textwrap.dedent(SLOW_JOB))
    marker = tmp_path / "marker"
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "XIAOAN_DATA_DIR": str(tmp_path / "data"),
        "XIAOAN_TESTING": "1",
        "XIAOAN_HUEY_IMMEDIATE": "false",
        "DJANGO_SETTINGS_MODULE": "xiaoan.settings",
    }
    env.pop("REDIS_URL", None)  # a private SQLite queue, not the suite's Redis
    (tmp_path / "data").mkdir()
    setup = "import django; django.setup(); import slowjob; "
    subprocess.run(
        [sys.executable, "-c", setup + f"slowjob.slow({str(marker)!r})"], env=env, check=True
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            setup + "from django.core.management import call_command; "
            "call_command('run_huey', '--quiet')",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        queue_file = tmp_path / "data" / "huey.sqlite3"
        while time.monotonic() < deadline:
            time.sleep(0.2)
            pending = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    setup + "from huey.contrib.djhuey import HUEY; print(HUEY.pending_count())",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            if pending == "0":
                break  # the worker took the job and is sleeping in it
        assert queue_file.exists() and pending == "0"
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    assert marker.read_text() == "finished", worker.stdout.read().decode()[-2000:]
