"""Moving old audit rows to a file: written, checked, then deleted, never silently dropped."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.audit.models import AuditAction, AuditArchive, AuditEntry
from xiaoan.audit.services import lock, record, verify


class ArchiveError(Exception):
    pass


@dataclass
class ArchiveResult:
    path: Path | str
    count: int
    first_id: int
    last_id: int
    sha256: str


def archive_dir() -> Path:
    return Path(settings.DATA_DIR) / "audit-archive"


def cutoff(before: dt.date | None = None) -> dt.datetime:
    """Rows older than this go: the start of `before` (local time), else the retention."""
    if before is not None:
        return timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    return timezone.now() - dt.timedelta(days=settings.XIAOAN_AUDIT_RETENTION_DAYS)


def row_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "unit_id": entry.unit_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "detail": entry.detail,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
        "algorithm": entry.algorithm,
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(path: Path, last_id: int) -> tuple[int, int]:
    """The rows up to `last_id` as gzip JSON lines; returns (count, first id)."""
    count, first_id = 0, 0
    tmp = path.with_suffix(".part")
    with gzip.open(tmp, "wt", encoding="utf-8") as handle:
        rows = AuditEntry.objects.filter(id__lte=last_id).order_by("id")
        for entry in rows.iterator(chunk_size=2000):
            first_id = first_id or entry.id
            handle.write(json.dumps(row_json(entry), ensure_ascii=False) + "\n")
            count += 1
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    tmp.rename(path)
    return count, first_id


def _read_back(path: Path, count: int, last_hash: str) -> None:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    if len(lines) != count or (lines and lines[-1]["hash"] != last_hash):
        raise ArchiveError(_("归档文件校验失败，未删除任何审计记录：%(p)s") % {"p": path})


def _to_object_storage(path: Path, checksum: str) -> str | None:
    """With object storage the archive goes to the bucket beside the uploads, checked after
    the upload, and the local copy is removed: on several servers, whichever ran the nightly
    job would otherwise hold it alone. None with local storage (the file stays)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from xiaoan.core.objectstorage import describe, is_object_storage

    if not is_object_storage(default_storage):
        return None
    with path.open("rb") as handle:
        name = default_storage.save(f"audit-archive/{path.name}", handle)
    from xiaoan.core.backup import stream_sha256

    with default_storage.open(name, "rb") as handle:
        stored, _size = stream_sha256(handle)
    if stored != checksum:
        default_storage.delete(name)
        raise ArchiveError(_("归档文件上传后校验失败，未删除任何审计记录：%(p)s") % {"p": name})
    default_storage.save(f"{name}.sha256", ContentFile(f"{checksum}  {path.name}\n".encode()))
    path.unlink()
    Path(f"{path}.sha256").unlink()
    return f"{describe(default_storage)}/{name}"


def archive(before: dt.date | None = None) -> ArchiveResult | None:
    """Archive the rows older than the cut-off (a prefix of the chain, so what stays still
    starts at the anchor). The rows are checked first; a broken chain is never archived."""
    limit = cutoff(before)
    with transaction.atomic():
        lock()
        last_id = (
            AuditEntry.objects.filter(at__lt=limit).order_by("-id").values_list("id", flat=True)
        ).first()
        if last_id is None:
            return None
        verdict = verify(upto=last_id)
        if verdict.broken is not None:
            bad = verdict.broken.entry
            raise ArchiveError(
                _("审计记录链在第 %(id)s 条（%(at)s）处断裂，已停止归档。")
                % {"id": bad.id, "at": timezone.localtime(bad.at).strftime("%Y-%m-%d %H:%M:%S")}
            )
        last = AuditEntry.objects.get(id=last_id)
        folder = archive_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
        path = folder / f"audit-{last_id:012d}-{stamp}.jsonl.gz"
        count, first_id = _write(path, last_id)
        _read_back(path, count, last.hash)
        checksum = _sha256(path)
        Path(f"{path}.sha256").write_text(f"{checksum}  {path.name}\n", encoding="ascii")
        path = _to_object_storage(path, checksum) or path
        AuditArchive.objects.create(
            path=str(path),
            sha256=checksum,
            count=count,
            first_id=first_id,
            last_id=last_id,
            last_hash=last.hash,
        )
        table = AuditEntry._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The trigger lets only this transaction delete rows an archive holds.
                cursor.execute("SET LOCAL xiaoan.audit_archive = 'on'")
            cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last_id])
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL xiaoan.audit_archive = 'off'")
        record(
            AuditAction.OTHER,
            object_repr=str(path).rsplit("/", 1)[-1],
            detail={
                "kind": "audit-archive",
                "file": str(path),
                "sha256": checksum,
                "count": count,
                "first_id": first_id,
                "last_id": last_id,
                "anchor": last.hash,
            },
        )
    return ArchiveResult(path, count, first_id, last_id, checksum)
