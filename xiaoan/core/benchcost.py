"""What one request of each kind costs the app server and the database: CPU milliseconds of
this process (time.process_time, so waiting on the database is left out) and the queries it
runs, measured in-process with Django's test client against the configured database — the
figures docs/scale.md sizes a province and the country from. `xiaoan bench cluster` runs it
after the load; the kinds are those of xiaoan/core/clusterbench.py."""

from __future__ import annotations

import json
import logging
import statistics
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings


def _kinds(setup: dict, photo: bytes) -> dict[str, Callable[[dict], Callable[[], Any]]]:
    """Per kind: a function taking the clients and returning the request to measure (the
    preparation of a request, such as creating the inspection it submits, is not counted)."""
    hazards = setup["hazards"]

    def ledger(c):
        return lambda: c["officer"].get("/hazards/")

    def dashboard(c):
        return lambda: c["officer"].get("/reports/")

    def record(c):
        pk = hazards[hash(uuid.uuid4()) % len(hazards)]
        return lambda: c["officer"].get(f"/hazards/{pk}/")

    def export(c):
        return lambda: c["officer"].get("/hazards/export/problems/")

    def report(c):
        data = {
            "unit": setup["school"],
            "description": "基准随手拍：楼梯间应急照明不亮",
            "source": "snapshot",
            "place_text": "教学楼二楼东侧楼梯间",
            "photos": SimpleUploadedFile("photo.jpg", photo, "image/jpeg"),
        }
        key = uuid.uuid4().hex
        return lambda: c["reporter"].post("/api/hazards/", data, HTTP_IDEMPOTENCY_KEY=key)

    def inspection(c):
        # The submission (the create and the photos are their own, cheaper requests).
        created = c["inspector"].post(
            "/api/inspections/",
            {"kind": "self_check", "unit": setup["school"], "checklist": setup["checklist"]},
            content_type="application/json",
        )
        body = json.loads(created.content)
        for item in body["items"]:
            if item["photo_required"]:
                c["inspector"].post(
                    f"/api/inspections/{body['id']}/items/{item['id']}/photos/",
                    {"photos": SimpleUploadedFile("p.jpg", photo, "image/jpeg")},
                )
        results = [{"item": item["id"], "result": "pass"} for item in body["items"]]
        return lambda: c["inspector"].post(
            f"/api/inspections/{body['id']}/submit/",
            {"results": results},
            content_type="application/json",
        )

    return {"ledger": ledger, "dashboard": dashboard, "record": record, "export": export,
            "report": report, "inspection": inspection}  # fmt: skip


def measure(setup: dict, photo: bytes, samples: int, out: Callable[[str], None]) -> dict:
    from xiaoan.accounts.models import User

    clients = {}
    for role, name in (("officer", "district_officer"), ("reporter", "school_a_officer"),
                       ("inspector", "school_a_officer")):  # fmt: skip
        client = Client()
        client.force_login(User.objects.get(username=name))
        clients[role] = client
    out(f"cost per request, in-process ({samples} samples each, after one warm-up):")
    out(f"  {'kind':<11}{'CPU ms p50':>11}{'CPU ms mean':>12}{'queries':>9}{'wall ms':>9}")
    # The access log would print a line per sample; queries are counted on every database
    # (dashboards and exports read the replica when there is one).
    access_log = logging.getLogger("xiaoan.request")
    level = access_log.level
    access_log.setLevel(logging.WARNING)
    try:
        return _measure(setup, photo, samples, clients, out)
    finally:
        access_log.setLevel(level)


def _measure(setup, photo, samples, clients, out) -> dict:
    figures: dict[str, dict[str, float]] = {}
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
        for kind, prepare in _kinds(setup, photo).items():
            cpu, queries, wall = [], [], []
            for n in range(samples + 1):
                send = prepare(clients)
                with ExitStack() as stack:
                    captured = [
                        stack.enter_context(CaptureQueriesContext(connections[alias]))
                        for alias in connections
                    ]
                    started_cpu, started = time.process_time(), time.perf_counter()
                    response = send()
                    spent_cpu = time.process_time() - started_cpu
                    spent = time.perf_counter() - started
                if response.status_code not in (200, 201):
                    raise RuntimeError(f"{kind}: {response.status_code} {response.content[:200]!r}")
                if n:  # the first one warms caches and imports
                    cpu.append(spent_cpu * 1000)
                    wall.append(spent * 1000)
                    queries.append(sum(len(c.captured_queries) for c in captured))
            figures[kind] = {
                "cpu_ms": statistics.median(cpu),
                "cpu_ms_mean": statistics.fmean(cpu),
                "queries": statistics.median(queries),
                "wall_ms": statistics.median(wall),
            }
            f = figures[kind]
            out(f"  {kind:<11}{f['cpu_ms']:>11.1f}{f['cpu_ms_mean']:>12.1f}"
                f"{f['queries']:>9.0f}{f['wall_ms']:>9.0f}")  # fmt: skip
    return figures
