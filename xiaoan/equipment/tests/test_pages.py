"""一台一档's pages: every route served to someone and refused to someone (route coverage),
out-of-scope ids 404, forms keep what was typed, operators chosen among the school's
certificates and shown with their validity."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.core.models import RegisterAttachment
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.tests.support import (
    SCHOOL_A,
    SCHOOL_B,
    certificate,
    days,
    make,
    sheet,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(persona, units):
    zhang = certificate(units[SCHOOL_A], "T2024001", name="张三")
    return make(persona("school_a_officer"), units[SCHOOL_A], operators=[zhang.pk])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="东沟电梯")


def url(action, *args):
    return reverse(f"equipment:equipment_{action}", args=args)


def test_it_lists_only_what_the_person_sees(client_for, item, other):
    page = client_for("school_a_officer").get(url("list"))
    body = page.content.decode()
    assert page.status_code == 200 and "宿舍楼电梯" in body and "东沟电梯" not in body
    district = client_for("district_officer").get(url("list")).content.decode()
    assert "宿舍楼电梯" in district and "东沟电梯" in district
    assert client_for("auditor").get(url("list")).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url("list")).status_code == 403


def test_it_lists_without_a_query_per_row(
    client_for, persona, units, django_assert_max_num_queries
):
    officer = persona("district_officer")
    for n in range(12):
        make(officer, units[SCHOOL_A], name=f"电梯{n}", code=f"梯{n}")
    client = client_for("district_officer")
    client.get(url("list"))
    with django_assert_max_num_queries(20):
        page = client.get(url("list"))
    assert "电梯11" in page.content.decode()


def test_it_filters_by_kind_and_overdue(client_for, persona, item, units):
    make(
        persona("school_a_officer"),
        units[SCHOOL_A],
        name="食堂锅炉",
        kind="boiler",
        code="锅1",
        last_inspected_on=days(-400),
        next_inspection_on=days(-5),
    )
    client = client_for("school_a_officer")
    assert "宿舍楼电梯" not in client.get(url("list"), {"kind": "boiler"}).content.decode()
    overdue = client.get(url("list"), {"inspection_overdue": "true"}).content.decode()
    assert "食堂锅炉" in overdue and "宿舍楼电梯" not in overdue
    missing = client.get(url("list"), {"operators_invalid": "true"}).content.decode()
    assert "食堂锅炉" in missing and "宿舍楼电梯" not in missing
    item.operators.update(valid_until=days(-1))  # the only operator's certificate expired
    missing = client.get(url("list"), {"operators_invalid": "true"}).content.decode()
    assert "食堂锅炉" in missing and "宿舍楼电梯" in missing


def test_it_shows_the_record(client_for, item, other):
    client = client_for("school_a_officer")
    page = client.get(url("detail", item.pk))
    body = page.content.decode()
    assert page.status_code == 200
    assert "使用登记证编号" in body and "变更记录" in body
    assert "张三" in body and "T2024001" in body and 'data-warn="' not in body
    item.operators.update(valid_until=days(20))
    body = client.get(url("detail", item.pk)).content.decode()
    assert 'data-warn="expiring"' in body and "30天内到期" in body
    item.operators.update(valid_until=days(-1))
    body = client.get(url("detail", item.pk)).content.decode()
    assert 'data-warn="expired"' in body and "已过期" in body
    assert f"subject=equipment%3A{item.pk}" in body
    assert client.get(url("detail", other.pk)).status_code == 404
    assert client_for("expert").get(url("detail", item.pk)).status_code == 403
    auditor = client_for("auditor").get(url("detail", item.pk))
    assert auditor.status_code == 200 and "编辑" not in auditor.content.decode()


def test_it_creates_through_the_page_and_keeps_the_typed_values(client_for, units):
    client = client_for("school_a_officer")
    li = certificate(units[SCHOOL_A], "T9", name="李四")
    wang = certificate(units[SCHOOL_A], "T10", name="王五")
    stranger = certificate(units[SCHOOL_B], "T11", name="孙七")
    assert client.get(url("add")).status_code == 200
    form = {
        "unit": units[SCHOOL_A].pk,
        "name": "教学楼电梯",
        "kind": "elevator",
        "code": "梯9",
        "operators": [li.pk, wang.pk],
        "next_inspection_on": "",
    }
    offered = client.get(url("add"), {"unit": units[SCHOOL_A].pk}).content.decode()
    assert "李四（T9" in offered and "孙七" not in offered
    refused = client.post(url("add"), form)
    assert refused.status_code == 400 and "教学楼电梯" in refused.content.decode()
    assert f'value="{li.pk}" selected' in refused.content.decode()
    other_school = client.post(
        url("add"), {**form, "next_inspection_on": str(days(100)), "operators": [stranger.pk]}
    )
    assert other_school.status_code == 400 and not Equipment.objects.exists()
    form["next_inspection_on"] = str(days(100))
    done = client.post(url("add"), form)
    item = Equipment.objects.get(name="教学楼电梯")
    assert done.status_code == 302 and done["Location"].endswith(f"/{item.pk}/")
    assert set(item.operators.all()) == {li, wang}
    assert client_for("auditor").get(url("add")).status_code == 403
    assert client.post(url("add"), {**form, "unit": units[SCHOOL_B].pk}).status_code == 400


def test_it_edits_and_refuses_others(client_for, item, other):
    client = client_for("school_a_officer")
    page = client.get(url("edit", item.pk))
    assert page.status_code == 200 and "张三（T2024001" in page.content.decode()
    boiler_ticket = certificate(item.unit, "G1", name="王五", kind="boiler")
    form = {
        "unit": item.unit_id,
        "name": "宿舍楼1号电梯",
        "kind": "elevator",
        "code": item.code,
        "last_inspected_on": str(days(-1)),
        "conclusion": "passed",
        "next_inspection_on": str(days(364)),
        "operators": [boiler_ticket.pk],
    }
    unfit = client.post(url("edit", item.pk), form)  # an elevator: not a boiler ticket
    assert unfit.status_code == 400 and "锅炉作业" in unfit.content.decode()
    form["operators"] = [c.pk for c in item.operators.all()]
    assert client.post(url("edit", item.pk), form).status_code == 302
    item.refresh_from_db()
    assert item.name == "宿舍楼1号电梯" and item.next_inspection_on == days(364)
    assert client.get(url("edit", other.pk)).status_code == 404
    assert client_for("auditor").get(url("edit", item.pk)).status_code == 403


def test_it_retires_with_a_reason(client_for, item, other):
    client = client_for("school_a_officer")
    assert client.get(url("retire", item.pk)).status_code == 200
    assert client.post(url("retire", item.pk), {"reason": ""}).status_code == 400
    assert client.post(url("retire", item.pk), {"reason": "已报废"}).status_code == 302
    item.refresh_from_db()
    assert item.retired_at is not None
    assert client.get(url("edit", item.pk)).status_code == 404
    assert client.post(url("retire", other.pk), {"reason": "x"}).status_code == 404
    assert client_for("auditor").post(url("retire", item.pk), {"reason": "x"}).status_code == 403


def test_it_attaches_and_serves_files_only_in_scope(client_for, item):
    client = client_for("school_a_officer")
    upload = SimpleUploadedFile("检验报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    assert (
        client.post(url("attach", item.pk), {"kind": "report", "file": upload}).status_code == 302
    )
    row = RegisterAttachment.objects.get()
    served = client.get(url("attachment", row.pk))
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"%PDF-1.4 report"
    assert client_for("auditor").get(url("attachment", row.pk)).status_code == 200
    assert client_for("expert").get(url("attachment", row.pk)).status_code == 403
    assert client_for("school_b_teacher").get(url("attachment", row.pk)).status_code == 403
    photo = SimpleUploadedFile("照片.jpg", b"\xff\xd8jpeg", content_type="image/jpeg")
    denied = client_for("auditor").post(url("attach", item.pk), {"kind": "photo", "file": photo})
    assert denied.status_code == 403


def test_it_exports_the_filtered_list(client_for, persona, item, other, units):
    from openpyxl import load_workbook

    make(persona("school_a_officer"), units[SCHOOL_A], name="食堂锅炉", kind="boiler", code="锅1")
    response = client_for("school_a_officer").get(url("export"), {"kind": "boiler"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "食堂锅炉" in values and "宿舍楼电梯" not in values and "东沟电梯" not in values
    assert client_for("expert").get(url("export")).status_code == 403


def test_it_offers_the_template_to_those_who_may_import(client_for):
    from openpyxl import load_workbook

    response = client_for("school_a_officer").get(url("template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "使用登记证编号" in values and any("场（厂）内专用机动车辆" in str(v) for v in values)
    assert client_for("auditor").get(url("template")).status_code == 403


def test_it_imports_through_the_page(client_for, units):
    client = client_for("school_a_officer")
    wang = certificate(units[SCHOOL_A], "G1", name="王五", kind="boiler")
    assert client.get(url("import")).status_code == 200
    row = [SCHOOL_A, "食堂锅炉", "锅炉", "锅1", "", "", "", str(days(90)), "王五 G1"]
    assert (
        client.post(url("import"), {"file": SimpleUploadedFile("e.xlsx", sheet([row]))}).status_code
        == 302
    )
    assert list(Equipment.objects.get(name="食堂锅炉").operators.all()) == [wang]
    row[2] = "飞船"
    page = client.post(url("import"), {"file": SimpleUploadedFile("e.xlsx", sheet([row]))})
    assert page.status_code == 400 and "不是可选值" in page.content.decode()
    assert client_for("auditor").get(url("import")).status_code == 403


def test_it_is_on_the_registers_index(client_for, item):
    page = client_for("school_a_officer").get(reverse("core:registers"))
    assert page.status_code == 200 and "一台一档" in page.content.decode()


def test_it_records_an_inspection_through_its_page(client_for, item, other):
    client = client_for("school_a_officer")
    detail = client.get(url("detail", item.pk)).content.decode()
    assert url("inspection", item.pk) in detail and "登记定期检验" in detail
    auditor_page = client_for("auditor").get(url("detail", item.pk)).content.decode()
    assert url("inspection", item.pk) not in auditor_page
    assert client.get(url("inspection", item.pk)).status_code == 200
    form = {"inspected_on": "", "conclusion": "passed", "next_inspection_on": str(days(364))}
    assert client.post(url("inspection", item.pk), form).status_code == 400
    form["inspected_on"] = str(days(-300))  # older than the inspection on file
    refused = client.post(url("inspection", item.pk), form)
    assert refused.status_code == 400 and "不能早于" in refused.content.decode()
    assert str(days(364)) in refused.content.decode()  # what was typed is kept
    form["inspected_on"] = str(days(-1))
    assert client.post(url("inspection", item.pk), form).status_code == 302
    item.refresh_from_db()
    assert (item.last_inspected_on, item.next_inspection_on) == (days(-1), days(364))
    assert client.get(url("inspection", other.pk)).status_code == 404
    assert client_for("auditor").post(url("inspection", item.pk), form).status_code == 403
    client.post(url("retire", item.pk), {"reason": "已报废"})
    assert client.get(url("inspection", item.pk)).status_code == 404
