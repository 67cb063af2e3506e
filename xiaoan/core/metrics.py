"""Prometheus metrics at /metrics: requests, latency and errors by view (the route's name,
never the raw path, so the series stay few), the job queue, and business gauges computed at
scrape time with a handful of indexed GROUP BY queries.

Under gunicorn with several workers each process writes its samples to
PROMETHEUS_MULTIPROC_DIR (prometheus_client reads it when first imported) and a scrape adds
them up (deploy/gunicorn.conf.py marks dead workers' files)."""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "<unmatched>"  # a path no route matched (404s, scanners): one series for all

REQUESTS = Counter(
    "xiaoan_http_requests",
    "Requests served, by view, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "xiaoan_http_request_duration_seconds",
    "Time from the first middleware to the response, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
EXCEPTIONS = Counter(
    "xiaoan_http_exceptions",
    "Exceptions no view or middleware handled (answered 500), by view.",
    ["view"],
)
_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))


def view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    return match.view_name or match.route or UNMATCHED


def observe(view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in _METHODS else "OTHER"  # a client chooses it: keep it bounded
    REQUESTS.labels(view, method, f"{status // 100}xx").inc()
    LATENCY.labels(view).observe(seconds)


def _count_exception(sender, request=None, **kwargs) -> None:
    EXCEPTIONS.labels(view_label(request) if request is not None else UNMATCHED).inc()


got_request_exception.connect(_count_exception, dispatch_uid="xiaoan.core.metrics")


# ------------------------------------------------------------------ scrape-time figures


def _job_rows() -> Iterable[tuple]:
    """(name, runs, failures, seconds_total, last_seconds) per job, kept by the queue."""
    from xiaoan.core.queue import job_stats

    return job_stats()


class LiveCollector:
    """Figures read when scraped: the queue's depth, the jobs' runs and the open work."""

    def collect(self) -> Iterator[Metric]:
        # A part that fails (the database down) is reported as such, not as a failed scrape:
        # the request figures matter most exactly then.
        failed = GaugeMetricFamily(
            "xiaoan_scrape_part_failed",
            "Scrape-time figures that could not be read.",
            labels=["part"],
        )
        for name, part in (("jobs", self._jobs), ("business", self._business)):
            try:
                families = list(part())
            except Exception:
                logger.exception("metrics: reading the %s figures failed", name)
                failed.add_metric([name], 1)
            else:
                failed.add_metric([name], 0)
                yield from families
        yield from self._queue()
        yield failed

    def _queue(self) -> Iterator[Metric]:
        from xiaoan.jobs import queue_health

        health = queue_health()
        up = GaugeMetricFamily("xiaoan_queue_up", "Whether the job queue answered.")
        up.add_metric([], 1 if health["status"] == "ok" else 0)
        yield up
        if health["status"] == "ok":
            yield GaugeMetricFamily(
                "xiaoan_queue_pending", "Jobs waiting in the queue.", value=health["pending"]
            )

    def _jobs(self) -> Iterator[Metric]:
        runs = CounterMetricFamily("xiaoan_job_runs", "Job runs, by job.", labels=["job"])
        failures = CounterMetricFamily(
            "xiaoan_job_failures", "Job runs that failed, by job.", labels=["job"]
        )
        seconds = CounterMetricFamily(
            "xiaoan_job_seconds", "Time spent running each job.", labels=["job"]
        )
        last = GaugeMetricFamily(
            "xiaoan_job_last_seconds", "How long each job's last run took.", labels=["job"]
        )
        for name, run_count, failure_count, seconds_total, last_seconds in _job_rows():
            runs.add_metric([name], run_count)
            failures.add_metric([name], failure_count)
            seconds.add_metric([name], seconds_total)
            if last_seconds is not None:
                last.add_metric([name], last_seconds)
        yield from (runs, failures, seconds, last)

    def _business(self) -> Iterator[Metric]:
        from django.db.models import Count

        from xiaoan.alerts.choices import OPEN_STATUSES as ALERT_OPEN
        from xiaoan.alerts.choices import Severity
        from xiaoan.alerts.models import Alert
        from xiaoan.hazards.choices import HazardLevel
        from xiaoan.hazards.models import Hazard

        # Three GROUP BY queries on (status, level), (status, deadline), (severity, status).
        open_hazards = GaugeMetricFamily(
            "xiaoan_hazards_open", "Open hazards, by level (一般/重大).", labels=["level"]
        )
        overdue = GaugeMetricFamily(
            "xiaoan_hazards_overdue",
            "Open hazards past their deadline, by level.",
            labels=["level"],
        )
        levels = [*HazardLevel.values, ""]  # "": reported, not yet given a level
        for family, rows in (
            (open_hazards, Hazard.objects.open()),
            (overdue, Hazard.objects.overdue()),
        ):
            counts = dict(rows.order_by().values_list("level").annotate(n=Count("pk")))
            for level in levels:
                family.add_metric([level or "unset"], counts.get(level, 0))
            yield family
        alerts = GaugeMetricFamily(
            "xiaoan_alerts_open", "Open alerts, by severity.", labels=["severity"]
        )
        counts = dict(
            Alert.objects.filter(status__in=ALERT_OPEN)
            .order_by()
            .values_list("severity")
            .annotate(n=Count("pk"))
        )
        for severity in Severity.values:
            alerts.add_metric([severity], counts.get(severity, 0))
        yield alerts


class _Process:
    """This process's own metrics (the default registry) inside a per-scrape registry."""

    def collect(self) -> Iterator[Metric]:
        return REGISTRY.collect()


def registry(path: str | None = None) -> CollectorRegistry:
    """What a scrape exposes: every worker's samples when a multiprocess directory is set,
    this process's otherwise, and the live figures."""
    path = path or os.environ.get(MULTIPROC_ENV)
    out = CollectorRegistry(auto_describe=False)
    if path:
        MultiProcessCollector(out, path=path)
    else:
        out.register(_Process())
    out.register(LiveCollector())
    return out


# ------------------------------------------------------------------ the endpoint


def _allowed_network(request: HttpRequest) -> bool:
    from ipaddress import ip_address

    from xiaoan.audit.services import client_ip

    address = client_ip(request)
    if address is None:
        return False
    ip = ip_address(address)
    return any(ip in network for network in settings.XIAOAN_METRICS_NETWORKS)


def _valid_token(request: HttpRequest) -> bool:
    scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), settings.XIAOAN_METRICS_TOKEN.encode())


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Off (404) unless a token or networks are configured; with both, both must match."""
    token, networks = settings.XIAOAN_METRICS_TOKEN, settings.XIAOAN_METRICS_NETWORKS
    if not token and not networks:
        raise Http404
    if networks and not _allowed_network(request):
        return HttpResponse(status=403)
    if token and not _valid_token(request):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
