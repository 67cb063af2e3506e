"""The `xiaoan` console command: Django's manage.py for this project.

A command run against a database that is not migrated yet (a fresh machine, or new code
before `xiaoan migrate`) answers with one Chinese line saying what to run, and exit
status 1, instead of a traceback: every command fails the same way there, so it is caught
once, here."""

from __future__ import annotations

import os
import re
import sys

# Commands whose own failures on a partly migrated database are not cured by running
# migrate (they are migrate, or work on the migrations themselves): keep their traceback.
MIGRATION_COMMANDS = frozenset(
    {"migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations", "flush"}
)
# SQLite, PostgreSQL: the error text when the schema lacks a table.
MISSING_TABLE = re.compile(r"no such table|relation \"[^\"]+\" does not exist")


def _database_error(error: BaseException) -> BaseException | None:
    """The database error that caused `error`, if any (commands may wrap it)."""
    from django.db import DatabaseError

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, DatabaseError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _pending_migrations() -> tuple[int, bool] | None:
    """(unapplied migrations, whether any is applied), or None when the database cannot
    tell (unreachable)."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        connections.close_all()  # the failed one may sit in an aborted transaction
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return len(plan), bool(executor.loader.applied_migrations)
    except Exception:
        return None


def before_migrate_message(error: BaseException) -> str | None:
    """The one line to print when `error` comes from a database not (fully) migrated;
    None for any other error (its traceback stays)."""
    from django.utils.translation import gettext as _

    cause = _database_error(error)
    if cause is None:
        return None
    pending = _pending_migrations()
    if pending is None:
        missing = MISSING_TABLE.search(str(cause))
        return _("数据库尚未初始化：请先运行 xiaoan migrate（或 make run）。") if missing else None
    count, any_applied = pending
    if not count:
        return None  # the schema is current: a real error
    if not any_applied:
        return _("数据库尚未初始化：请先运行 xiaoan migrate（或 make run）。")
    return _("数据库结构不是最新（%(count)d 个迁移未应用）：请先运行 xiaoan migrate。") % {
        "count": count
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoan.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv
    command = argv[1] if len(argv) > 1 else ""
    try:
        execute_from_command_line(argv)
    except Exception as error:
        if command in MIGRATION_COMMANDS or "--traceback" in argv:
            raise
        message = before_migrate_message(error)
        if message is None:
            raise
        sys.stderr.write(message + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
