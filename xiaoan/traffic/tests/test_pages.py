"""家校交通安全责任书's pages: every route served to someone and refused to someone; the
signed scans are the item's attachments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.core.models import RegisterAttachment
from xiaoan.traffic.models import TrafficAgreement
from xiaoan.traffic.tests.support import SCHOOL_A, SCHOOL_B, current, make, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="一年级(1)班")


def url(action, *args):
    return reverse(f"traffic_agreements:trafficagreement_{action}", args=args)


def test_it_lists_and_shows_in_scope(client_for, item, other, django_assert_max_num_queries):
    client = client_for("school_a_officer")
    client.get(url("list"))
    with django_assert_max_num_queries(25):
        page = client.get(url("list"))
    body = page.content.decode()
    assert page.status_code == 200 and "高一(1)班" in body and "一年级(1)班" not in body
    assert client_for("auditor").get(url("list")).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url("list")).status_code == 403
    detail = client.get(url("detail", item.pk)).content.decode()
    assert "责任书回收截止" in detail and "90" in detail
    assert client.get(url("detail", other.pk)).status_code == 404
    assert client_for("expert").get(url("detail", item.pk)).status_code == 403


def test_it_adds_and_edits(client_for, units, item):
    client = client_for("school_a_officer")
    assert client.get(url("add")).status_code == 200
    form = {
        "unit": units[SCHOOL_A].pk,
        "semester": current(),
        "name": "高三(1)班",
        "pupils": 45,
        "returned": 44,
    }
    refused = client.post(url("add"), {**form, "returned": 46})
    assert refused.status_code == 400 and "已回收份数不能多于" in refused.content.decode()
    assert client.post(url("add"), form).status_code == 302
    assert TrafficAgreement.objects.get(name="高三(1)班").share == 97
    assert client_for("auditor").get(url("add")).status_code == 403
    assert client.get(url("edit", item.pk)).status_code == 200
    edit = {**form, "name": item.name, "pupils": 50, "returned": 50}
    assert client.post(url("edit", item.pk), edit).status_code == 302
    item.refresh_from_db()
    assert item.share == 100
    assert client_for("auditor").get(url("edit", item.pk)).status_code == 403


def test_it_keeps_signed_scans_retires_and_serves_sheets(client_for, item, other):
    client = client_for("school_a_officer")
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert client.post(url("attach", item.pk), {"kind": "signed", "file": scan}).status_code == 302
    row = RegisterAttachment.objects.get()
    assert row.kind == "signed"
    assert client.get(url("attachment", row.pk)).status_code == 200
    assert client_for("school_b_teacher").get(url("attachment", row.pk)).status_code == 403
    assert client_for("auditor").post(url("attach", item.pk), {"kind": "signed"}).status_code == 403
    assert client.get(url("export")).status_code == 200
    assert client_for("school_b_teacher").get(url("export")).status_code == 403
    assert client.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403
    assert client.get(url("import")).status_code == 200
    good = sheet([[SCHOOL_A, current(), "高二", "高二(5)班", 40, 40]])
    done = client.post(url("import"), {"file": SimpleUploadedFile("t.xlsx", good)})
    assert done.status_code == 302 and TrafficAgreement.objects.filter(name="高二(5)班").exists()
    assert client_for("auditor").get(url("import")).status_code == 403
    assert client.get(url("retire", item.pk)).status_code == 200
    assert client.post(url("retire", item.pk), {"reason": "班级合并"}).status_code == 302
    assert client.post(url("retire", other.pk), {"reason": "班级合并"}).status_code == 404
    assert client_for("auditor").get(url("retire", item.pk)).status_code == 403
