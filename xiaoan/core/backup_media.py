"""Where a restore puts the backup's uploaded files: the local upload directory, or the
object storage — how a district's one server moves into a province's cluster (backed up
there with its files, restored here into the bucket). A file already present with other
content refuses the restore before anything is written; one with the same content is kept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.storage import storages
from django.utils.translation import gettext as _

from xiaoan.core.backup import (
    BackupError,
    copy_hashed,
    file_sha256,
    media_storage_root,
    safe_relative,
    stream_sha256,
)


@dataclass
class Target:
    root: Path | None  # the local upload directory, or None for object storage
    storage: Any


def _stored_sha256(storage: Any, name: str) -> tuple[str, int]:
    with storage.open(name, "rb") as handle:
        return stream_sha256(handle)


def target(manifest: dict[str, Any]) -> Target | None:
    """Where the backup's files go, checked: None when it has none."""
    files = manifest["media"]["files"]
    if not files:
        return None
    root = media_storage_root()
    storage = storages["default"]
    for entry in files:
        name = str(safe_relative(entry["path"]))
        if root is not None:
            path = root / name
            differs = path.exists() and file_sha256(path) != (entry["sha256"], entry["size"])
        else:
            differs = storage.exists(name) and _stored_sha256(storage, name) != (
                entry["sha256"],
                entry["size"],
            )
        if differs:
            raise BackupError(
                _("上传文件目录中已有同名但内容不同的文件：%(f)s") % {"f": entry["path"]}
            )
    return Target(root=root, storage=storage)


def restore(backup_root: Path, manifest: dict[str, Any], where: Target | None) -> list[str]:
    """Copy the files in; the names written (to undo them if the tables fail)."""
    written: list[str] = []
    if where is None:
        return written
    try:
        for entry in manifest["media"]["files"]:
            name = str(safe_relative(entry["path"]))
            source = backup_root / "media" / entry["path"]
            if where.root is not None:
                path = where.root / name
                if path.exists():  # same content, checked before
                    continue
                partial = path.with_name(f".{path.name}.partial")
                copy_hashed(source, partial)
                partial.rename(path)
            else:
                if where.storage.exists(name):
                    continue
                with source.open("rb") as handle:
                    saved = where.storage.save(name, handle)
                if saved != name:  # written meanwhile by someone else: keep the names exact
                    where.storage.delete(saved)
                    raise BackupError(_("上传文件无法按原名写入：%(f)s") % {"f": name})
            written.append(name)
    except (OSError, BackupError) as error:
        undo(where, written)
        if isinstance(error, BackupError):
            raise
        raise BackupError(_("上传文件无法写入：%(e)s") % {"e": error}) from None
    except Exception as error:  # the object storage's own errors (botocore)
        undo(where, written)
        raise BackupError(
            _("上传文件无法写入对象存储：%(e)s") % {"e": error.__class__.__name__}
        ) from None
    return written


def undo(where: Target | None, written: list[str]) -> None:
    if where is None:
        return
    for name in written:
        if where.root is not None:
            (where.root / name).unlink(missing_ok=True)
        else:
            where.storage.delete(name)
