"""/metrics: off unless configured, a bearer token and/or the scraper's networks, request
figures by view (never the raw path), business gauges read at scrape time, and the sum of
several processes' samples in prometheus_client's multiprocess mode."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client import generate_latest

from xiaoan.core import metrics

pytestmark = pytest.mark.django_db
TOKEN = "s3cret-metrics-token-for-tests"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def with_token(settings):
    settings.XIAOAN_METRICS_TOKEN = TOKEN
    settings.XIAOAN_METRICS_NETWORKS = []


def scrape(**headers) -> str:
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample of the exposition text (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if line.startswith(name + "{") and all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
        if line.startswith(name + " ") and not labels:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_it_is_off_without_a_token_or_networks(settings):
    settings.XIAOAN_METRICS_TOKEN = ""
    settings.XIAOAN_METRICS_NETWORKS = []
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x"]
)
def test_it_refuses_a_missing_or_wrong_token(with_token, header):
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = Client().get("/metrics", **extra)
    assert response.status_code == 401
    assert response.content == b""  # nothing said about why
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_serves_request_figures_by_view_with_the_token(with_token):
    client = Client()
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no/such/page/12345")
    text = scrape()
    assert sample(text, "xiaoan_http_requests_total", view="healthz", status="2xx") >= 2
    assert sample(text, "xiaoan_http_request_duration_seconds_count", view="healthz") >= 2
    assert 'le="0.1"' in text
    # An unknown path is counted under one label, never as itself.
    assert sample(text, "xiaoan_http_requests_total", view="<unmatched>", status="4xx") >= 1
    assert "no/such/page" not in text
    assert "xiaoan_queue_pending" in text
    assert sample(text, "xiaoan_queue_up") == 1


def test_it_counts_unhandled_exceptions_and_5xx(with_token, monkeypatch):
    import xiaoan.core.views

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(xiaoan.core.views, "_database_health", broken)
    before = scrape()
    response = Client(raise_request_exception=False).get("/readyz")
    assert response.status_code == 500
    after = scrape()
    for name, labels in (
        ("xiaoan_http_exceptions_total", {"view": "readyz"}),
        ("xiaoan_http_requests_total", {"view": "readyz", "status": "5xx"}),
    ):
        assert sample(after, name, **labels) == sample(before, name, **labels) + 1


def test_it_allows_listed_networks_only(settings):
    settings.XIAOAN_METRICS_TOKEN = ""
    settings.XIAOAN_METRICS_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
    settings.XIAOAN_TRUST_X_FORWARDED_FOR = False
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.2.0.1").get("/metrics").status_code == 403
    # A forwarded address counts only when a proxy of ours is trusted to set it.
    spoof = {"HTTP_X_FORWARDED_FOR": "10.1.2.3"}
    assert Client(REMOTE_ADDR="192.0.2.9").get("/metrics", **spoof).status_code == 403
    settings.XIAOAN_TRUST_X_FORWARDED_FOR = True
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics", **spoof).status_code == 200


def test_it_wants_both_when_both_are_configured(settings):
    settings.XIAOAN_METRICS_TOKEN = TOKEN
    settings.XIAOAN_METRICS_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
    inside, outside = Client(REMOTE_ADDR="10.1.2.3"), Client(REMOTE_ADDR="10.9.9.9")
    assert inside.get("/metrics").status_code == 401
    assert outside.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 403
    assert inside.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_it_gauges_open_and_overdue_hazards_by_level_and_open_alerts(with_token, units, persona):
    from xiaoan.alerts import services as alerts
    from xiaoan.hazards.models import Hazard

    before = scrape()
    unit = units["梁子湖高级中学"]
    today = timezone.localdate()
    common = {
        "unit": unit,
        "description": "指标测试",
        "source": "self_check",
        "finder": persona("school_a_officer"),
        "found_at": timezone.now(),
    }
    Hazard.objects.create(
        number="OBS-1", level="major", status="assigned", deadline=today - dt.timedelta(3), **common
    )
    Hazard.objects.create(number="OBS-2", level="general", status="rectifying", **common)
    Hazard.objects.create(number="OBS-3", level="major", status="closed", **common)
    alerts.raise_alert(unit=unit, kind="smoke", severity="critical", title="烟感报警")
    after = scrape()

    def grew(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("xiaoan_hazards_open", level="major") == 1
    assert grew("xiaoan_hazards_open", level="general") == 1
    assert grew("xiaoan_hazards_overdue", level="major") == 1
    assert grew("xiaoan_hazards_overdue", level="general") == 0
    assert grew("xiaoan_alerts_open", severity="critical") == 1


def test_it_reads_the_business_gauges_with_a_handful_of_queries(with_token, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        list(metrics.LiveCollector().collect())
    assert len(captured) <= 4


def test_it_exposes_the_job_figures_the_queue_keeps(with_token):
    from xiaoan.core.queue import record_run

    for seconds, error in ((1.0, None), (2.25, ValueError("no")), (0.25, None)):
        record_run("hazards.mark_overdue", seconds, error)
    text = scrape()
    assert sample(text, "xiaoan_job_runs_total", job="hazards.mark_overdue") == 3
    assert sample(text, "xiaoan_job_failures_total", job="hazards.mark_overdue") == 1
    assert sample(text, "xiaoan_job_seconds_total", job="hazards.mark_overdue") == 3.5
    assert sample(text, "xiaoan_job_last_seconds", job="hazards.mark_overdue") == 0.25


def test_it_still_serves_the_request_figures_when_the_database_fails(with_token, monkeypatch):
    from xiaoan.hazards.models import Hazard

    def broken(*args, **kwargs):
        raise ConnectionError("database is gone")

    monkeypatch.setattr(Hazard.objects, "open", broken)
    text = scrape()
    assert sample(text, "xiaoan_scrape_part_failed", part="business") == 1
    assert sample(text, "xiaoan_scrape_part_failed", part="jobs") == 0
    assert "xiaoan_hazards_open" not in text
    assert "xiaoan_http_requests_total" in text
    assert "database is gone" not in text


RECORD = """
from xiaoan.core import metrics
for _ in range({n}):
    metrics.observe("hazards:hazard_list", "GET", 200, 0.2)
"""


def test_it_adds_up_the_samples_of_several_processes(tmp_path):
    """Two processes (gunicorn's workers) record into PROMETHEUS_MULTIPROC_DIR; a scrape sums
    them, the dead one's counts included."""
    env = {**os.environ, metrics.MULTIPROC_ENV: str(tmp_path)}
    for n in (2, 3):
        subprocess.run(
            [sys.executable, "-c", RECORD.format(n=n)], env=env, cwd=REPO, check=True, timeout=120
        )
    assert len(list(tmp_path.glob("*.db"))) >= 2  # one file per process
    text = generate_latest(metrics.registry(path=str(tmp_path))).decode()
    view = "hazards:hazard_list"
    assert sample(text, "xiaoan_http_requests_total", view=view, method="GET", status="2xx") == 5
    assert sample(text, "xiaoan_http_request_duration_seconds_count", view=view) == 5
    assert sample(text, "xiaoan_http_request_duration_seconds_bucket", view=view, le="0.25") == 5
    assert "xiaoan_hazards_open" in text  # the live figures come with them


def test_gunicorn_config_marks_dead_workers(tmp_path, monkeypatch):
    """deploy/gunicorn.conf.py: stale files go at start, a dead worker's live files at exit."""
    import runpy

    conf = runpy.run_path(str(REPO / "deploy" / "gunicorn.conf.py"))
    assert conf["worker_class"] == "gthread" and conf["graceful_timeout"] > 0
    monkeypatch.setenv(metrics.MULTIPROC_ENV, str(tmp_path))
    (tmp_path / "counter_1.db").write_bytes(b"")
    (tmp_path / "gauge_livesum_42.db").write_bytes(b"")
    conf["child_exit"](None, type("Worker", (), {"pid": 42})())
    assert not (tmp_path / "gauge_livesum_42.db").exists()
    conf["on_starting"](None)
    assert list(tmp_path.iterdir()) == []


def test_it_is_not_redirected_to_https(with_token, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200  # exempt already, the model
    assert Client().get("/hazards/").status_code == 301  # the rule is on
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
