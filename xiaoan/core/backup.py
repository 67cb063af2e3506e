"""Backup and restore of the whole database and the uploaded files.

A backup is a directory:

    manifest.json                 format, engine, migration state, checksums (see `backup`)
    tables/<db_table>.jsonl.gz    one gzip JSON-lines file per table: a header line
                                  {"table", "columns"}, then one JSON array per row
    media/<path>                  a copy of the MEDIA_ROOT tree

Rows are read and written at the table level with the database cursor, never through model
fields: encrypted fields decrypt in `from_db_value`, and a backup must keep the ciphertext.
Values keep their raw form (SQLite: the stored value, bypassing Django's converters;
PostgreSQL: what the driver returns), with a small tagged encoding for what JSON lacks.
A restore goes into the same kind of database only.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import hashlib
import json
import math
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.objectstorage import describe

FORMAT = "xiaoan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000
CHUNK = 1024 * 1024
# Logins are not worth restoring: people sign in again after a restore.
SKIPPED_TABLES = frozenset({"django_session"})
# Reference rows that `migrate` writes itself (post_migrate): a freshly migrated database has
# them, and a restore replaces them with the backup's rows so that ids match exactly. Their
# history tables and many-to-many tables count too.
SEEDED_BY_MIGRATE = (
    "contenttypes.ContentType",
    "auth.Permission",
    "accounts.Role",
    "inspections.ChecklistTemplate",
    "inspections.ChecklistVersion",
    "inspections.ChecklistItem",
    # The built-in national indicators and their targets (indicators' data migration).
    "indicators.Indicator",
    "indicators.Target",
)

# Append-only tables that `migrate` writes to on the target (the audit trail records the
# reference data it loads): the backup's rows replace them, past their triggers.
APPEND_ONLY_SEEDED = ("audit.AuditEntry",)

Report = Callable[[str], None]


class BackupError(Exception):
    """A refused or failed backup or restore; the message is for the operator (Chinese)."""

    def __init__(self, message: str) -> None:
        self.message = str(message)
        super().__init__(self.message)


@dataclass
class Summary:
    path: str
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    bytes: int = 0
    media_included: bool = True
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "tables": self.tables,
            "rows": self.rows,
            "media_files": self.media_files,
            "bytes": self.bytes,
            "media_included": self.media_included,
            "notes": self.notes,
        }


def _quiet(_message: str) -> None:
    pass


# --- values ------------------------------------------------------------------------------


def encode_value(value: Any) -> Any:
    """A JSON-ready form of one raw column value; what JSON lacks becomes {"$": type, "v": …}.
    Raw values are never dicts, so a tag cannot be mistaken for data."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if isinstance(value, dt.datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$": "time", "v": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, decimal.Decimal):
        return {"$": "decimal", "v": str(value)}
    if isinstance(value, uuid.UUID):
        return {"$": "uuid", "v": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(type(value).__name__)


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "float": float,
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "timedelta": lambda v: dt.timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
    "decimal": decimal.Decimal,
    "uuid": uuid.UUID,
    "bytes": base64.b64decode,
}


def decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        return _DECODERS[value["$"]](value["v"])
    return value


def _dump_line(values: Any) -> bytes:
    # surrogatepass: SQLite may hold text that is not valid UTF-8; keep it as it is.
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass") + b"\n"


def _load_line(line: bytes) -> Any:
    return json.loads(line.decode("utf-8", "surrogatepass"))


# --- tables ------------------------------------------------------------------------------


def table_models(connection: BaseDatabaseWrapper) -> dict[str, type[Model]]:
    """Every concrete table of the installed models (auto-created many-to-many and history
    tables included) that exists in the database, by table name."""
    existing = set(connection.introspection.table_names())
    tables: dict[str, type[Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in SKIPPED_TABLES:
            continue
        if meta.db_table in existing:
            tables.setdefault(meta.db_table, model)
    return dict(sorted(tables.items()))


def dependency_order(tables: dict[str, type[Model]]) -> list[str]:
    """Referenced tables before the tables pointing at them (cycles broken arbitrarily:
    foreign keys are checked at commit anyway)."""
    needs: dict[str, set[str]] = {}
    for table, model in tables.items():
        targets = {
            f.related_model._meta.db_table
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not None
        }
        needs[table] = {t for t in targets if t in tables and t != table}
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(table: str) -> None:
        if table in seen:
            return
        seen.add(table)
        for target in sorted(needs[table]):
            visit(target)
        ordered.append(table)

    for table in tables:
        visit(table)
    return ordered


def seeded_tables(tables: dict[str, type[Model]]) -> set[str]:
    seeded = {apps.get_model(label) for label in (*SEEDED_BY_MIGRATE, *APPEND_ONLY_SEEDED)}
    result = set()
    for table, model in tables.items():
        history_of = getattr(model, "instance_type", None)  # django-simple-history
        through_of = model._meta.auto_created  # the model of an auto-created m2m table
        if model in seeded or history_of in seeded or through_of in seeded:
            result.add(table)
    return result


def table_columns(connection: BaseDatabaseWrapper, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def iter_rows(
    connection: BaseDatabaseWrapper, table: str, columns: list[str], model: type[Model]
) -> Iterator[tuple]:
    """The table's rows in primary-key order, streamed (a server-side cursor on
    PostgreSQL)."""
    quote = connection.ops.quote_name
    # "+col" is an expression to SQLite, so Django's type converters (which would turn an
    # unparsable datetime into None) do not apply and the stored value comes back as is.
    prefix = "+" if connection.vendor == "sqlite" else ""
    select = ", ".join(prefix + quote(c) for c in columns)
    pk = model._meta.pk
    order = quote(pk.column) if pk is not None and pk.column in columns else "1"
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(f"SELECT {select} FROM {quote(table)} ORDER BY {order}")
        while rows := cursor.fetchmany(BATCH):
            yield from rows
    finally:
        cursor.close()


def migration_state(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest applied migration per app."""
    state: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        state[app_label] = max(state.get(app_label, name), name)
    return dict(sorted(state.items()))


def _code_migrations() -> tuple[set[tuple[str, str]], dict[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    nodes = set(loader.graph.nodes)
    latest: dict[str, str] = {}
    for app_label, name in nodes:
        latest[app_label] = max(latest.get(app_label, name), name)
    return nodes, latest


@contextmanager
def snapshot(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """One read transaction around every table so a concurrent writer cannot make them
    disagree. Inside a caller's transaction (tests) its view is already one."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite: Django's atomic() would BEGIN IMMEDIATE and block every writer; a deferred
    # transaction reads one WAL snapshot and lets writers go on.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


# --- files -------------------------------------------------------------------------------


class _HashingWriter:
    """A file wrapper that hashes and counts what goes through it."""

    def __init__(self, file) -> None:
        self.file = file
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.file.write(data)

    def flush(self) -> None:
        self.file.flush()


def stream_sha256(handle: Any) -> tuple[str, int]:
    """SHA-256 and size of what an open binary file yields, read in chunks."""
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def file_sha256(path: Path) -> tuple[str, int]:
    with path.open("rb") as file:
        return stream_sha256(file)


def copy_hashed(source: Path, target: Path) -> tuple[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        writer = _HashingWriter(dst)
        while chunk := src.read(CHUNK):
            writer.write(chunk)
    return writer.sha256.hexdigest(), writer.size


def safe_relative(name: Any) -> PurePosixPath:
    """A path from a manifest: relative, without '..' (a manifest must not write outside)."""
    path = PurePosixPath(str(name))
    if not isinstance(name, str) or not name or path.is_absolute() or ".." in path.parts:
        raise BackupError(_("备份清单中的路径不合法：%(p)s") % {"p": name})
    return path


def media_storage_root() -> Path | None:
    """MEDIA_ROOT when uploads live on the local file system; None for object storage."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


# --- backup ------------------------------------------------------------------------------


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"xiaoan-{stamp}"


def backup(
    path: Path | str,
    *,
    using: str = DEFAULT_DB_ALIAS,
    report: Report = _quiet,
) -> Summary:
    """Write a backup directory at `path` (which must not exist or be empty). Written to a
    sibling directory first and renamed at the end: a failed run leaves no half backup."""
    target = Path(path).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(_("备份目录已存在且不为空：%(p)s") % {"p": target})
    media_root = media_storage_root()
    if media_root is not None and target.is_relative_to(media_root.absolute()):
        raise BackupError(
            _("备份目录不能放在上传文件目录（MEDIA_ROOT）里面：%(p)s") % {"p": target}
        )
    work = target.with_name(f".{target.name}.partial-{os.getpid()}")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, mode=0o700)
    # The backup holds password hashes and everything else: readable by its owner only.
    old_umask = os.umask(0o077)
    try:
        summary, manifest = _write_backup(work, connections[using], media_root, report)
        (work / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    summary.path = str(target)
    return summary


def _write_backup(
    work: Path, connection: BaseDatabaseWrapper, media_root: Path | None, report: Report
) -> tuple[Summary, dict[str, Any]]:
    summary = Summary(path=str(work))
    (work / "tables").mkdir()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "django": ".".join(str(p) for p in __import__("django").VERSION[:3]),
        "skipped_tables": sorted(SKIPPED_TABLES),
    }
    entries = []
    with snapshot(connection):
        manifest["migrations"] = migration_state(connection)
        for table, model in table_models(connection).items():
            entry = _dump_table(work, connection, table, model)
            entries.append(entry)
            summary.rows += entry["rows"]
            summary.bytes += entry["bytes"]
            report(_("表 %(t)s：%(n)d 行") % {"t": table, "n": entry["rows"]})
    manifest["tables"] = entries
    summary.tables = len(entries)
    # Files after the snapshot: an upload made meanwhile is an unreferenced extra file,
    # never a row whose file is missing.
    if media_root is None:
        manifest["media"] = {
            "included": False,
            "reason": _("上传文件存放在对象存储（%(b)s）中，不在本备份内，请用存储自身的备份")
            % {"b": describe(storages["default"])},
            "files": [],
        }
        summary.media_included = False
        summary.notes.append(manifest["media"]["reason"])
    else:
        files = []
        for name, source in _media_files(media_root):
            sha256, size = copy_hashed(source, work / "media" / name)
            files.append({"path": name, "size": size, "sha256": sha256})
            summary.bytes += size
        manifest["media"] = {"included": True, "files": files}
        summary.media_files = len(files)
        report(_("上传文件：%(n)d 个") % {"n": len(files)})
    return summary, manifest


def _dump_table(
    work: Path, connection: BaseDatabaseWrapper, table: str, model: type[Model]
) -> dict[str, Any]:
    columns = table_columns(connection, table)
    name = f"tables/{table}.jsonl.gz"
    rows = 0
    with (work / name).open("wb") as raw:
        writer = _HashingWriter(raw)
        # mtime=0 and no file name: the same rows always give the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=writer, mtime=0, compresslevel=6) as gz:
            gz.write(_dump_line({"table": table, "columns": columns}))
            for row in iter_rows(connection, table, columns, model):
                try:
                    values = [encode_value(v) for v in row]
                except TypeError as error:
                    raise BackupError(
                        _("表 %(t)s 中有无法备份的值类型：%(v)s") % {"t": table, "v": error}
                    ) from None
                gz.write(_dump_line(values))
                rows += 1
    return {
        "table": table,
        "model": model._meta.label,
        "file": name,
        "columns": columns,
        "rows": rows,
        "bytes": writer.size,
        "sha256": writer.sha256.hexdigest(),
    }


# --- restore -----------------------------------------------------------------------------


def verify(path: Path | str) -> dict[str, Any]:
    """Check the manifest and every file's size and checksum; nothing else is touched."""
    root = Path(path)
    if not root.is_dir():
        raise BackupError(_("备份目录不存在：%(p)s") % {"p": root})
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(_("备份文件缺失：%(f)s") % {"f": MANIFEST}) from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(_("备份清单无法读取：%(f)s") % {"f": MANIFEST}) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("这不是校安的备份：%(p)s") % {"p": root})
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("备份格式版本 %(v)s 不受支持（本程序支持 %(s)d）")
            % {"v": manifest.get("version"), "s": FORMAT_VERSION}
        )
    try:
        listed = [(t["file"], t["sha256"], t["bytes"]) for t in manifest["tables"]]
        media = manifest["media"]
        listed += [("media/" + f["path"], f["sha256"], f["size"]) for f in media["files"]]
    except (KeyError, TypeError):
        raise BackupError(_("备份清单不完整：%(f)s") % {"f": MANIFEST}) from None
    for name, sha256, size in listed:
        file = root / safe_relative(name)
        if not file.is_file():
            raise BackupError(_("备份文件缺失：%(f)s") % {"f": name})
        if file_sha256(file) != (sha256, size):
            raise BackupError(_("备份文件已被改动（校验和不符）：%(f)s") % {"f": name})
    return manifest


def restore(
    path: Path | str,
    *,
    using: str = DEFAULT_DB_ALIAS,
    report: Report = _quiet,
) -> Summary:
    """Restore a verified backup into an empty database of the same kind: one with no
    tables (migrated here to the backup's state) or one only migrated."""
    root = Path(path)
    manifest = verify(root)
    report(
        _("校验通过：%(t)d 个表文件，%(m)d 个上传文件")
        % {"t": len(manifest["tables"]), "m": len(manifest["media"]["files"])}
    )
    connection = connections[using]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            _("备份来自 %(b)s 数据库，目标是 %(t)s：只能恢复到同一种数据库")
            % {"b": manifest["engine"], "t": connection.vendor}
        )
    wanted: dict[str, str] = manifest["migrations"]
    nodes, code_latest = _code_migrations()
    newer = sorted(f"{a}.{n}" for a, n in wanted.items() if (a, n) not in nodes)
    if newer:
        raise BackupError(
            _("备份来自更新的版本（本程序没有这些迁移：%(m)s），请先升级程序")
            % {"m": "、".join(newer)}
        )
    from xiaoan.core import backup_media

    media = backup_media.target(manifest)
    existing = set(connection.introspection.table_names())
    recorder_table = MigrationRecorder.Migration._meta.db_table
    if existing <= {recorder_table} and not (existing and migration_state(connection)):
        report(_("目标数据库没有任何表：迁移到备份时的版本……"))
        executor = MigrationExecutor(connection)
        targets = sorted(wanted.items())
        executor.migrate(targets, plan=executor.migration_plan(targets))
    elif recorder_table not in existing:
        raise BackupError(_("目标数据库不是空库（有表但没有迁移记录），拒绝恢复"))
    elif (current := migration_state(connection)) != wanted:
        differ = sorted(
            f"{a}: {current.get(a, '-')} ≠ {wanted.get(a, '-')}"
            for a in set(current) | set(wanted)
            if current.get(a) != wanted.get(a)
        )
        raise BackupError(
            _("目标数据库的迁移状态与备份不同（%(d)s）：请恢复到没有任何表的空数据库")
            % {"d": "；".join(differ)}
        )
    tables = table_models(connection)
    _check_target(connection, manifest, tables)
    written = backup_media.restore(root, manifest, media)
    try:
        summary = _load_tables(root, manifest, connection, tables, report)
    except BaseException:
        backup_media.undo(media, written)
        raise
    summary.media_files = len(manifest["media"]["files"])
    summary.bytes += sum(f["size"] for f in manifest["media"]["files"])
    if not manifest["media"]["included"]:
        summary.media_included = False
        summary.notes.append(manifest["media"].get("reason", ""))
    report(_("上传文件：%(n)d 个") % {"n": summary.media_files})
    if any(code_latest.get(a) != n for a, n in wanted.items()) or set(code_latest) - set(wanted):
        report(_("备份来自较早的版本：迁移到当前版本……"))
        call_command("migrate", database=using, interactive=False, verbosity=0)
        summary.notes.append(_("已迁移到当前版本"))
    return summary


def _check_target(
    connection: BaseDatabaseWrapper, manifest: dict[str, Any], tables: dict[str, type[Model]]
) -> None:
    """Every backed-up table exists with the same columns; the database holds no data
    besides the reference rows `migrate` writes."""
    quote = connection.ops.quote_name
    for entry in manifest["tables"]:
        table = entry["table"]
        if table not in tables:
            raise BackupError(_("目标数据库没有表 %(t)s") % {"t": table})
        missing = set(entry["columns"]) - set(table_columns(connection, table))
        if missing:
            raise BackupError(
                _("目标数据库的表 %(t)s 缺少列：%(c)s")
                % {"t": table, "c": "、".join(sorted(missing))}
            )
    seeded = seeded_tables(tables)
    with connection.cursor() as cursor:
        full = []
        for table in tables:
            if table in seeded:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone():
                full.append(table)
    if full:
        raise BackupError(
            _("目标数据库不是空库（表 %(t)s 中已有数据），拒绝恢复") % {"t": "、".join(full[:5])}
        )


def _load_tables(
    root: Path,
    manifest: dict[str, Any],
    connection: BaseDatabaseWrapper,
    tables: dict[str, type[Model]],
    report: Report,
) -> Summary:
    """Everything in one transaction, foreign keys checked at commit."""
    summary = Summary(path=str(root))
    entries = {e["table"]: e for e in manifest["tables"]}
    order = [t for t in dependency_order(tables) if t in entries]
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # Django's foreign keys are DEFERRABLE on both engines. Not session_replication_role:
        # it would also switch off the audit table's triggers.
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA defer_foreign_keys = ON")
        seeded = seeded_tables(tables)
        for table in reversed(order):
            if table in seeded:
                cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
                if cursor.fetchone():  # reference rows from migrate: the backup's replace them
                    _clear(cursor, connection, table)
        for table in order:
            entry = entries[table]
            rows = _insert_table(cursor, connection, root / entry["file"], entry)
            summary.rows += rows
            summary.bytes += entry["bytes"]
            report(_("表 %(t)s：%(n)d 行") % {"t": table, "n": rows})
        models = [tables[t] for t in order]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    summary.tables = len(order)
    return summary


def _clear(cursor, connection: BaseDatabaseWrapper, table: str) -> None:
    """Empty a table inside the restore's transaction, also an append-only one: PostgreSQL's
    row triggers do not fire on TRUNCATE; SQLite's are set aside and put back."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        cursor.execute(f"TRUNCATE {quote(table)} CASCADE")
        return
    triggers = []
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [table],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {quote(name)}")
    cursor.execute(f"DELETE FROM {quote(table)}")
    for _name, sql in triggers:
        cursor.execute(sql)


def _insert_table(cursor, connection: BaseDatabaseWrapper, file: Path, entry: dict) -> int:
    quote = connection.ops.quote_name
    with gzip.open(file, "rb") as lines:
        header = _load_line(lines.readline())
        columns = header["columns"]
        if header.get("table") != entry["table"] or columns != entry["columns"]:
            raise BackupError(_("备份文件与清单不一致：%(f)s") % {"f": entry["file"]})
        target = "{} ({})".format(quote(entry["table"]), ", ".join(quote(c) for c in columns))
        values = ([decode_value(v) for v in _load_line(line)] for line in lines)
        if connection.vendor == "postgresql":
            rows = _copy_rows(connection, target, values)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            rows = _insert_rows(cursor, f"INSERT INTO {target} VALUES ({placeholders})", values)
    if rows != entry["rows"]:
        raise BackupError(_("备份文件与清单不一致：%(f)s") % {"f": entry["file"]})
    return rows


def _insert_rows(cursor, sql: str, values: Iterator[list]) -> int:
    """executemany in batches (SQLite reuses one prepared statement)."""
    rows, batch = 0, []
    for row in values:
        batch.append(row)
        if len(batch) >= BATCH:
            cursor.executemany(sql, batch)
            rows, batch = rows + len(batch), []
    if batch:
        cursor.executemany(sql, batch)
        rows += len(batch)
    return rows


def _copy_rows(connection: BaseDatabaseWrapper, target: str, values: Iterator[list]) -> int:
    """PostgreSQL: COPY, streamed, inside the same transaction. Each value goes through the
    column type's own input function, and it is about three times faster than executemany
    with the client-side binding Django uses (a million rows: 2 min with executemany)."""
    rows = 0
    with connection.connection.cursor() as raw, raw.copy(f"COPY {target} FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)
            rows += 1
    return rows


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""  # unreachable
