"""`audit archive`: rows past the retention go to a checked gzip JSON-lines file, are only
then deleted, and the chain still verifies from the recorded anchor."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from xiaoan.audit import services
from xiaoan.audit.models import AuditArchive, AuditEntry
from xiaoan.audit.tests.support import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _run(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_it_archives_old_rows_to_a_readable_file_and_keeps_the_chain_green(persona, data_dir):
    services.record("other", actor=persona("auditor"), detail={"n": "old"})
    boundary = AuditEntry.objects.order_by("-id").first()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    before = AuditEntry.objects.count()

    output = _run("archive", "--before", tomorrow.isoformat())

    assert f"已归档 {before} 条" in output
    archive = AuditArchive.objects.get()
    path = Path(archive.path)
    assert path.parent == data_dir / "audit-archive"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    assert len(rows) == before == archive.count
    assert rows[-1]["id"] == boundary.id and rows[-1]["hash"] == boundary.hash == archive.last_hash
    assert rows[-1]["detail"] == {"n": "old"}
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    assert archive.sha256 == checksum
    assert Path(f"{path}.sha256").read_text().split()[0] == checksum
    # Only the archive's own entry remains, chained to the anchor.
    remaining = AuditEntry.objects.get()
    assert remaining.detail["kind"] == "audit-archive"
    assert remaining.prev_hash == boundary.hash
    assert "共 1 条" in _run("verify")
    services.record("other", actor=persona("auditor"))
    assert "共 2 条" in _run("verify")


def test_it_keeps_rows_within_the_retention(persona, settings):
    settings.XIAOAN_AUDIT_RETENTION_DAYS = 180
    services.record("other", actor=persona("auditor"))
    count = AuditEntry.objects.count()
    assert "没有需要归档" in _run("archive")
    assert AuditEntry.objects.count() == count
    assert not AuditArchive.objects.exists()


def test_it_archives_past_the_retention_in_the_nightly_job(persona, settings, monkeypatch):
    from xiaoan.audit.tasks import nightly_archive

    settings.XIAOAN_AUDIT_RETENTION_DAYS = 30
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - dt.timedelta(days=40))
    old = services.record("other", actor=persona("auditor"))
    monkeypatch.undo()
    recent = services.record("other", actor=persona("auditor"))
    expected = AuditEntry.objects.filter(id__lte=old.pk).count()

    assert nightly_archive.call_local() == expected

    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert AuditArchive.objects.get().last_id == old.pk
    assert services.verify().broken is None


def test_it_never_archives_a_broken_chain(persona):
    old = services.record("other", actor=persona("auditor"))
    tamper(
        "UPDATE audit_auditentry SET at = %s WHERE id = %s",
        [timezone.now() - dt.timedelta(days=400), old.pk],
    )
    with pytest.raises(CommandError, match=f"第 {old.pk} 条"):
        _run("archive")
    assert AuditEntry.objects.filter(pk=old.pk).exists()
    assert not AuditArchive.objects.exists()


def test_it_refuses_a_bad_date():
    with pytest.raises(CommandError):
        _run("archive", "--before", "2026-13-01")
