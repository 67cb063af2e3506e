"""The register's pages through buildings: every route served to someone and refused to
someone (route coverage), out-of-scope ids 404, forms keep what was typed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.buildings.models import BuildingFile
from xiaoan.buildings.tests.support import SCHOOL_A, SCHOOL_B, make, sheet
from xiaoan.core.models import RegisterAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="东沟教学楼")


def test_it_lists_only_what_the_person_sees(client_for, building, other):
    url = reverse("buildings:buildingfile_list")
    page = client_for("school_a_officer").get(url)
    assert page.status_code == 200
    assert "1号教学楼" in page.content.decode() and "东沟教学楼" not in page.content.decode()
    district = client_for("district_officer").get(url).content.decode()
    assert "1号教学楼" in district and "东沟教学楼" in district
    assert client_for("auditor").get(url).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url).status_code == 403


def test_it_lists_without_a_query_per_row(
    client_for, persona, units, django_assert_max_num_queries
):
    officer = persona("district_officer")
    for n in range(12):
        make(officer, units[SCHOOL_A], name=f"楼{n}", code=f"C{n}")
    client = client_for("district_officer")
    client.get(reverse("buildings:buildingfile_list"))  # warm the session and grants
    with django_assert_max_num_queries(20):
        page = client.get(reverse("buildings:buildingfile_list"))
    assert page.content.decode().count("楼1") >= 1


def test_it_searches_filters_and_hides_retired(client_for, persona, building, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A], name="学生宿舍", code="SS", use="dormitory")
    client = client_for("school_a_officer")
    url = reverse("buildings:buildingfile_list")
    assert "学生宿舍" not in client.get(url, {"q": "教学"}).content.decode()
    assert "1号教学楼" not in client.get(url, {"use": "dormitory"}).content.decode()
    client.post(reverse("buildings:buildingfile_retire", args=[building.pk]), {"reason": "拆除"})
    assert "1号教学楼" not in client.get(url).content.decode()
    assert "1号教学楼" in client.get(url, {"retired": "with"}).content.decode()
    assert "学生宿舍" not in client.get(url, {"retired": "only"}).content.decode()


def test_it_shows_the_record_with_history_and_buttons(client_for, building, other):
    client = client_for("school_a_officer")
    page = client.get(reverse("buildings:buildingfile_detail", args=[building.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "变更记录" in body and "报告隐患" in body and "检查" in body
    assert f"subject=buildings%3A{building.pk}" in body
    assert client.get(reverse("buildings:buildingfile_detail", args=[other.pk])).status_code == 404
    assert (
        client_for("expert")
        .get(reverse("buildings:buildingfile_detail", args=[building.pk]))
        .status_code
        == 403
    )
    auditor = client_for("auditor").get(
        reverse("buildings:buildingfile_detail", args=[building.pk])
    )
    assert auditor.status_code == 200 and "编辑" not in auditor.content.decode()


def test_it_creates_through_the_page_and_keeps_the_typed_values(client_for, units):
    client = client_for("school_a_officer")
    url = reverse("buildings:buildingfile_add")
    assert client.get(url).status_code == 200
    form = {"unit": units[SCHOOL_A].pk, "name": "科技楼", "use": "lab", "floors_above": "0"}
    refused = client.post(url, form)
    assert refused.status_code == 400 and "科技楼" in refused.content.decode()
    form["floors_above"] = "4"
    done = client.post(url, form)
    building = BuildingFile.objects.get(name="科技楼")
    assert done.status_code == 302 and done["Location"].endswith(f"/{building.pk}/")
    assert client_for("auditor").get(url).status_code == 403
    # A unit outside the scope is not among the choices.
    form["unit"] = units[SCHOOL_B].pk
    assert client.post(url, {**form, "name": "别校楼"}).status_code == 400


def test_it_edits_and_refuses_others(client_for, building, other):
    client = client_for("school_a_officer")
    url = reverse("buildings:buildingfile_edit", args=[building.pk])
    assert client.get(url).status_code == 200
    form = {"unit": building.unit_id, "name": "一号教学楼", "use": "teaching", "floors_above": 5}
    assert client.post(url, form).status_code == 302
    building.refresh_from_db()
    assert building.name == "一号教学楼"
    assert client.get(reverse("buildings:buildingfile_edit", args=[other.pk])).status_code == 404
    assert client_for("auditor").get(url).status_code == 403


def test_it_retires_with_a_reason(client_for, building, other):
    client = client_for("school_a_officer")
    url = reverse("buildings:buildingfile_retire", args=[building.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "已拆除"}).status_code == 302
    building.refresh_from_db()
    assert building.retired_at is not None
    assert client.get(reverse("buildings:buildingfile_edit", args=[building.pk])).status_code == 404
    assert (
        client.post(
            reverse("buildings:buildingfile_retire", args=[other.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert client_for("auditor").post(url, {"reason": "拆除"}).status_code == 403


def test_it_attaches_and_serves_files_only_in_scope(client_for, building):
    client = client_for("school_a_officer")
    upload = SimpleUploadedFile("鉴定报告.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    url = reverse("buildings:buildingfile_attach", args=[building.pk])
    assert client.post(url, {"kind": "appraisal", "file": upload}).status_code == 302
    row = RegisterAttachment.objects.get()
    assert row.name == "鉴定报告.pdf"
    file_url = reverse("buildings:buildingfile_attachment", args=[row.pk])
    served = client.get(file_url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"%PDF-1.4 demo"
    assert client_for("auditor").get(file_url).status_code == 200
    assert client_for("expert").get(file_url).status_code == 403
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    client.post(url, {"kind": "appraisal", "file": bad})
    assert RegisterAttachment.objects.count() == 1
    assert client_for("auditor").post(url, {"kind": "photo", "file": upload}).status_code == 403


def test_it_hides_files_of_other_schools(client_for, persona, other):
    client = client_for("district_officer")
    upload = SimpleUploadedFile("图纸.pdf", b"%PDF drawing", content_type="application/pdf")
    client.post(
        reverse("buildings:buildingfile_attach", args=[other.pk]),
        {"kind": "drawing", "file": upload},
    )
    row = RegisterAttachment.objects.get()
    file_url = reverse("buildings:buildingfile_attachment", args=[row.pk])
    assert client_for("school_a_officer").get(file_url).status_code == 404


def test_it_exports_the_filtered_list(client_for, persona, building, other, units):
    import io

    from openpyxl import load_workbook

    make(persona("school_a_officer"), units[SCHOOL_A], name="食堂", code="ST", use="canteen")
    client = client_for("school_a_officer")
    response = client.get(reverse("buildings:buildingfile_export"), {"use": "canteen"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "食堂" in values and "1号教学楼" not in values and "东沟教学楼" not in values
    assert client_for("expert").get(reverse("buildings:buildingfile_export")).status_code == 403


def test_it_offers_the_template_to_those_who_may_import(client_for):
    url = reverse("buildings:buildingfile_template")
    response = client_for("school_a_officer").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for("auditor").get(url).status_code == 403


def test_it_imports_through_the_page(client_for, units):
    client = client_for("school_a_officer")
    url = reverse("buildings:buildingfile_import")
    assert client.get(url).status_code == 200
    good = SimpleUploadedFile("b.xlsx", sheet([[SCHOOL_A, "图书馆", "TS", "图书馆", 3, 12]]))
    assert client.post(url, {"file": good}).status_code == 302
    assert BuildingFile.objects.filter(name="图书馆").exists()
    bad = SimpleUploadedFile("b.xlsx", sheet([[SCHOOL_A, "实验楼", "SY", "城堡", 3, 12]]))
    page = client.post(url, {"file": bad})
    assert page.status_code == 400 and "不是可选值" in page.content.decode()
    assert client_for("auditor").get(url).status_code == 403


def test_it_shows_the_registers_index_to_those_who_see_one(client_for, building):
    url = reverse("core:registers")
    page = client_for("school_a_officer").get(url)
    assert page.status_code == 200 and "一楼一档" in page.content.decode()
    assert client_for("school_b_teacher").get(url).status_code == 403
    home = client_for("school_a_officer").get(reverse("core:home")).content.decode()
    assert 'href="/registers/"' in home
    assert 'href="/registers/"' not in client_for("school_b_teacher").get("/").content.decode()
