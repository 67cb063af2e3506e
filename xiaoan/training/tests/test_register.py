"""The sessions as a register: the form's pages, materials (attachments), the ledger's
Excel template, import and export, retiring — each served and refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xiaoan.core.models import RegisterAttachment
from xiaoan.training.models import TrainingSession
from xiaoan.training.tests.support import SCHOOL_A, SCHOOL_B, make_session, sheet

pytestmark = pytest.mark.django_db
API = "/api/trainings/"


def url(name: str, *args) -> str:
    return reverse(f"training:trainingsession_{name}", args=args)


def ledger(rows) -> SimpleUploadedFile:
    header = ("组织单位", "培训主题", "领域", "培训日期", "授课人", "学时")
    return SimpleUploadedFile("培训台账.xlsx", sheet(rows, header=header))


def cells(response) -> list:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]


@pytest.fixture
def session(persona, units):
    return make_session(persona("school_a_officer"), units[SCHOOL_A])


def test_it_edits_and_retires_a_session_on_its_pages(client_for, session):
    officer = client_for("school_a_officer")
    assert officer.get(url("edit", session.pk)).status_code == 200
    assert client_for("school_b_teacher").get(url("add")).status_code == 403
    assert client_for("auditor").get(url("add")).status_code == 403
    data = {
        "unit": session.unit_id,
        "name": "消防安全知识培训（修订）",
        "domain": "fire",
        "held_on": str(session.held_on),
        "trainer": session.trainer,
        "hours": "3",
    }
    assert officer.post(url("edit", session.pk), data).status_code == 302
    session.refresh_from_db()
    assert session.name.endswith("（修订）") and session.hours == 3
    assert officer.get(url("retire", session.pk)).status_code == 200
    assert officer.post(url("retire", session.pk), {"reason": "重复登记"}).status_code == 302
    assert TrainingSession.objects.get(pk=session.pk).is_retired


def test_it_keeps_materials_as_attachments(client_for, session):
    officer = client_for("school_a_officer")
    upload = SimpleUploadedFile("课件.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    refused = client_for("auditor").post(
        url("attach", session.pk), {"kind": "material", "file": upload}
    )
    assert refused.status_code == 403
    upload.seek(0)
    assert (
        officer.post(url("attach", session.pk), {"kind": "material", "file": upload}).status_code
        == 302
    )
    file = RegisterAttachment.objects.get(object_id=session.pk, kind="material")
    assert officer.get(url("attachment", file.pk)).status_code == 200
    assert client_for("uni_security").get(url("attachment", file.pk)).status_code == 404


def test_it_exports_and_imports_the_ledger_on_pages(client_for, units, session):
    officer = client_for("school_a_officer")
    export = officer.get(url("export"))
    assert export.status_code == 200 and session.name in cells(export)
    assert client_for("school_b_teacher").get(url("export")).status_code == 403
    assert officer.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403
    assert officer.get(url("import")).status_code == 200
    assert client_for("auditor").get(url("import")).status_code == 403
    rows = [
        [SCHOOL_A, "防溺水专题培训", "防溺水", "2026-05-20", "李安办", 1],
        [SCHOOL_A, "食品安全培训", "食品安全", "2026-06-01", "市场监管所", 2],
    ]
    response = officer.post(url("import"), {"file": ledger(rows)})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(
        TrainingSession.objects.filter(unit=units[SCHOOL_A]).values_list("name", flat=True)
    ) >= {"防溺水专题培训", "食品安全培训"}
    outside = officer.post(
        url("import"), {"file": ledger([[SCHOOL_B, "x", "消防", "2026-05-20", "y", 1]])}
    )
    assert outside.status_code == 400
    assert not TrainingSession.objects.filter(name="x").exists()


def test_it_exports_and_imports_the_ledger_through_the_api(api_for, session):
    client = api_for("school_a_officer")
    export = client.get(f"{API}export/")
    assert export.status_code == 200 and session.name in cells(export)
    assert api_for("school_b_teacher").get(f"{API}export/").status_code == 403
    assert client.get(f"{API}template/").status_code == 200
    assert api_for("auditor").get(f"{API}template/").status_code == 403
    rows = [[SCHOOL_A, "交通安全培训", "校车/交通", "2026-09-01", "交警大队", 1]]
    done = client.post(f"{API}import/", {"file": ledger(rows)}, format="multipart")
    assert done.status_code == 200 and done.json()["created"] == 1
    assert (
        api_for("auditor")
        .post(f"{API}import/", {"file": ledger(rows)}, format="multipart")
        .status_code
        == 403
    )
