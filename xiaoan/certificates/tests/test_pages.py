"""The 持证上岗 pages: every route served to someone and refused to someone, the ID number
masked on every page and in the edit form, the holder chosen among the unit's users."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.certificates.models import Certificate
from xiaoan.certificates.tests.support import ID_A, ID_B, SCHOOL_A, SCHOOL_B, make, sheet
from xiaoan.core.models import RegisterAttachment

pytestmark = pytest.mark.django_db
MASKED_A = ID_A[:6] + "********" + ID_A[-4:]


@pytest.fixture
def cert(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="李师傅", id_number=ID_B)


def url(action, *args):
    return reverse(f"certificates:certificate_{action}", args=args)


def test_it_lists_masked_in_scope(client_for, cert, other, django_assert_max_num_queries):
    client = client_for("school_a_officer")
    client.get(url("list"))
    with django_assert_max_num_queries(25):
        page = client.get(url("list"))
    body = page.content.decode()
    assert page.status_code == 200 and "张师傅" in body and "李师傅" not in body
    assert MASKED_A in body and ID_A not in body
    assert client_for("auditor").get(url("list")).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url("list")).status_code == 403


def test_it_shows_the_record_masked(client_for, cert, other):
    client = client_for("school_a_officer")
    page = client.get(url("detail", cert.pk))
    body = page.content.decode()
    assert page.status_code == 200 and MASKED_A in body and ID_A not in body
    assert "证书到期" in body
    assert client.get(url("detail", other.pk)).status_code == 404
    assert client_for("expert").get(url("detail", cert.pk)).status_code == 403


def test_it_creates_with_a_user_of_the_unit(client_for, persona, units):
    client = client_for("school_a_officer")
    page = client.get(url("add"), {"unit": units[SCHOOL_A].pk})
    owner = persona("school_a_owner")
    assert page.status_code == 200 and owner.name in page.content.decode()
    assert persona("school_b_teacher").name not in page.content.decode()
    form = {
        "unit": units[SCHOOL_A].pk,
        "person": owner.pk,
        "post": "electrician",
        "kind": "electrician",
        "code": "D-9",
        "id_number": "420702198001011230",
    }
    refused = client.post(url("add"), form)
    assert refused.status_code == 400 and "D-9" in refused.content.decode()
    done = client.post(url("add"), {**form, "id_number": ID_A})
    assert done.status_code == 302
    assert Certificate.objects.get(code="D-9").name == owner.name
    assert client_for("auditor").get(url("add")).status_code == 403


def test_it_edits_without_sending_the_number_to_the_browser(client_for, cert, other):
    client = client_for("school_a_officer")
    page = client.get(url("edit", cert.pk))
    assert page.status_code == 200
    assert MASKED_A in page.content.decode() and ID_A not in page.content.decode()
    form = {
        "unit": cert.unit_id,
        "name": "张师傅",
        "id_number": MASKED_A,
        "post": "welder",
        "kind": "welding",
        "code": cert.code,
        "issuer": "改过的",
    }
    assert client.post(url("edit", cert.pk), form).status_code == 302
    cert.refresh_from_db()
    assert cert.id_number == ID_A and cert.issuer == "改过的"
    assert client.get(url("edit", other.pk)).status_code == 404
    assert client_for("auditor").get(url("edit", cert.pk)).status_code == 403


def test_it_retires(client_for, cert, other):
    client = client_for("school_a_officer")
    assert client.get(url("retire", cert.pk)).status_code == 200
    assert client.post(url("retire", cert.pk), {"reason": "离职"}).status_code == 302
    assert client.get(url("retire", other.pk)).status_code == 404
    assert client_for("auditor").get(url("retire", cert.pk)).status_code == 403


def test_it_attaches_a_scan_and_serves_it_in_scope(client_for, cert, other):
    client = client_for("school_a_officer")
    scan = SimpleUploadedFile("证书.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    assert client.post(url("attach", cert.pk), {"kind": "scan", "file": scan}).status_code == 302
    row = RegisterAttachment.objects.get()
    assert client.get(url("attachment", row.pk)).status_code == 200
    assert client_for("district_officer").get(url("attachment", row.pk)).status_code == 200
    assert client_for("uni_head").get(url("attachment", row.pk)).status_code in (403, 404)
    again = SimpleUploadedFile("b.pdf", b"%PDF", content_type="application/pdf")
    assert client.post(url("attach", other.pk), {"kind": "scan", "file": again}).status_code == 404
    assert client_for("auditor").post(url("attach", cert.pk), {"kind": "scan"}).status_code == 403


def test_it_exports_masked_and_serves_the_template(client_for, cert):
    client = client_for("school_a_officer")
    export = client.get(url("export"))
    assert export.status_code == 200
    assert ID_A.encode() not in b"".join(export.streaming_content)
    assert client_for("school_b_teacher").get(url("export")).status_code == 403
    assert client.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403


def test_it_imports_through_the_page(client_for):
    client = client_for("school_a_officer")
    assert client.get(url("import")).status_code == 200
    good = sheet([[SCHOOL_A, "张三", ID_A, "保安", "保安员证", "BA-1", "公安局", "2030-01-01"]])
    done = client.post(url("import"), {"file": SimpleUploadedFile("c.xlsx", good)})
    assert done.status_code == 302 and Certificate.objects.filter(code="BA-1").exists()
    assert client_for("auditor").get(url("import")).status_code == 403
