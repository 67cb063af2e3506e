"""The catalogue and the storages as registers (xiaoan.chemicals.registers): Excel import
with good and bad sheets (a wrong row writes nothing, re-import updates), export and
template, the API of both, files, a storage as the subject of a hazard or an inspection,
and every register route served to someone and refused to someone."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xiaoan.chemicals.models import Chemical, Storage
from xiaoan.chemicals.registers import CHEMICALS, STORAGES
from xiaoan.chemicals.tests.support import SCHOOL_A, SCHOOL_B
from xiaoan.core import registers
from xiaoan.core.errors import Invalid
from xiaoan.core.models import RegisterAttachment
from xiaoan.core.register_sheets import import_items
from xiaoan.hazards import services as hazard_services

pytestmark = pytest.mark.django_db

CHEMICAL_HEADER = ["所属单位", "名称", "规格", "CAS号", "计量单位", "易燃", "剧毒", "易制爆"]
STORAGE_HEADER = ["所属单位", "名称", "类型", "保管人（钥匙一）", "保管人（钥匙二）", "备注"]


def sheet(header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "表.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def url(name, *args):
    return reverse(f"chemicals:{name}", args=args)


# ---------------------------------------------------------------- catalogue import


def test_it_imports_the_catalogue_with_class_flags_and_updates_on_reimport(persona, units):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, "无水乙醇", "500mL/瓶", "64-17-5", "瓶", "是", "否", "否"],
        [SCHOOL_A, "无水乙醇", "2.5L/桶", "64-17-5", "瓶", "是", "", ""],  # another spec
        [SCHOOL_A, "高锰酸钾", "500g", "", "瓶", "否", "否", "是"],
    ]
    result = import_items(CHEMICALS, officer, sheet(CHEMICAL_HEADER, rows))
    assert result.ok and result.created == 3, result.errors
    permanganate = Chemical.objects.get(name="高锰酸钾")
    assert permanganate.controlled and permanganate.is_explosive_precursor
    # The same sheet again changes nothing; a changed flag updates the same entry.
    again = import_items(CHEMICALS, officer, sheet(CHEMICAL_HEADER, rows))
    assert again.ok and again.unchanged == 3 and again.created == 0
    rows[2][6] = "是"
    changed = import_items(CHEMICALS, officer, sheet(CHEMICAL_HEADER, rows))
    assert changed.updated == 1 and Chemical.objects.count() == 3
    permanganate.refresh_from_db()
    assert permanganate.is_toxic


def test_it_matches_a_catalogue_row_by_code(persona, units):
    officer = persona("school_a_officer")
    header = ["名称", "规格", "编号", "剧毒"]
    first = import_items(
        CHEMICALS, officer, sheet(header, [["氰化钾", "100g", "JD-01", "是"]]), default_unit=None
    )
    assert not first.ok  # no unit column and no unit chosen: said per row
    assert first.errors[0].column == "所属单位"
    done = import_items(
        CHEMICALS,
        officer,
        sheet(header, [["氰化钾", "100g", "JD-01", "是"]]),
        default_unit=units[SCHOOL_A],
    )
    assert done.created == 1
    renamed = import_items(
        CHEMICALS,
        officer,
        sheet(header, [["固体氰化钾", "100g", "JD-01", "是"]]),
        default_unit=units[SCHOOL_A],
    )
    assert renamed.updated == 1
    assert Chemical.objects.get(code="JD-01").name == "固体氰化钾"


def test_a_wrong_catalogue_row_writes_nothing(persona, units):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, "丙酮", "500mL", "", "瓶", "是", "否", "否"],
        [SCHOOL_A, "乙醚", "500mL", "", "桶", "也许", "否", "否"],  # not a unit, not 是/否
        [SCHOOL_B, "硫磺", "500g", "", "瓶", "是", "否", "否"],  # not the officer's school
        [SCHOOL_A, "丙酮", "500mL", "", "瓶", "是", "否", "否"],  # twice in the sheet
    ]
    result = import_items(CHEMICALS, officer, sheet(CHEMICAL_HEADER, rows))
    assert not result.ok and not Chemical.objects.exists()
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "计量单位") in by_row and (3, "易燃") in by_row
    assert (4, "所属单位") in by_row and (5, "规格") in by_row  # name and spec twice


# ---------------------------------------------------------------- storage import


def test_it_imports_storages_with_keyholders_by_name_or_username(persona, units):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, "化学危化品专室", "专室", "李安办", "school_a_head", ""],
        [SCHOOL_A, "生物实验室专柜", "专柜", "school_a_officer", "王校长", "二楼"],
    ]
    result = import_items(STORAGES, officer, sheet(STORAGE_HEADER, rows))
    assert result.ok and result.created == 2, result.errors
    room = Storage.objects.get(name="化学危化品专室")
    assert room.kind == "room"
    assert (room.keeper_one.username, room.keeper_two.username) == (
        "school_a_officer",
        "school_a_head",
    )
    # Re-import by name: the keyholders swapped is an update, not a second storage.
    rows[0][3], rows[0][4] = "王校长", "李安办"
    again = import_items(STORAGES, officer, sheet(STORAGE_HEADER, rows))
    assert again.updated == 1 and again.unchanged == 1 and Storage.objects.count() == 2
    room.refresh_from_db()
    assert room.keeper_one.username == "school_a_head"


def test_a_wrong_storage_row_writes_nothing(persona, units):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, "专柜一", "专柜", "李安办", "王校长", ""],
        [SCHOOL_A, "专柜二", "专柜", "李安办", "李安办", ""],  # one person, both keys
        [SCHOOL_A, "专柜三", "专柜", "李安办", "张老师", ""],  # School B's teacher
        [SCHOOL_A, "专柜四", "专柜", "李安办", "无此人", ""],
        [SCHOOL_A, "专柜五", "柜子", "李安办", "王校长", ""],
    ]
    result = import_items(STORAGES, officer, sheet(STORAGE_HEADER, rows))
    assert not result.ok and not Storage.objects.exists()
    by_row = {e.row: e for e in result.errors}
    assert "双人双锁" in by_row[3].message
    assert by_row[4].column == "保管人（钥匙二）" and by_row[5].column == "保管人（钥匙二）"
    assert by_row[6].column == "类型"
    assert 2 not in by_row


def test_it_exports_what_it_imports(client_for, persona, units):
    officer = persona("school_a_officer")
    rows = [[SCHOOL_A, "化学危化品专室", "专室", "李安办", "王校长", "一楼"]]
    assert import_items(STORAGES, officer, sheet(STORAGE_HEADER, rows)).ok
    response = client_for("auditor").get(url("storage_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [c for row in book.iter_rows(values_only=True) for c in row if c]
    assert "化学危化品专室" in values and "李安办" in values and "王校长" in values
    # The exported sheet imports back unchanged.
    response = client_for("auditor").get(url("storage_export"))
    exported = b"".join(response.streaming_content)
    back = import_items(STORAGES, officer, exported)
    assert back.ok and back.unchanged == 1, back.errors


# ---------------------------------------------------------------- pages of the registers


@pytest.fixture
def cabinet(persona, units):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    return registers.create(
        STORAGES,
        officer,
        {
            "unit": units[SCHOOL_A],
            "name": "化学实验室专柜",
            "kind": "cabinet",
            "keeper_one": officer,
            "keeper_two": head,
        },
    )


@pytest.fixture
def acid(persona, units):
    return registers.create(
        CHEMICALS,
        persona("school_a_officer"),
        {"unit": units[SCHOOL_A], "name": "浓硫酸", "spec": "500mL"},
    )


# (route, record fixture or None, who is served, who is refused, how)
REGISTER_PAGES = [
    ("chemical_export", None, "auditor", "school_b_teacher", 403),
    ("chemical_template", None, "school_a_officer", "auditor", 403),
    ("chemical_import", None, "school_a_officer", "auditor", 403),
    ("storage_export", None, "district_supervisor", "school_b_teacher", 403),
    ("storage_template", None, "school_a_head", "auditor", 403),
    ("storage_import", None, "school_a_head", "district_supervisor", 403),
    ("storage_retire", "cabinet", "school_a_officer", "auditor", 403),
]


@pytest.mark.parametrize(("name", "record", "served", "refused", "code"), REGISTER_PAGES)
def test_it_serves_and_refuses_the_register_pages(
    request, client_for, name, record, served, refused, code
):
    args = (request.getfixturevalue(record).pk,) if record else ()
    assert client_for(served).get(url(name, *args)).status_code == 200
    assert client_for(refused).get(url(name, *args)).status_code == code


def test_it_imports_through_the_page(client_for, units):
    client = client_for("school_a_officer")
    rows = [[SCHOOL_A, "无水乙醇", "500mL", "", "瓶", "是", "否", "否"]]
    done = client.post(url("chemical_import"), {"file": upload(sheet(CHEMICAL_HEADER, rows))})
    assert done.status_code == 302 and Chemical.objects.filter(name="无水乙醇").exists()
    bad = [[SCHOOL_A, "丙酮", "500mL", "", "吨", "是", "否", "否"]]
    refused = client.post(url("chemical_import"), {"file": upload(sheet(CHEMICAL_HEADER, bad))})
    assert refused.status_code == 400 and "计量单位" in refused.content.decode()
    assert not Chemical.objects.filter(name="丙酮").exists()


def test_it_keeps_msds_files_of_a_chemical(client_for, acid):
    client = client_for("school_a_officer")
    pdf = SimpleUploadedFile("硫酸MSDS.pdf", b"%PDF-1.4 msds", content_type="application/pdf")
    attach = url("chemical_attach", acid.pk)
    assert client_for("auditor").post(attach, {"kind": "msds", "file": pdf}).status_code == 403
    pdf.seek(0)
    assert client.post(attach, {"kind": "msds", "file": pdf}).status_code == 302
    row = RegisterAttachment.objects.get()
    download = url("chemical_attachment", row.pk)
    assert client_for("auditor").get(download).status_code == 200
    assert client_for("uni_security").get(download).status_code == 404
    # A chemical's file is not a storage's.
    assert client_for("auditor").get(url("storage_attachment", row.pk)).status_code == 404


def test_it_keeps_photos_of_a_storage(client_for, cabinet):
    client = client_for("school_a_head")
    photo = SimpleUploadedFile("柜.jpg", b"\xff\xd8\xff jpeg", content_type="image/jpeg")
    attach = url("storage_attach", cabinet.pk)
    assert client_for("uni_security").post(attach, {"kind": "photo"}).status_code == 404
    assert client.post(attach, {"kind": "photo", "file": photo}).status_code == 302
    row = RegisterAttachment.objects.get()
    assert client_for("auditor").get(url("storage_attachment", row.pk)).status_code == 200


# ---------------------------------------------------------------- a storage as a subject


def test_a_hazard_and_an_inspection_can_name_a_storage(client_for, persona, units, cabinet):
    token = registers.subject_token(cabinet)
    assert token == f"chemical-storages:{cabinet.pk}"
    hazard = hazard_services.report(
        persona("school_a_officer"), units[SCHOOL_A], description="专柜门锁损坏", subject=token
    )
    assert hazard.subject == cabinet
    page = client_for("school_a_officer").get(url("storage_detail", cabinet.pk)).content.decode()
    assert hazard.number in page and f"subject=chemical-storages%3A{cabinet.pk}" in page
    with pytest.raises(Invalid):  # not of School B
        hazard_services.report(
            persona("district_officer"), units[SCHOOL_B], description="x", subject=token
        )
    registers.retire(STORAGES, persona("school_a_head"), cabinet.pk, reason="实验室改造")
    with pytest.raises(Invalid):
        hazard_services.report(
            persona("school_a_officer"), units[SCHOOL_A], description="x", subject=token
        )


# ---------------------------------------------------------------- API

STORAGES_API = "/api/chemical-storages/"


def test_the_storage_api_serves_and_refuses(api_for, persona, units, cabinet):
    officer = api_for("school_a_officer")
    body = officer.get(STORAGES_API).json()
    assert [r["name"] for r in body["results"]] == ["化学实验室专柜"]
    assert body["results"][0]["subject"] == f"chemical-storages:{cabinet.pk}"
    assert body["results"][0]["keeper_two_name"] == "王校长"
    assert api_for("school_b_teacher").get(STORAGES_API).status_code == 403
    assert api_for("uni_security").get(f"{STORAGES_API}{cabinet.pk}/").status_code == 404
    assert api_for("auditor").get(f"{STORAGES_API}{cabinet.pk}/").status_code == 200
    new = {
        "unit": units[SCHOOL_A].pk,
        "name": "生物专柜",
        "kind": "cabinet",
        "keeper_one": persona("school_a_officer").pk,
        "keeper_two": persona("school_a_officer").pk,
    }
    same = officer.post(STORAGES_API, new, format="json")
    assert same.status_code == 400 and "keeper_two" in same.json()["error"]["fields"]
    made = officer.post(
        STORAGES_API, {**new, "keeper_two": persona("school_a_head").pk}, format="json"
    )
    assert made.status_code == 201
    assert api_for("auditor").post(STORAGES_API, new, format="json").status_code == 403
    pk = made.json()["id"]
    edit = officer.patch(f"{STORAGES_API}{pk}/", {"kind": "room"}, format="json")
    assert edit.status_code == 200 and edit.json()["kind"] == "room"
    refused = api_for("uni_security").patch(f"{STORAGES_API}{pk}/", {"kind": "room"})
    assert refused.status_code == 404
    retire = f"{STORAGES_API}{pk}/retire/"
    assert api_for("auditor").post(retire, {"reason": "合并"}, format="json").status_code == 403
    done = officer.post(retire, {"reason": "合并"}, format="json")
    assert done.status_code == 200 and done.json()["retired_at"]
    assert officer.post(retire, {"reason": "合并"}, format="json").status_code == 409


def test_the_registers_api_imports_exports_and_gives_templates(api_for, units):
    officer = api_for("school_a_officer")
    for base in ("/api/chemicals/", STORAGES_API):
        assert officer.get(f"{base}template/").status_code == 200
        assert api_for("auditor").get(f"{base}template/").status_code == 403
        assert api_for("auditor").get(f"{base}export/").status_code == 200
        assert api_for("school_b_teacher").get(f"{base}export/").status_code == 403
    rows = [[SCHOOL_A, "专柜一", "专柜", "李安办", "王校长", ""]]
    unentitled = api_for("auditor").post(
        f"{STORAGES_API}import/", {"file": upload(sheet(STORAGE_HEADER, rows))}, format="multipart"
    )
    assert unentitled.status_code == 403
    done = officer.post(
        f"{STORAGES_API}import/", {"file": upload(sheet(STORAGE_HEADER, rows))}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = [[SCHOOL_A, "专柜二", "专柜", "李安办", "无此人", ""]]
    refused = officer.post(
        f"{STORAGES_API}import/", {"file": upload(sheet(STORAGE_HEADER, bad))}, format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["result"]["errors"][0]["row"] == 2
    chemicals = [[SCHOOL_A, "丙酮", "500mL", "", "瓶", "是", "否", "否"]]
    assert (
        api_for("auditor")
        .post(
            "/api/chemicals/import/",
            {"file": upload(sheet(CHEMICAL_HEADER, chemicals))},
            format="multipart",
        )
        .status_code
        == 403
    )
    made = officer.post(
        "/api/chemicals/import/",
        {"file": upload(sheet(CHEMICAL_HEADER, chemicals))},
        format="multipart",
    )
    assert made.status_code == 200 and made.json()["created"] == 1


def test_the_storage_form_offers_the_units_staff_as_keyholders(client_for, persona, units):
    # No unit asked: one's own school, its staff offered; another unit reloads the page.
    page = client_for("school_a_officer").get(url("storage_add")).content.decode()
    assert 'data-reload-param="unit"' in page
    assert "王校长" in page and "张老师" not in page
    district = client_for("district_officer").get(url("storage_add"), {"unit": units[SCHOOL_B].pk})
    body = district.content.decode()
    assert "张老师" in body and "王校长" not in body
    # Asked for a unit outside the scope: nobody is offered.
    outside = client_for("school_a_officer").get(url("storage_add"), {"unit": units[SCHOOL_B].pk})
    assert "张老师" not in outside.content.decode()
