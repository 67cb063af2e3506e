"""`xiaoan bench alerts`: signed events sent to a running server from several processes, with
the job worker killed (SIGKILL) and PostgreSQL restarted in the middle.

It starts the server (gunicorn) and the job worker itself on this database, registers a
source and a group robot on a small tree of its own (`BENCH-ALERTS`, twenty schools), and a
local fake robot that counts what it receives. Every sender retries an event (same
Idempotency-Key, signed afresh) until it is acknowledged. It prints accepted events per
second, the p95 of the acknowledged requests, and then checks the database and the robot:
every acknowledged event stored once (losses and duplicates must be 0) and every alert's
notice received once after the worker and the database came back.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.db import connection

ROOT_CODE = "BENCH-ALERTS"
SCHOOLS = 20


def _tree():
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.orgs.models import Unit

    root = Unit.objects.filter(code=ROOT_CODE).first()
    if root is None:
        root = Unit.objects.add_root(
            instance=Unit(name="基准预警教育局", kind=UnitKind.AUTHORITY, code=ROOT_CODE)
        )
    for n in range(1, SCHOOLS + 1):
        code = f"BA-{n:04d}"
        if not Unit.objects.filter(code=code).exists():
            root.refresh_from_db()
            root.add_child(
                instance=Unit(name=f"基准预警学校{n:02d}", kind=UnitKind.SCHOOL, code=code)
            )
    return Unit.objects.get(code=ROOT_CODE)


class _Robot(BaseHTTPRequestHandler):
    """A group robot that answers like WeCom's and counts each event's notices."""

    seen: Counter = Counter()
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        for marker in set(re.findall(r"BENCH#[0-9a-f]+-\d+", body.decode("utf-8", "replace"))):
            with self.lock:
                self.seen[marker] += 1
        answer = b'{"errcode":0,"errmsg":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):  # quiet
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _event(run: str, n: int) -> dict:
    event_id = f"BENCH#{run}-{n}"
    return {
        "kind": "smoke",
        "severity": "warning",
        "unit": f"BA-{n % SCHOOLS + 1:04d}",
        "title": f"烟感报警 {event_id}",
        "place": "宿舍楼",
        "labels": {"device": f"YG-{n}"},
        "fingerprint": event_id,
    }


def _send(args: tuple) -> tuple[list[str], list[str], list[float], int]:
    """One sender process: its events in turn (one per request, or a gateway's batches),
    each request retried until acknowledged. Returns the events and keys acknowledged, the
    acknowledged requests' latencies and the retries."""
    from xiaoan.alerts.intake import sign

    port, key, secret, run, numbers, batch, acked_count, deadline = args
    acked, keys, latencies, retries = [], [], [], 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for start in range(0, len(numbers), batch):
        chunk = numbers[start : start + batch]
        ids = [f"BENCH#{run}-{n}" for n in chunk]
        if batch == 1:
            payload: Any = _event(run, chunk[0])
            idem = ids[0]
        else:
            payload = {"events": [_event(run, n) for n in chunk]}
            idem = f"BENCH#{run}-b{chunk[0]}"
        body = json.dumps(payload, ensure_ascii=False).encode()
        while time.time() < deadline:
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Xiaoan-Source": key,
                "X-Xiaoan-Timestamp": stamp,
                "Idempotency-Key": idem,
                "X-Xiaoan-Signature": sign(secret, stamp, idem, body),
            }
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/alerts/intake/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                status = 0
            if status in (200, 202):
                latencies.append((time.perf_counter() - started) * 1000)
                acked += ids
                keys.append(idem)
                with acked_count.get_lock():
                    acked_count.value += len(ids)
                break
            retries += 1
            time.sleep(0.2)
    conn.close()
    return acked, keys, latencies, retries


def _sender(args: tuple, results: Any) -> None:
    results.put(_send(args))


def _wait_for(port: int, seconds: float = 60) -> None:
    until = time.time() + seconds
    while time.time() < until:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not start on port {port}")


def _restart_database(command: str | None, out: Callable[[str], None]) -> None:
    if not command:
        clusters = (
            shutil.which("pg_lsclusters")
            and subprocess.run(
                ["pg_lsclusters", "-h"], capture_output=True, text=True
            ).stdout.split()
        )
        if not clusters or not shutil.which("pg_ctlcluster"):
            out("  (no pg_ctlcluster here: PostgreSQL not restarted)")
            return
        command = f"pg_ctlcluster {clusters[0]} {clusters[1]} restart"
    started = time.monotonic()
    subprocess.run(command, shell=True, check=True)
    out(f"  PostgreSQL restarted ({command}) in {time.monotonic() - started:.1f}s")


def run(
    *,
    events: int,
    processes: int,
    workers: int,
    threads: int = 8,
    batch: int = 1,
    chaos: bool,
    restart_command: str | None,
    out: Callable[[str], None],
) -> dict[str, Any]:
    from xiaoan.alerts.choices import ReceiptState
    from xiaoan.alerts.models import Alert, AlertSource, IntakeReceipt
    from xiaoan.channels.models import Channel, Delivery

    root = _tree()
    run_id = uuid.uuid4().hex[:8]
    secret = uuid.uuid4().hex + uuid.uuid4().hex
    source = AlertSource.objects.create(
        unit=root, name=f"基准 {run_id}", key=f"src_bench_{run_id}", secret=secret
    )
    robot = ThreadingHTTPServer(("127.0.0.1", 0), _Robot)
    threading.Thread(target=robot.serve_forever, daemon=True).start()
    Channel.objects.filter(unit=root).update(is_active=False)
    channel = Channel.objects.create(
        unit=root,
        kind="wecom",
        name=f"基准值班群 {run_id}",
        target=f"http://127.0.0.1:{robot.server_address[1]}/cgi-bin/webhook/send?key={run_id}",
        min_severity="info",
        categories=["alerts"],
        include_subtree=True,
    )
    port = _free_port()
    # The server and the worker as deployed: no debug (it logs every query it runs).
    env = {**os.environ, "XIAOAN_HUEY_IMMEDIATE": "false", "XIAOAN_DEBUG": "false",
           "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": "ignore:No directory at"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "xiaoan.wsgi:application", "-b",
         f"127.0.0.1:{port}", "-w", str(workers), "--worker-class", "gthread",
         "--threads", str(threads), "--log-level", "warning"],
        env=env,
    )  # fmt: skip

    def start_worker():
        return subprocess.Popen(
            [sys.executable, "-m", "xiaoan", "run_huey", "--quiet"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    worker = start_worker()
    try:
        _wait_for(port)
        out(f"server on :{port} ({workers} processes × {threads} threads), "
            f"{processes} senders, {events} events"
            + (f" in batches of {batch}" if batch > 1 else ""))  # fmt: skip
        context = multiprocessing.get_context("fork")
        acked_count = context.Value("i", 0)
        deadline = time.time() + max(300, events / 10)
        shares = [list(range(i, events, processes)) for i in range(processes)]
        connection.close()  # the children must not share this process's connection
        started = time.monotonic()
        results_queue = context.Queue()
        senders = [
            context.Process(
                target=_sender,
                args=(
                    (port, source.key, secret, run_id, share, batch, acked_count, deadline),
                    results_queue,
                ),
            )
            for share in shares
        ]
        for sender in senders:
            sender.start()
        if chaos:
            while acked_count.value < events // 3 and any(p.is_alive() for p in senders):
                time.sleep(0.05)
            out(f"  at {acked_count.value} acknowledged: the worker killed (SIGKILL)")
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            _restart_database(restart_command, out)
            worker = start_worker()
            out("  the worker started again")
        results = [results_queue.get() for _sender_process in senders]
        for sender in senders:
            sender.join()
        elapsed = time.monotonic() - started
        acked = [e for ids, _keys, _lat, _r in results for e in ids]
        acked_keys = {k for _ids, keys, _lat, _r in results for k in keys}
        latencies = sorted(x for _ids, _keys, lat, _r in results for x in lat)
        retries = sum(r for _ids, _keys, _lat, r in results)
        connection.close()
        p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
        out(
            f"accepted {len(acked)} of {events} in {elapsed:.1f}s: {len(acked) / elapsed:.0f}/s; "
            f"p50 {statistics.median(latencies) if latencies else 0:.1f} ms, p95 {p95:.1f} ms; "
            f"{retries} retried requests"
        )
        # Accepting stores the events; the job raises their alerts behind, in order.
        queued = IntakeReceipt.objects.filter(source=source, state=ReceiptState.QUEUED)
        wait_until = time.time() + 900
        while queued.exists() and time.time() < wait_until:
            time.sleep(0.5)
        drained = time.monotonic() - started
        failed = IntakeReceipt.objects.filter(source=source, state=ReceiptState.FAILED).count()
        out(f"raised behind: the queue empty {drained:.1f}s after the first event "
            f"({len(acked) / drained:.0f} events/s end to end), {failed} failed, "
            f"{queued.count()} still queued")  # fmt: skip
        receipts = set(IntakeReceipt.objects.filter(source=source).values_list("key", flat=True))
        titles = Alert.objects.filter(source=source).values_list("title", flat=True)
        alerts = Counter(title.rsplit(" ", 1)[-1] for title in titles)
        losses = len(acked_keys - receipts) + len(set(acked) - set(alerts))
        duplicates = (len(acked) - len(set(acked))) + sum(n - 1 for n in alerts.values())
        out(f"stored: {len(receipts)} receipts, {len(alerts)} alerts; "
            f"losses {losses}, duplicates {duplicates}")  # fmt: skip
        # The notices: every alert's delivery sent, and received by the robot once.
        wait_until = time.time() + 420
        while time.time() < wait_until:
            left = Delivery.objects.filter(channel=channel).exclude(status="sent").count()
            if not left:
                break
            time.sleep(2)
        sent = Delivery.objects.filter(channel=channel, status="sent").count()
        made = Delivery.objects.filter(channel=channel).count()
        markers = [f"BENCH#{run_id}-{n}" for n in range(events)]
        received = Counter({m: _Robot.seen.get(m, 0) for m in markers if m in set(acked)})
        missing = sum(1 for n in received.values() if n == 0)
        twice = sum(1 for n in received.values() if n > 1)
        out(f"notices: {made} deliveries, {sent} sent; the robot got {len(acked) - missing} "
            f"of {len(acked)} (missing {missing}, more than once {twice})")  # fmt: skip
        return {
            "accepted": len(acked),
            "per_second": len(acked) / elapsed,
            "p95_ms": p95,
            "losses": losses,
            "duplicates": duplicates,
            "notices_missing": missing,
            "notices_twice": twice,
        }
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        robot.shutdown()
        Channel.objects.filter(pk=channel.pk).update(is_active=False)
        AlertSource.objects.filter(pk=source.pk).update(is_active=False)
