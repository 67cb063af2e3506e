"""The 值班 roster register's pages and API (xiaoan.core.registers): add, edit, retire,
files, Excel out and in, each served in scope and refused out of it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from xiaoan.core.models import RegisterAttachment
from xiaoan.incidents.models import DutyShift
from xiaoan.incidents.tests.support import SCHOOL_A, SCHOOL_B, shift

pytestmark = pytest.mark.django_db
API = "/api/duty-rosters/"
HEADER = ["所属单位", "值班日期", "开始时间", "结束时间", "值班人员", "联系电话", "带班领导"]


def url(action, *args):
    return reverse(f"incidents:dutyshift_{action}", args=args)


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("值班表.pdf", b"%PDF-1.4 roster", content_type="application/pdf")


def sheet(rows) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def mine(persona, units):
    return shift(persona, units)


@pytest.fixture
def theirs(persona, units):
    return shift(persona, units, SCHOOL_B, name="东沟值班员")


def test_it_adds_edits_and_retires_on_the_pages(client_for, units, mine, theirs):
    client = client_for("school_a_officer")
    assert client.get(url("add")).status_code == 200
    assert client_for("auditor").get(url("add")).status_code == 403
    form = {
        "unit": units[SCHOOL_A].pk,
        "name": "钱老师",
        "phone": "13600000000",
        "duty_date": "2026-10-03",
        "starts_at": "08:00",
        "ends_at": "08:00",
    }
    assert client.post(url("add"), {**form, "phone": ""}).status_code == 400
    assert client.post(url("add"), form).status_code == 302
    assert client.get(url("edit", mine.pk)).status_code == 200
    edited = client.post(url("edit", mine.pk), {**form, "name": "李老师（改）"})
    assert edited.status_code == 302
    assert client.get(url("edit", theirs.pk)).status_code == 404
    assert client.get(url("retire", mine.pk)).status_code == 200
    assert client.get(url("retire", theirs.pk)).status_code == 404
    assert client_for("auditor").get(url("retire", mine.pk)).status_code == 403
    assert client.post(url("retire", mine.pk), {"reason": "调班"}).status_code == 302
    mine.refresh_from_db()
    assert mine.retired_at is not None


def test_it_attaches_and_serves_files_in_scope(client_for, mine, theirs):
    client = client_for("school_a_officer")
    assert client.post(url("attach", mine.pk), {"kind": "roster", "file": pdf()}).status_code == 302
    row = RegisterAttachment.objects.get()
    assert client.get(url("attachment", row.pk)).status_code == 200
    assert client_for("school_b_teacher").get(url("attachment", row.pk)).status_code in (403, 404)
    assert (
        client.post(url("attach", theirs.pk), {"kind": "roster", "file": pdf()}).status_code == 404
    )
    assert client_for("auditor").post(url("attach", mine.pk), {"kind": "roster"}).status_code == 403


def test_it_exports_and_imports_on_the_pages(client_for, mine):
    client = client_for("school_a_officer")
    assert client.get(url("export")).status_code == 200
    assert client_for("expert").get(url("export")).status_code == 403
    assert client.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403
    assert client.get(url("import")).status_code == 200
    assert client_for("auditor").get(url("import")).status_code == 403
    good = sheet([[SCHOOL_A, "2026-10-04", "08:00", "20:00", "孙老师", "13500000000", "张校长"]])
    done = client.post(url("import"), {"file": SimpleUploadedFile("d.xlsx", good)})
    assert done.status_code == 302 and DutyShift.objects.filter(name="孙老师").exists()


def test_it_keeps_the_roster_through_the_api(api_for, mine, theirs):
    client = api_for("school_a_officer")
    assert client.patch(f"{API}{mine.pk}/", {"note": "节前"}, format="json").status_code == 200
    assert client.patch(f"{API}{theirs.pk}/", {"note": "x"}, format="json").status_code == 404
    files = f"{API}{mine.pk}/attachments/"
    added = client.post(files, {"kind": "roster", "file": pdf()}, format="multipart")
    assert added.status_code == 201, added.content
    assert client.get(files).status_code == 200
    row = RegisterAttachment.objects.get()
    assert client.get(f"{files}{row.pk}/").status_code == 200
    assert client.get(f"{API}{theirs.pk}/attachments/").status_code == 404
    assert client.get(f"{API}{theirs.pk}/attachments/{row.pk}/").status_code == 404
    export = client.get(f"{API}export/")
    assert export.status_code == 200
    assert api_for("expert").get(f"{API}export/").status_code == 403
    assert client.get(f"{API}template/").status_code == 200
    assert api_for("auditor").get(f"{API}template/").status_code == 403
    good = sheet([[SCHOOL_A, "2026-10-05", "08:00", "20:00", "吴老师", "13400000000", "张校长"]])
    done = client.post(
        f"{API}import/", {"file": SimpleUploadedFile("d.xlsx", good)}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    refused = api_for("auditor").post(
        f"{API}import/", {"file": SimpleUploadedFile("d.xlsx", good)}, format="multipart"
    )
    assert refused.status_code == 403
    assert client.post(f"{API}{theirs.pk}/retire/", {"reason": "x"}).status_code == 404
    assert client.post(f"{API}{mine.pk}/retire/", {"reason": "调班"}).status_code == 200
    assert client.post(f"{API}{mine.pk}/retire/", {"reason": "再次"}).status_code == 409


def test_it_keeps_the_hours_through_excel_out_and_in(persona, units, mine):
    import datetime as dt

    from openpyxl import load_workbook

    from xiaoan.core import register_sheets
    from xiaoan.incidents.registers import ROSTER

    officer = persona("school_a_officer")
    DutyShift.objects.filter(pk=mine.pk).update(starts_at=dt.time(18, 30), ends_at=dt.time(8, 0))
    out = io.BytesIO()
    response = register_sheets.export_response(ROSTER, DutyShift.objects.filter(pk=mine.pk))
    out.write(b"".join(response.streaming_content) if response.streaming else response.content)
    book = load_workbook(io.BytesIO(out.getvalue()))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == dt.time(18, 30)]
    assert cells and cells[0].number_format == "hh:mm"  # shown 18:30, never 0.77
    # Typed times, Excel's fractions of a day and a cell of nonsense.
    rows = [
        [SCHOOL_A, "2026-10-05", "7:30", "19:00", "钱老师", "13500000001", "张校长"],
        [SCHOOL_A, "2026-10-06", 0.75, 0.3125, "吴老师", "13500000002", "张校长"],
    ]
    result = register_sheets.import_items(ROSTER, officer, sheet(rows))
    assert not result.errors, result.errors
    qian, wu = DutyShift.objects.get(name="钱老师"), DutyShift.objects.get(name="吴老师")
    assert (qian.starts_at, qian.ends_at) == (dt.time(7, 30), dt.time(19, 0))
    assert (wu.starts_at, wu.ends_at) == (dt.time(18, 0), dt.time(7, 30))
    bad = [[SCHOOL_A, "2026-10-07", "25:99", "20:00", "郑老师", "13500000003", "张校长"]]
    result = register_sheets.import_items(ROSTER, officer, sheet(bad))
    assert result.errors and "不是时间" in str(result.errors)
    assert not DutyShift.objects.filter(name="郑老师").exists()
