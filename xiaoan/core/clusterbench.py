"""`xiaoan bench cluster`: a realistic mix against the running localhost cluster
(`scripts/cluster.sh up`), one app server and one job worker killed with SIGKILL mid-run,
then a check that nothing acknowledged was lost; and each kind's CPU milliseconds and
queries, measured in-process with Django's test client on the same database.

Kinds: the district officer's ledger, dashboard and hazard records (session, as a browser),
the ledger's Excel export, 随手拍 reports with a photo and self-check inspections with their
required photos (API tokens, as the phone app). A request that fails because its server died
(no answer, 502/503/504) is retried through nginx, which sends it to the other server; a
report is retried with the same Idempotency-Key, so a retry never makes a second hazard.
Run it through `scripts/cluster.sh bench`, which sets the cluster's environment.
"""

from __future__ import annotations

import http.client
import io
import json
import multiprocessing
import os
import random
import re
import signal
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from xiaoan.core import benchhttp

# Weights of the mix: most traffic reads, about one request in five writes.
MIX = {
    "ledger": 25,
    "dashboard": 15,
    "record": 25,
    "export": 5,
    "report": 18,
    "inspection": 12,
}
PASSWORD = "Xiaoan@2026"
OFFICER = "district_officer"
REPORTERS = ("school_a_officer", "school_a_head")
INSPECTOR = "school_a_officer"


def photo_bytes(seed: int = 0, size: tuple[int, int] = (1280, 960)) -> bytes:
    """A phone-like JPEG (noise compresses like a photo, ~0.3-0.5 MB at 1280×960)."""
    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


# ------------------------------------------------------------------ the work one request kind does


class Worker:
    """One simulated client process: a browser session for the officer, tokens for phones."""

    def __init__(self, base: str, fixture: dict, photo: bytes, seed: int) -> None:
        self.http = benchhttp.Client(base)
        self.fixture = fixture
        self.photo = photo
        self.rng = random.Random(seed)
        self.session = benchhttp.login(self.http, OFFICER, PASSWORD)
        self.acked_reports: list[tuple[int, list[int]]] = []
        self.acked_inspections: list[int] = []

    def browse(self, path: str, expect: str = "text/html") -> bool:
        response = self.http.request("GET", path, cookies=self.session)
        return response.status == 200 and expect in response.headers.get("Content-Type", "")

    def ledger(self) -> bool:
        page = self.rng.choice(["", "?status=reported", "?ordering=-found_at", "?level=major"])
        return self.browse(f"/hazards/{page}")

    def dashboard(self) -> bool:
        return self.browse("/reports/")

    def record(self) -> bool:
        return self.browse(f"/hazards/{self.rng.choice(self.fixture['hazards'])}/")

    def export(self) -> bool:
        return self.browse("/hazards/export/problems/", expect="spreadsheetml")

    def report(self) -> bool:
        token = self.rng.choice(self.fixture["reporter_tokens"])
        key = uuid.uuid4().hex
        fields = {
            "unit": str(self.fixture["school"]),
            "description": f"基准随手拍 {key[:8]}：楼梯间应急照明不亮",
            "source": "snapshot",
            "place_text": "教学楼二楼东侧楼梯间",
        }
        response = self.http.multipart(
            "/api/hazards/", fields, {"photos": ("photo.jpg", self.photo)}, token, key
        )
        if response.status not in (200, 201):
            return False
        body = json.loads(response.body)
        self.acked_reports.append((body["id"], [p["id"] for p in body.get("photos", [])]))
        return True

    def inspection(self) -> bool:
        token = self.fixture["inspector_token"]
        created = self.http.json(
            "POST",
            "/api/inspections/",
            {"kind": "self_check", "unit": self.fixture["school"],
             "checklist": self.fixture["checklist"]},
            token,
        )  # fmt: skip
        if created.status != 201:
            return False
        inspection = json.loads(created.body)
        for item in inspection["items"]:
            if item["photo_required"]:
                path = f"/api/inspections/{inspection['id']}/items/{item['id']}/photos/"
                up = self.http.multipart(path, {}, {"photos": ("item.jpg", self.photo)}, token)
                if up.status != 200:
                    return False
        results = [{"item": item["id"], "result": "pass"} for item in inspection["items"]]
        submitted = self.http.json(
            "POST",
            f"/api/inspections/{inspection['id']}/submit/",
            {"results": results, "summary": "基准自查：全部符合"},
            token,
        )
        if submitted.status != 200:
            return False
        self.acked_inspections.append(inspection["id"])
        return True


def _client(args: tuple) -> dict[str, Any]:
    base, fixture, photo, seed, deadline, counter = args
    worker = Worker(base, fixture, photo, seed)
    kinds, weights = list(MIX), list(MIX.values())
    latencies: dict[str, list[float]] = {kind: [] for kind in MIX}
    errors: dict[str, int] = {kind: 0 for kind in MIX}
    while time.time() < deadline:
        kind = worker.rng.choices(kinds, weights)[0]
        started = time.perf_counter()
        requests_before = worker.http.requests
        try:
            ok = getattr(worker, kind)()
        except benchhttp.GaveUp:
            ok = False
        if ok:
            latencies[kind].append((time.perf_counter() - started) * 1000)
        else:
            errors[kind] += 1
        with counter.get_lock():
            counter.value += worker.http.requests - requests_before
    return {
        "latencies": latencies,
        "errors": errors,
        "retries": worker.http.retries,
        "requests": worker.http.requests,
        "reports": worker.acked_reports,
        "inspections": worker.acked_inspections,
    }


def _run_client(args: tuple, results: Any) -> None:
    results.put(_client(args))


# ------------------------------------------------------------------ setup, chaos, checks


def fixture() -> dict[str, Any]:
    """Ids and tokens the clients need, read from the cluster's database."""
    from xiaoan.accounts import tokens
    from xiaoan.accounts.models import User
    from xiaoan.hazards.models import Hazard
    from xiaoan.inspections.models import ChecklistItem, ChecklistTemplate

    officer = User.objects.get(username=OFFICER)
    inspector = User.objects.get(username=INSPECTOR)
    hazards = list(
        Hazard.objects.restrict(officer, "view").order_by("-pk").values_list("pk", flat=True)[:200]
    )
    # The platform's checklist with the fewest items that need a photo (a realistic
    # self-check has one or two).
    candidates = []
    templates = ChecklistTemplate.objects.filter(
        is_active=True, owner_unit__isnull=True, current_version__isnull=False
    )
    for template in templates[:50]:
        items = ChecklistItem.objects.filter(version=template.current_version_id)
        if items.exists():
            candidates.append((items.filter(photo_required=True).count(), template.pk))
    return {
        "school": inspector.unit_id,
        "hazards": hazards,
        "checklist": min(candidates)[1] if candidates else None,
        "reporter_tokens": [
            tokens.create_token(User.objects.get(username=name), "bench cluster")[1]
            for name in REPORTERS
        ],
        "inspector_token": tokens.create_token(inspector, "bench cluster")[1],
    }


def kill_group(state: Path, name: str, out: Callable[[str], None]) -> None:
    """SIGKILL a cluster process and its children (cluster.sh starts each in its own group)."""
    pid = int((state / "pids" / f"{name}.pid").read_text())
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        out(f"  {name} (pid {pid}) was not running")
        return
    out(f"  {name} (pid {pid}) killed with SIGKILL")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def check_acknowledged(
    reports: list, inspections: list[int], base: str, token: str
) -> dict[str, int]:
    """Every acknowledged report is in the database with its photos readable from storage
    and through the API (nginx, whichever server is left), and every acknowledged inspection
    is submitted."""
    from xiaoan.hazards.models import Hazard, HazardPhoto
    from xiaoan.inspections.choices import InspectionStatus
    from xiaoan.inspections.models import Inspection

    # From the primary: a replica may lag behind what was just acknowledged.
    ids = [hazard for hazard, _photos in reports]
    found = set(Hazard.objects.using("default").filter(pk__in=ids).values_list("pk", flat=True))
    photo_ids = [p for _hazard, photos in reports for p in photos]
    unreadable = 0
    for photo in HazardPhoto.objects.using("default").filter(pk__in=photo_ids):
        try:
            with photo.image.open("rb") as handle:
                unreadable += not handle.read(3).startswith(b"\xff\xd8\xff")
        except OSError:
            unreadable += 1
    client = benchhttp.Client(base)
    for hazard, photos in reports:
        for photo in photos:
            answer = client.request(
                "GET",
                f"/api/hazards/{hazard}/photos/{photo}/",
                headers={"Authorization": f"Token {token}"},
            )
            unreadable += answer.status != 200 or not answer.body.startswith(b"\xff\xd8\xff")
    stored = HazardPhoto.objects.using("default").filter(pk__in=photo_ids).count()
    photos_missing = len(photo_ids) - stored
    submitted = (
        Inspection.objects.using("default")
        .filter(pk__in=inspections, status=InspectionStatus.SUBMITTED)
        .count()
    )
    return {
        "reports": len(ids),
        "reports_lost": len(set(ids) - found),
        "duplicates": len(ids) - len(set(ids)),
        "photos": len(photo_ids),
        "photos_lost": photos_missing + unreadable,  # counted once per way read
        "reports_without_photo": sum(1 for _h, photos in reports if not photos),
        "inspections": len(inspections),
        "inspections_lost": len(inspections) - submitted,
    }


def run(
    *,
    base: str,
    seconds: int,
    clients: int,
    chaos: bool,
    samples: int,
    out: Callable[[str], None],
) -> dict[str, Any]:
    from django.db import connection

    from xiaoan.core import benchcost

    state = Path(os.environ.get("XIAOAN_CLUSTER_STATE", "var/cluster"))
    _check_cluster(base, state)
    setup = fixture()
    if setup["checklist"] is None:
        raise RuntimeError("no checklist with items: is the demo data loaded?")
    photo = photo_bytes()
    out(f"cluster {base}: {clients} client processes for {seconds}s, mix {MIX}, "
        f"photo {len(photo) // 1024} KB")  # fmt: skip
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    results = context.Queue()
    connection.close()  # the children must not share this connection
    deadline = time.time() + seconds
    started = time.monotonic()
    processes = [
        context.Process(
            target=_run_client, args=((base, setup, photo, n, deadline, counter), results)
        )
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    if chaos:
        time.sleep(seconds / 3)
        out(f"  at {counter.value} requests ({time.monotonic() - started:.0f}s):")
        kill_group(state, "web1", out)
        kill_group(state, "worker1", out)
    parts = [results.get() for _process in processes]
    for process in processes:
        process.join()
    elapsed = time.monotonic() - started
    total = sum(p["requests"] for p in parts)
    retries = sum(p["retries"] for p in parts)
    out(f"{total} requests in {elapsed:.1f}s: {total / elapsed:.1f} requests/s; "
        f"{retries} retried after a failed attempt")  # fmt: skip
    out(f"  {'kind':<11}{'done':>6}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    errors = 0
    figures: dict[str, Any] = {}
    for kind in MIX:
        lat = [x for p in parts for x in p["latencies"][kind]]
        err = sum(p["errors"][kind] for p in parts)
        errors += err
        figures[kind] = {"done": len(lat), "errors": err, "p50": percentile(lat, 0.5),
                         "p95": percentile(lat, 0.95), "p99": percentile(lat, 0.99)}  # fmt: skip
        out(f"  {kind:<11}{len(lat):>6}{err:>8}{figures[kind]['p50']:>9.0f}"
            f"{figures[kind]['p95']:>9.0f}{figures[kind]['p99']:>9.0f}")  # fmt: skip
    out(f"errors: {errors}")
    reports = [r for p in parts for r in p["reports"]]
    inspections = [i for p in parts for i in p["inspections"]]
    lost = check_acknowledged(reports, inspections, base, setup["inspector_token"])
    out(f"acknowledged: {lost['reports']} 随手拍 reports ({lost['photos']} photos), "
        f"{lost['inspections']} inspections submitted; lost: reports {lost['reports_lost']}, "
        f"photos {lost['photos_lost']}, inspections {lost['inspections_lost']}; "
        f"duplicates {lost['duplicates']} (photos read from storage and via nginx)")  # fmt: skip
    out(f"job queue after the load: {_drain()} pending (waited up to 60 s for the live worker)")
    if chaos:
        out("  web1 and worker1 stay down: `scripts/cluster.sh up` starts them again")
    cost = benchcost.measure(setup, photo, samples, out) if samples else {}
    return {"figures": figures, "errors": errors, "lost": lost, "cost": cost,
            "per_second": total / elapsed}  # fmt: skip


def _drain(seconds: float = 60) -> int:
    """Wait for the surviving worker to empty the queue the writes filled; what is left."""
    from xiaoan.jobs import queue_health

    until = time.monotonic() + seconds
    pending = queue_health().get("pending", -1)
    while pending and time.monotonic() < until:
        time.sleep(1)
        pending = queue_health().get("pending", -1)
    return pending


def _check_cluster(base: str, state: Path) -> None:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=5)
    try:
        conn.request("GET", "/readyz")
        ready = conn.getresponse().status == 200
    except OSError:
        ready = False
    if not ready:
        raise RuntimeError(f"{base}/readyz does not answer 200: run scripts/cluster.sh up")
    if not (state / "pids").is_dir():
        raise RuntimeError(f"no {state}/pids: run this through scripts/cluster.sh bench")
    env_file = state / "env"
    wanted = re.search(r"^DATABASE_URL=(.*)$", env_file.read_text(), re.M)
    if wanted and os.environ.get("DATABASE_URL") != wanted.group(1):
        raise RuntimeError("not the cluster's database: run this through scripts/cluster.sh bench")
