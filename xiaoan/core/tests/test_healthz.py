"""/healthz is liveness (the process answers, nothing else is touched); /readyz is readiness:
200 when the database, the cache, the job queue and the storage answer, 503 with status
"error" naming the one that fails — no login needed, never cached."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_reports_liveness_without_login_or_any_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_stays_alive_while_the_database_and_queue_are_down(monkeypatch):
    from django.db import connection
    from huey.contrib.djhuey import HUEY

    def broken(*args, **kwargs):
        raise OSError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    monkeypatch.setattr(HUEY, "pending_count", broken)
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/readyz").status_code == 503


def test_it_reports_503_when_the_job_queue_fails(monkeypatch):
    from huey.contrib.djhuey import HUEY

    def broken():
        raise ConnectionError("redis is down")

    monkeypatch.setattr(HUEY, "pending_count", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["jobs"] == {
        "status": "error",
        "backend": type(HUEY).__name__,
        "error": "ConnectionError",
    }
    assert body["database"]["status"] == "ok"
    assert "redis is down" not in response.content.decode()  # no internals leak out


def test_it_reports_503_when_the_queue_health_check_says_error(monkeypatch):
    import xiaoan.jobs

    monkeypatch.setattr(
        xiaoan.jobs, "queue_health", lambda: {"status": "error", "error": "Timeout"}
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_it_reports_503_when_the_database_fails(monkeypatch):
    from django.db import connection

    class Broken:
        def __enter__(self):
            raise OSError("database is gone")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(connection, "cursor", lambda: Broken())
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == {"status": "error", "error": "OSError"}


def test_it_reports_readiness_of_the_database_cache_queue_and_storage():
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: body[name]["status"] for name in ("database", "cache", "jobs", "storage")} == {
        "database": "ok",
        "cache": "ok",
        "jobs": "ok",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_is_not_ready_when_the_cache_or_the_storage_fails(monkeypatch):
    from django.core.cache import cache
    from django.core.files.storage import default_storage

    def broken(*args, **kwargs):
        raise ConnectionError("redis at 10.0.0.5 is down")

    monkeypatch.setattr(cache, "set", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["cache"] == {"status": "error", "error": "ConnectionError"}
    assert body["database"]["status"] == "ok"
    assert "10.0.0.5" not in response.content.decode()
    monkeypatch.undo()

    monkeypatch.setattr(default_storage, "save", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage"] == {"status": "error", "error": "ConnectionError"}


def test_it_leaves_no_file_behind(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert Client().get("/readyz").status_code == 200
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
