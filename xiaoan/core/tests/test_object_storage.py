"""Uploads in S3-compatible object storage (XIAOAN_S3_*), against a real local S3 server
(moto's server mode, started by the fixtures in s3.py): a photo or a file someone records
lands in the bucket under the prefix, private (an anonymous GET is refused), and comes back
only through the permission-checked views, byte for byte; 随手拍's kept photos, the printed
record, the backup and /readyz work the same against the bucket."""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.request

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from storages.backends.s3 import S3Storage

from xiaoan.core import pending
from xiaoan.core.tests.s3 import PREFIX, Server, s3, s3_server, use_bucket
from xiaoan.hazards.models import HazardPhoto
from xiaoan.hazards.tests.pages_support import hidden_value, jpeg
from xiaoan.inspections.tests.support import checklist

pytestmark = pytest.mark.django_db
__all__ = ["checklist", "s3", "s3_server"]

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_keeps_a_reported_photo_private_in_the_bucket_and_serves_it_to_whoever_may_see_it(
    s3, api_for, client_for, units, tmp_path
):
    created = api_for("school_a_officer").post(
        "/api/hazards/",
        {"unit": units[SCHOOL_A].pk, "description": "配电箱门损坏", "photos": [jpeg()]},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    assert isinstance(default_storage._wrapped, S3Storage)
    photo = HazardPhoto.objects.get(hazard_id=created.json()["id"])
    key = f"{PREFIX}/{photo.image.name}"
    assert s3.keys() == [key]
    assert not (tmp_path / "media").exists()  # nothing on this server's disk
    stored = s3.read(key)
    assert stored.startswith(b"\xff\xd8")  # the re-encoded JPEG

    # Private: the object's plain URL is refused; only a signed request may read it.
    assert status_of(s3.url(key)) == 403
    assert status_of(default_storage.url(photo.image.name)) == 200
    acl = s3.client.get_object_acl(Bucket=s3.name, Key=key)
    assert not [g for g in acl["Grants"] if "URI" in g["Grantee"]]  # no AllUsers grant

    # Served through the views, the same bytes, to those who see the hazard only.
    api = f"/api/hazards/{photo.hazard_id}/photos/{photo.pk}/"
    page = reverse("hazards:hazard_photo", args=[photo.pk])
    for who in ("school_a_officer", "district_officer"):
        got = api_for(who).get(api)
        assert got.status_code == 200 and body_of(got) == stored
        got = client_for(who).get(page)
        assert got.status_code == 200 and body_of(got) == stored
        assert got["Content-Length"] == str(len(stored))
        assert got["Cache-Control"] == "private, max-age=86400"
    assert client_for("school_b_teacher").get(page).status_code == 404
    assert api_for("school_b_teacher").get(api).status_code == 404

    # A file gone from the bucket is a 404, not an error page.
    s3.client.delete_object(Bucket=s3.name, Key=key)
    assert client_for("school_a_officer").get(page).status_code == 404


def test_it_keeps_two_uploads_of_the_same_name_apart(s3):
    first = default_storage.save("hazards/same.jpg", io.BytesIO(b"one"))
    second = default_storage.save("hazards/same.jpg", io.BytesIO(b"two"))
    assert first != second  # never overwritten
    assert [s3.read(f"{PREFIX}/{n}") for n in (first, second)] == [b"one", b"two"]


def test_it_keeps_an_attachment_in_the_bucket_and_downloads_it_in_scope_only(
    s3, api_for, persona, units
):
    from xiaoan.waters.tests.support import make

    mine = make(persona("school_a_officer"), units[SCHOOL_A], schools=[units[SCHOOL_A]])
    other = make(persona("district_officer"), units[SCHOOL_B], name="河沟", kind="ditch")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_for("school_a_officer")
    sign = SimpleUploadedFile("警示牌.pdf", b"%PDF-1.4 sign", content_type="application/pdf")
    added = client.post(
        f"/api/waters/{mine.pk}/attachments/", {"kind": "photo", "file": sign}, format="multipart"
    )
    assert added.status_code == 201, added.content
    (key,) = s3.keys()
    assert key.startswith(f"{PREFIX}/") and s3.read(key) == b"%PDF-1.4 sign"
    assert status_of(s3.url(key)) == 403
    got = client.get(added.json()["url"])
    assert got.status_code == 200 and body_of(got) == b"%PDF-1.4 sign"
    assert got["Cache-Control"] == "private, no-store"
    assert client.get(f"/api/waters/{other.pk}/attachments/").status_code == 404
    assert api_for("expert").get(added.json()["url"]).status_code in (403, 404)


def test_it_keeps_the_photos_of_a_refused_report_in_the_bucket_until_sent_or_abandoned(
    s3, client_for, persona, units, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    client = client_for("school_a_officer")
    officer = persona("school_a_officer")
    url = reverse("hazards:hazard_report")
    key = hidden_value(client.get(url).content.decode(), "idempotency_key")
    body = {"unit": units[SCHOOL_A].pk, "place_text": "三号楼", "idempotency_key": key}
    refused = client.post(url, {**body, "photos": [jpeg(), jpeg("b.jpg", "blue")]})
    assert refused.status_code == 400
    tokens = re.findall(r'name="kept_photo" value="([^"]+)"', refused.content.decode())
    assert len(tokens) == 2
    # The previews were read back from the bucket.
    assert refused.content.decode().count('src="data:image/jpeg;base64,') == 2
    kept = s3.keys(f"{PREFIX}/pending/{officer.pk}/")
    assert len(kept) == 2

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**body, "description": "楼道堆放杂物", "kept_photo": tokens[:1]})
    assert done.status_code == 302
    photo = HazardPhoto.objects.get(hazard__description="楼道堆放杂物")
    assert s3.read(f"{PREFIX}/{photo.image.name}").startswith(b"\xff\xd8")
    left = s3.keys(f"{PREFIX}/pending/")
    assert len(left) == 1 and left[0] in kept  # the sent copy went, the unticked one stays

    # The nightly pass lists the bucket (no folders there) and deletes what was abandoned.
    assert pending.clean_abandoned() == 0  # still fresh
    later = timezone.now() + dt.timedelta(days=2)
    assert pending.clean_abandoned(now=later) == 1
    assert s3.keys(f"{PREFIX}/pending/") == []
    assert pending.clean_abandoned(now=later) == 0


def test_it_prints_the_inspection_record_with_its_photos_read_from_the_bucket(
    s3, persona, units, checklist, tmp_path
):
    from xiaoan.inspections import printing
    from xiaoan.inspections.models import ResultPhoto
    from xiaoan.inspections.tests.support import done, make

    inspection = done(persona, make(persona, units, checklist), s01="fail")
    photo = ResultPhoto.objects.get(result__inspection=inspection)
    # The result's photo, and its copy on the hazard the failed item raised.
    assert f"{PREFIX}/{photo.image.name}" in s3.keys() and len(s3.keys()) == 2
    context = printing.record_context(inspection)
    assert [u for r in context["rows"] for u in r.photos] == [f"xiaoan-media:{photo.image.name}"]
    assert context["photos_left_out"] == 0
    data = printing.render_pdf(inspection)
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data
    assert not (tmp_path / "media").exists()


def test_it_reads_only_the_listed_objects_into_a_pdf(s3):
    from xiaoan.core import pdf

    name = default_storage.save("hazards/listed.jpg", io.BytesIO(b"listed"))
    other = default_storage.save("hazards/other.jpg", io.BytesIO(b"other"))
    fetcher = pdf.fetcher(media=[name])
    assert fetcher.fetch(pdf.media_uri(name)).read() == b"listed"
    for refused in (other, "../" + name, f"{PREFIX}/{name}"):
        with pytest.raises(ValueError):
            fetcher.fetch(pdf.media_uri(refused))


def test_it_backs_up_the_database_and_names_the_bucket_it_leaves_to_the_storage(
    s3, api_for, units, tmp_path
):
    created = api_for("school_a_officer").post(
        "/api/hazards/",
        {"unit": units[SCHOOL_A].pk, "description": "配电箱门损坏", "photos": [jpeg()]},
        format="multipart",
    )
    assert created.status_code == 201
    out = io.StringIO()
    call_command("backup", str(tmp_path / "b"), "--json", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue())
    assert summary["media_included"] is False and summary["media_files"] == 0
    assert summary["tables"] > 0 and summary["rows"] > 0
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    reason = manifest["media"]["reason"]
    assert f"s3://{s3.name}/{PREFIX}" in reason and "对象存储" in reason
    assert "xiaoan-test" not in json.dumps(manifest)  # no credential in the backup
    assert not (tmp_path / "b" / "media").exists()
    assert len(s3.keys()) == 1  # the bucket is left as it was


def test_it_is_ready_with_the_bucket_and_answers_503_when_the_endpoint_is_down(settings):
    server = Server()
    try:
        bucket = use_bucket(settings, server.endpoint)
        ready = Client().get("/readyz")
        assert ready.status_code == 200, ready.content
        assert ready.json()["storage"] == {"status": "ok"}
        assert bucket.keys() == []  # the probe file was removed again
        server.stop()
        down = Client().get("/readyz")
    finally:
        server.stop()
    assert down.status_code == 503
    body = down.json()
    assert body["status"] == "error"
    assert body["storage"]["status"] == "error"
    assert body["database"]["status"] == "ok"
    text = down.content.decode()
    assert "127.0.0.1" not in text and bucket.name not in text  # no internals


def test_it_restores_a_local_backup_with_its_files_into_the_bucket(
    tmp_path, units, persona, s3_server
):
    """A district's one server (files on disk) moves into a province's cluster (S3): the
    restore puts every file into the bucket under its own name."""
    import os
    import subprocess
    import sys

    from django.db import connection

    from xiaoan.core.tests.s3 import KEY_ID, REGION, SECRET, client
    from xiaoan.hazards.tests.api_support import hazard_in

    if connection.vendor != "sqlite":
        pytest.skip("the restore into a second database runs on the SQLite test run")
    hazard_in("submitted", persona, units)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    files = json.loads((backup / "manifest.json").read_text())["media"]["files"]
    assert files
    bucket = "xiaoan-restore"
    client(s3_server.endpoint).create_bucket(Bucket=bucket)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cluster.sqlite3'}",
        "XIAOAN_DATA_DIR": str(tmp_path / "cluster"),
        "XIAOAN_HUEY_IMMEDIATE": "1",
        "XIAOAN_S3_BUCKET": bucket,
        "XIAOAN_S3_ENDPOINT_URL": s3_server.endpoint,
        "XIAOAN_S3_REGION": REGION,
        "XIAOAN_S3_ACCESS_KEY_ID": KEY_ID,
        "XIAOAN_S3_SECRET_ACCESS_KEY": SECRET,
        "XIAOAN_S3_PREFIX": PREFIX,
    }
    done = subprocess.run(
        [sys.executable, "-m", "xiaoan", "restore", str(backup)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    s3 = client(s3_server.endpoint)
    for entry in files:
        body = s3.get_object(Bucket=bucket, Key=f"{PREFIX}/{entry['path']}")["Body"].read()
        assert body == (backup / "media" / entry["path"]).read_bytes()
    # Again into another empty database: the same files are already there and are kept.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    again = subprocess.run(
        [sys.executable, "-m", "xiaoan", "restore", str(backup)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    # A file changed in the bucket refuses the restore before anything is written.
    first = files[0]["path"]
    s3.put_object(Bucket=bucket, Key=f"{PREFIX}/{first}", Body=b"changed")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'third.sqlite3'}"
    refused = subprocess.run(
        [sys.executable, "-m", "xiaoan", "restore", str(backup)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "已有同名但内容不同的文件" in refused.stderr + refused.stdout
