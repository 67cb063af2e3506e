"""`xiaoan backup` writes a consistent dump of the database and the uploaded files with a
checksum manifest; `xiaoan restore` verifies it and restores it into an empty database of
the same kind, with the same rows and files. The round trip restores into a second database
(a temporary SQLite file, or a temporary PostgreSQL database) in a subprocess, backs that
up again and compares every table and file."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from xiaoan.accounts.models import User
from xiaoan.core.backup import decode_value
from xiaoan.hazards.models import Hazard, HazardPhoto
from xiaoan.hazards.tests.api_support import hazard_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup_dir(tmp_path, persona, units, settings) -> Path:
    """The demo district plus hazards with photos (and a budget, dates, times), backed up."""
    hazard_in("submitted", persona, units)
    hazard_in("assigned", persona, units, description="实验室灭火器过期未更换")
    assert HazardPhoto.objects.count() >= 3
    assert any(Path(settings.MEDIA_ROOT).rglob("*.jpg"))
    path = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    assert "备份完成" in out.getvalue()
    return path


def xiaoan(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xiaoan", *args],
        env={**os.environ, "XIAOAN_HUEY_IMMEDIATE": "1", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def target_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "XIAOAN_DATA_DIR": str(tmp_path / "target"),
        "XIAOAN_MEDIA_ROOT": str(tmp_path / "target-media"),
    }


def manifest(path: Path) -> dict:
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))


def rows(path: Path, entry: dict) -> list:
    with gzip.open(path / entry["file"], "rb") as lines:
        next(lines)
        return [[decode_value(v) for v in json.loads(line)] for line in lines]


def assert_same_backup(first: Path, second: Path) -> None:
    """Same tables, row counts and content (the dump is deterministic: same rows, same
    bytes), and the same uploaded files."""
    a, b = manifest(first), manifest(second)
    tables_a = {t["table"]: t for t in a["tables"]}
    tables_b = {t["table"]: t for t in b["tables"]}
    assert sorted(tables_a) == sorted(tables_b)
    assert sum(t["rows"] for t in tables_a.values()) > 500
    for table, entry in tables_a.items():
        other = tables_b[table]
        assert (entry["columns"], entry["rows"]) == (other["columns"], other["rows"]), table
        if entry["sha256"] != other["sha256"]:
            assert rows(first, entry) == rows(second, other), table
    assert a["migrations"] == b["migrations"]
    assert a["media"] == b["media"] and len(a["media"]["files"]) >= 3


def round_trip(backup_dir: Path, tmp_path: Path, database_url: str, migrate_first: bool):
    env = target_env(tmp_path, database_url)
    if migrate_first:  # the usual way: an empty database with migrations applied
        done = xiaoan("migrate", "-v0", env=env)
        assert done.returncode == 0, done.stderr
    done = xiaoan("restore", str(backup_dir), env=env)
    assert done.returncode == 0, done.stderr
    assert "恢复完成" in done.stdout
    again = tmp_path / "again"
    done = xiaoan("backup", str(again), "-v0", env=env)
    assert done.returncode == 0, done.stderr
    assert_same_backup(backup_dir, again)
    restored = tmp_path / "target-media"
    for entry in manifest(backup_dir)["media"]["files"]:
        assert (restored / entry["path"]).read_bytes() == (
            backup_dir / "media" / entry["path"]
        ).read_bytes()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the test run is not on SQLite")
def test_it_round_trips_on_sqlite(backup_dir, tmp_path):
    # No tables at all: the restore migrates to the backup's state itself.
    url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    round_trip(backup_dir, tmp_path, url, migrate_first=False)


@pytest.fixture
def postgres_target():
    """A fresh, table-less PostgreSQL database next to the test database."""
    params = connection.settings_dict
    name = f"{params['NAME']}_rt"
    admin = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    yield f"postgres://{admin['user']}{password}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the test run is not on PostgreSQL")
def test_it_round_trips_on_postgresql(backup_dir, tmp_path, postgres_target):
    # Migrated first: the roles, checklists, content types and permissions `migrate` wrote
    # are replaced by the backup's, and the sequences continue after the restored ids.
    round_trip(backup_dir, tmp_path, postgres_target, migrate_first=True)


def test_it_refuses_a_tampered_file_and_writes_nothing(backup_dir, tmp_path):
    entry = next(t for t in manifest(backup_dir)["tables"] if t["table"] == "hazards_hazard")
    with gzip.open(backup_dir / entry["file"], "rb") as file:
        data = file.read().replace("实验室灭火器".encode(), "实验室灭火栓".encode())
    (backup_dir / entry["file"]).write_bytes(gzip.compress(data, mtime=0))
    database = tmp_path / "empty.sqlite3"
    done = xiaoan("restore", str(backup_dir), env=target_env(tmp_path, f"sqlite:///{database}"))
    assert done.returncode == 2
    assert "校验和不符" in done.stderr and "tables/hazards_hazard.jsonl.gz" in done.stderr
    assert not database.exists() or database.stat().st_size == 0  # not even migrated
    assert not (tmp_path / "target-media").exists()


def test_it_refuses_a_missing_media_file_naming_it(backup_dir):
    photo = manifest(backup_dir)["media"]["files"][0]["path"]
    (backup_dir / "media" / photo).unlink()
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("restore", str(backup_dir), stderr=err)
    assert exit_.value.code == 2
    assert err.getvalue().strip() == f"备份文件缺失：media/{photo}"


def test_it_refuses_to_restore_into_a_database_with_data(backup_dir):
    before = (User.objects.count(), Hazard.objects.count())
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("restore", str(backup_dir), stderr=err)
    assert exit_.value.code == 2
    assert "不是空库" in err.getvalue() and "accounts_user" in err.getvalue()
    assert (User.objects.count(), Hazard.objects.count()) == before


def test_it_refuses_a_backup_from_a_newer_version(backup_dir):
    data = manifest(backup_dir)
    data["migrations"]["hazards"] = "9999_from_the_future"
    (backup_dir / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("restore", str(backup_dir), stderr=err)
    assert exit_.value.code == 2
    assert "更新的版本" in err.getvalue() and "hazards.9999_from_the_future" in err.getvalue()


def test_it_refuses_a_path_outside_the_backup(backup_dir):
    data = manifest(backup_dir)
    data["media"]["files"][0]["path"] = "../../etc/passwd"
    (backup_dir / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("restore", str(backup_dir), stderr=err)
    assert "路径不合法" in err.getvalue()


def test_it_keeps_raw_column_values_and_lists_every_table(backup_dir):
    data = manifest(backup_dir)
    tables = {t["table"] for t in data["tables"]}
    # Auto-created many-to-many tables, history tables and third-party tables are in; logins
    # are not.
    assert {"plans_task_lead_units", "accounts_historicaluser", "axes_accessattempt"} <= tables
    assert "django_session" not in tables and data["skipped_tables"] == ["django_session"]
    assert data["engine"] == connection.vendor
    assert data["migrations"]["hazards"].startswith("00")
    users = next(t for t in data["tables"] if t["table"] == "accounts_user")
    assert users["rows"] == User.objects.count()
    column = users["columns"].index("password")
    stored = {row[column] for row in rows(backup_dir, users)}
    assert stored == set(User.objects.values_list("password", flat=True))
    assert oct((backup_dir / "manifest.json").stat().st_mode & 0o777) == "0o600"


def test_it_refuses_a_backup_directory_that_is_not_empty(backup_dir):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("backup", str(backup_dir), stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 2 and "不为空" in err.getvalue()


def test_it_says_when_media_is_in_object_storage(tmp_path, units):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    out = io.StringIO()
    with override_settings(STORAGES=storages):
        call_command("backup", str(tmp_path / "b"), "--json", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue())
    assert summary["media_included"] is False and summary["media_files"] == 0
    media = manifest(tmp_path / "b")["media"]
    assert media["included"] is False and "对象存储" in media["reason"]
