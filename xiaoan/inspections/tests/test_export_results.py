"""Inspection results as xlsx, read back with openpyxl: one inspection (every item, in
checklist order, with its result and hazard), and the filtered set of the inspection list
(a summary sheet and a results sheet); scoped; no query per row."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from xiaoan.core.xlsx import XLSX
from xiaoan.inspections import exports
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.print_support import (
    UNIT_A,
    big_checklist,
    filled,
    other,
    record,
)
from xiaoan.inspections.tests.support import checklist, done

pytestmark = pytest.mark.django_db
__all__ = ["checklist", "other", "record"]

ITEM_HEADERS = [
    "序号",
    "检查项序号",
    "分类",
    "检查项目",
    "重大隐患判定标准",
    "结果",
    "说明",
    "隐患编号",
    "隐患等级",
    "自查未发现",
]
SUMMARY_HEADERS = [
    "序号",
    "检查编号",
    "检查",
    "被检查单位",
    "组织单位",
    "检查类型",
    "检查表",
    "计划日期",
    "状态",
    "提交时间",
    "符合",
    "不符合",
    "不适用",
    "隐患数",
]
SET_HEADERS = [
    "序号",
    "检查编号",
    "检查",
    "被检查单位",
    "检查类型",
    "计划日期",
    "状态",
    *ITEM_HEADERS[1:],
]


def _book(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _numbers(inspection: Inspection) -> dict[str, tuple[str, str]]:
    return {
        r.item.code: (r.hazard.number, r.hazard.level)
        for r in inspection.results.select_related("item", "hazard")
        if r.hazard_id
    }


def test_it_exports_one_inspection(client_for, record):
    book = _book(client_for("school_a_officer").get(f"/inspections/{record.pk}/results.xlsx"))
    assert book.sheetnames == ["检查结果"]
    rows = _rows(book.active)
    assert rows[0][0] == "2026年秋季消防安全检查"
    assert f"被检查单位：{UNIT_A}" in rows[1][0] and "检查类型：自查" in rows[1][0]
    assert rows[2] == ITEM_HEADERS
    data = rows[3:]
    assert [r[3] for r in data] == [
        "灭火器配置齐全、在有效期内",
        "消防安全责任体系健全并落实",
        "每日防火巡查并记录",
    ]
    assert [r[0] for r in data] == [1, 2, 3]
    assert [r[5] for r in data] == ["不符合", "不符合", "不适用"]
    assert data[0][6] == "s01 说明"
    numbers = _numbers(record)
    assert data[0][7] == numbers["TEST-SMALL-01"][0] and data[0][8] == "待定级"
    assert data[1][4] == "FIRE-D-01"
    assert data[1][7] == numbers["TEST-SMALL-02"][0] and data[1][8] == "重大隐患"
    assert data[2][7] is None and data[2][8] is None


def test_it_leaves_unanswered_items_blank(client_for, persona, units, checklist):
    from xiaoan.inspections.tests.support import make

    inspection = make(persona, units, checklist)
    book = _book(client_for("school_a_officer").get(f"/inspections/{inspection.pk}/results.xlsx"))
    data = _rows(book.active)[3:]
    assert len(data) == 3 and all(r[5] is None for r in data)


def test_it_exports_the_filtered_list(client_for, persona, units, checklist, record, other):
    second = done(persona, other, who="district_officer", s01="pass", s02="pass", s03="fail")
    client = client_for("district_officer")
    book = _book(client.get("/inspections/export.xlsx", {"status": "submitted"}))
    assert book.sheetnames == ["检查汇总", "检查结果"]
    summary, detail = _rows(book["检查汇总"]), _rows(book["检查结果"])
    assert summary[0][0] == "检查汇总表" and summary[1] == SUMMARY_HEADERS
    titles = {r[2]: r for r in summary[2:]}
    assert set(titles) == {"2026年秋季消防安全检查", "东沟镇中心小学自查"}
    mine = titles["2026年秋季消防安全检查"]
    assert mine[1] == record.number and mine[3] == UNIT_A
    assert mine[8] == "已提交" and mine[9] is not None
    assert mine[10:] == [0, 2, 1, 2]
    assert detail[0][0] == "检查结果明细表" and detail[1] == SET_HEADERS
    assert len(detail[2:]) == 6
    assert [r[0] for r in detail[2:]] == [1, 2, 3, 4, 5, 6]
    # Grouped by inspection, items in checklist order.
    by_title: dict[str, list] = {}
    for row in detail[2:]:
        by_title.setdefault(row[2], []).append(row[7])
    assert all(seqs == [1, 2, 3] for seqs in by_title.values())
    failing = [r for r in detail[2:] if r[2] == "东沟镇中心小学自查" and r[11] == "不符合"]
    assert len(failing) == 1 and failing[0][1] == second.number
    assert failing[0][13] == _numbers(second)["TEST-SMALL-03"][0]

    only_a = _book(client.get("/inspections/export.xlsx", {"unit": units[UNIT_A].pk}))
    assert {r[2] for r in _rows(only_a["检查汇总"])[2:]} == {"2026年秋季消防安全检查"}


def test_it_exports_the_filtered_list_through_the_api(api_for, units, record, other):
    response = api_for("district_officer").get(
        "/api/inspections/export/", {"unit": units[UNIT_A].pk, "kind": "self_check"}
    )
    book = _book(response)
    assert [r[2] for r in _rows(book["检查汇总"])[2:]] == ["2026年秋季消防安全检查"]
    assert len(_rows(book["检查结果"])[2:]) == 3
    bad = api_for("district_officer").get("/api/inspections/export/", {"period": "2026-13"})
    assert bad.status_code == 400


def test_it_refuses_bad_filters_on_the_page(client_for):
    response = client_for("district_officer").get("/inspections/export.xlsx", {"period": "xx"})
    assert response.status_code == 400


def test_it_exports_only_what_the_expert_is_invited_to(client_for, record, other):
    book = _book(client_for("expert").get("/inspections/export.xlsx"))
    assert [r[2] for r in _rows(book["检查汇总"])[2:]] == ["2026年秋季消防安全检查"]
    assert {r[2] for r in _rows(book["检查结果"])[2:]} == {"2026年秋季消防安全检查"}


def test_it_exports_with_as_many_queries_for_many_items(persona, units):
    def count(n: int) -> tuple[int, int]:
        inspection = filled(persona, units, big_checklist(n))
        inspection = Inspection.objects.select_related(
            "unit", "organiser", "checklist__template"
        ).get(pk=inspection.pk)
        with CaptureQueriesContext(connection) as one:
            exports.write_inspection(inspection, io.BytesIO())
        with CaptureQueriesContext(connection) as many:
            exports.write_inspections(Inspection.objects.all(), io.BytesIO())
        return len(one), len(many)

    small, large = count(3), count(40)
    assert small == large
    assert small[1] <= 4  # the summary and the results, whatever the number of rows


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/{pk}/print.pdf",
        "/inspections/{pk}/results.xlsx",
        "/inspections/export.xlsx",
        "/api/inspections/{pk}/pdf/",
        "/api/inspections/{pk}/xlsx/",
        "/api/inspections/export/",
    ],
)
def test_it_answers_every_endpoint_with_as_many_queries_for_many_items(
    client_for, persona, units, url
):
    client = client_for("school_a_officer")

    def count(n: int) -> int:
        inspection = filled(persona, units, big_checklist(n))
        client.get(url.format(pk=inspection.pk))  # warm the session and grant caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(pk=inspection.pk))
            b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(queries)

    assert count(3) == count(40)
