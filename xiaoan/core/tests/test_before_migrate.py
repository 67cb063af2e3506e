"""A command run before `xiaoan migrate` answers with one Chinese line saying what to run
and a non-zero status, not a traceback; the commands that need no tables keep working on
an empty database. Run as real `xiaoan` processes against an empty SQLite data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, ProgrammingError

import xiaoan.__main__ as cli

NOT_INITIALISED = "数据库尚未初始化：请先运行 xiaoan migrate（或 make run）。"

NEED_TABLES = (
    ["checklists", "--json"],
    ["bench", "hazards"],
    ["platform-admin", "list"],
    ["audit", "tail"],
)
NEED_NONE = (
    ["check"],
    ["help", "migrate"],
    ["shell", "-c", "print('shell ok')"],
    ["makemigrations", "--check", "--dry-run"],
)


def _start(args: list[str], data_dir: Path) -> subprocess.Popen[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["XIAOAN_DATA_DIR"] = str(data_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "xiaoan", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run_all(commands, data_dir: Path) -> list[tuple[list[str], int, str, str]]:
    # Side by side: each process spends most of its time starting Django.
    started = [(args, _start(args, data_dir)) for args in commands]
    done = []
    for args, process in started:
        out, err = process.communicate(timeout=180)
        done.append((args, process.returncode, out, err))
    return done


@pytest.fixture
def empty(tmp_path) -> Path:
    return tmp_path / "data"


def test_it_says_in_one_chinese_line_to_run_migrate(empty):
    for args, status, _out, err in _run_all(NEED_TABLES, empty):
        assert status == 1, (args, err[-1500:])
        assert err.strip().splitlines()[-1] == NOT_INITIALISED, (args, err[-1500:])
        assert "Traceback" not in err and "OperationalError" not in err, args


def test_it_keeps_the_commands_that_need_no_tables_working(empty):
    for args, status, out, err in _run_all(NEED_NONE, empty):
        assert status == 0, (args, err[-1500:])
        assert "数据库尚未初始化" not in err, args
        if args[0] == "shell":
            assert "shell ok" in out


def test_it_keeps_the_traceback_when_asked(empty):
    ((_args, status, _out, err),) = _run_all([["checklists", "--json", "--traceback"]], empty)
    assert status == 1 and "Traceback" in err and "no such table" in err


def test_it_names_the_unapplied_migrations_of_an_older_schema(monkeypatch):
    monkeypatch.setattr(cli, "_pending_migrations", lambda: (3, True))
    error = OperationalError("no such column: accounts_role.require_mfa")
    assert cli.before_migrate_message(error) == (
        "数据库结构不是最新（3 个迁移未应用）：请先运行 xiaoan migrate。"
    )


def test_it_leaves_other_errors_alone(monkeypatch):
    monkeypatch.setattr(cli, "_pending_migrations", lambda: (0, True))
    assert cli.before_migrate_message(OperationalError("database is locked")) is None
    assert cli.before_migrate_message(ValueError("no such table: x")) is None


def test_it_reads_the_error_when_the_database_cannot_tell(monkeypatch):
    monkeypatch.setattr(cli, "_pending_migrations", lambda: None)
    wrapped = RuntimeError("job failed")
    wrapped.__cause__ = ProgrammingError('relation "audit_auditentry" does not exist')
    assert cli.before_migrate_message(wrapped) == NOT_INITIALISED
    refused = OperationalError('connection failed: database "x" does not exist')
    assert cli.before_migrate_message(refused) is None
