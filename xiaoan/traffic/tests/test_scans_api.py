"""The signed agreements' scans through the API (every register's `{id}/attachments/`): a
class's scan uploaded, listed and fetched in scope; every refusal structured and nothing kept;
another item's or another school's file never reachable."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.core.models import RegisterAttachment
from xiaoan.traffic.tests.support import SCHOOL_A, SCHOOL_B, make

pytestmark = pytest.mark.django_db
URL = "/api/traffic-agreements/"


def scan(name: str = "高一1班责任书.pdf", body: bytes = b"%PDF-1.4 signed") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def mine(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def theirs(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="三(2)班", grade="三年级")


def test_it_uploads_lists_and_serves_a_scan(api_for, mine):
    client = api_for("school_a_officer")
    posted = client.post(
        f"{URL}{mine.pk}/attachments/", {"kind": "signed", "file": scan()}, format="multipart"
    )
    assert posted.status_code == 201, posted.json()
    row = posted.json()
    assert row["kind_label"] == "签字责任书扫描件" and row["name"] == "高一1班责任书.pdf"
    assert row["url"] == f"{URL}{mine.pk}/attachments/{row['id']}/"
    listed = client.get(f"{URL}{mine.pk}/attachments/").json()
    assert [r["id"] for r in listed] == [row["id"]]
    got = client.get(row["url"])
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 signed"
    assert api_for("district_officer").get(row["url"]).status_code == 200  # the bureau sees it


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "nonsense", "file": "scan"}, "kind"),
        ({"kind": "signed"}, "file"),
        ({"kind": "signed", "file": "exe"}, "file"),
        ({"kind": "signed", "file": "empty"}, "file"),
    ],
)
def test_it_refuses_bad_uploads_with_the_field(api_for, mine, body, field):
    files = {
        "scan": scan(),
        "exe": scan("run.exe", b"MZ"),
        "empty": scan("empty.pdf", b""),
    }
    if "file" in body:
        body = {**body, "file": files[body["file"]]}
    response = api_for("school_a_officer").post(
        f"{URL}{mine.pk}/attachments/", body, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not RegisterAttachment.objects.exists()


def test_it_keeps_other_schools_and_items_apart(api_for, persona, mine, theirs):
    district = api_for("district_officer")
    other = district.post(
        f"{URL}{theirs.pk}/attachments/", {"kind": "signed", "file": scan()}, format="multipart"
    ).json()
    client = api_for("school_a_officer")
    # Another school's item: not found, whether listing, uploading or fetching.
    assert client.get(f"{URL}{theirs.pk}/attachments/").status_code == 404
    upload = {"kind": "signed", "file": scan()}
    assert (
        client.post(f"{URL}{theirs.pk}/attachments/", upload, format="multipart").status_code == 404
    )
    assert client.get(f"{URL}{theirs.pk}/attachments/{other['id']}/").status_code == 404
    # Its file through my own item's address: not found either.
    assert client.get(f"{URL}{mine.pk}/attachments/{other['id']}/").status_code == 404
    assert client.get(f"{URL}{mine.pk}/attachments/{2**62}/").status_code == 404
    assert client.get(f"{URL}{mine.pk}/attachments/x/").status_code == 404
    assert client.get(f"{URL}{2**70}/attachments/").status_code == 400  # no such id
    # Those who may see but not change: 403 for an upload; those who may not see: 403.
    auditor = api_for("auditor")
    assert auditor.get(f"{URL}{mine.pk}/attachments/").status_code == 200
    assert (
        auditor.post(
            f"{URL}{mine.pk}/attachments/", {"kind": "signed", "file": scan()}, format="multipart"
        ).status_code
        == 403
    )
    assert api_for("expert").get(f"{URL}{mine.pk}/attachments/").status_code == 403
    assert RegisterAttachment.objects.count() == 1


def test_it_refuses_an_upload_to_a_retired_item(api_for, mine):
    client = api_for("school_a_officer")
    client.post(f"{URL}{mine.pk}/retire/", {"reason": "学期结束"}, format="json")
    response = client.post(
        f"{URL}{mine.pk}/attachments/", {"kind": "signed", "file": scan()}, format="multipart"
    )
    assert response.status_code == 409
    assert not RegisterAttachment.objects.exists()


def test_it_publishes_the_schema(api_for):
    paths = api_for("district_officer").get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"get", "post"} <= set(paths["/api/traffic-agreements/{id}/attachments/"])
    assert "get" in paths["/api/traffic-agreements/{id}/attachments/{attachment}/"]
