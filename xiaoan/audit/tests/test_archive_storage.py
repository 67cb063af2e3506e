"""With object storage the audit archive goes to the bucket (checked after the upload), not
to the disk of whichever server ran the nightly job."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json

import pytest
from django.utils import timezone

from xiaoan.audit import archive, services
from xiaoan.audit.models import AuditArchive, AuditEntry
from xiaoan.core.tests.s3 import s3, s3_server  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_archives_to_the_bucket_and_leaves_no_local_file(persona, settings, tmp_path, s3):  # noqa: F811
    settings.DATA_DIR = tmp_path
    services.record("other", actor=persona("auditor"), detail={"n": "old"})
    boundary = AuditEntry.objects.order_by("-id").first()
    before = AuditEntry.objects.count()

    result = archive.archive(timezone.localdate() + dt.timedelta(days=1))

    [key, sums] = s3.keys("media/audit-archive/")
    assert sums == f"{key}.sha256"
    body = s3.read(key)
    rows = [json.loads(line) for line in gzip.decompress(body).decode().splitlines()]
    assert len(rows) == before and rows[-1]["hash"] == boundary.hash
    checksum = hashlib.sha256(body).hexdigest()
    assert s3.read(sums).decode().split()[0] == checksum == result.sha256
    stored = AuditArchive.objects.get()
    assert stored.path == f"s3://{s3.name}/{key}"
    assert not [p for p in (tmp_path / "audit-archive").iterdir()]
    assert services.verify().broken is None


def test_it_deletes_nothing_when_the_upload_fails(persona, settings, tmp_path, s3, monkeypatch):  # noqa: F811
    from django.core.files.storage import storages

    settings.DATA_DIR = tmp_path
    services.record("other", actor=persona("auditor"), detail={"n": "old"})
    before = AuditEntry.objects.count()

    def down(*args, **kwargs):
        raise ConnectionError("bucket unreachable")

    monkeypatch.setattr(type(storages["default"]), "save", down)
    with pytest.raises(ConnectionError):
        archive.archive(timezone.localdate() + dt.timedelta(days=1))
    assert AuditEntry.objects.count() == before
    assert not AuditArchive.objects.exists()
