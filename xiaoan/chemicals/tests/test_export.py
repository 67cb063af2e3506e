"""The 台账 export opens as a printable sheet with the usual columns and running balances."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiaoan.chemicals.choices import MovementKind
from xiaoan.chemicals.tests.support import move_signed

pytestmark = pytest.mark.django_db

HEADERS = [
    "日期",
    "名称",
    "规格",
    "存放点",
    "摘要",
    "入库",
    "出库",
    "结存",
    "单位",
    "领用人",
    "用途",
    "经办人",
    "复核人",
    "备注",
]


def sheet_of(response):
    body = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(body)).active


def test_it_exports_the_ledger_in_the_usual_layout(client_for, persona, lab):
    move_signed(persona, lab.cyanide, lab.storage, MovementKind.WASTE, "0.5")
    response = client_for("auditor").get(reverse("chemicals:ledger_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = sheet_of(response)
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "危险化学品出入库台账"
    header_at = next(i for i, r in enumerate(rows) if r[0] == "日期")
    assert list(rows[header_at]) == HEADERS
    body = [r for r in rows[header_at + 1 :] if r[1]]
    # Grouped by chemical, oldest first: 结存 runs down each group.
    cyanide = [r for r in body if r[1] == "氰化钾"]
    assert [(r[4], r[5], r[6], r[7]) for r in cyanide] == [
        ("入库", 2, None, 2),
        ("废弃物移交", None, 0.5, 1.5),
    ]
    assert cyanide[0][11] == "李安办" and cyanide[0][12] == "王校长"  # 经办人, 复核人
    assert "许可证" in cyanide[1][13]
    ethanol = [r for r in body if r[1] == "无水乙醇"]
    assert [(r[4], r[7]) for r in ethanol] == [("入库", 10), ("盘点调整", 9)]
    assert ethanol[1][13] == "破损"
    # The pending controlled issue is not in the ledger until it is confirmed.
    assert not [r for r in body if r[4] == "领用"]
    footer = [r[0] for r in rows if r[0] and str(r[0]).startswith(("合计", "保管人"))]
    assert footer[0] == "合计：共 4 笔出入库记录"
    assert ws.print_title_rows and ws.page_setup.orientation == "landscape"


def test_it_exports_one_chemical_or_storage_and_refuses_out_of_scope(client_for, lab):
    address = reverse("chemicals:ledger_export")
    one = sheet_of(client_for("auditor").get(address, {"chemical": lab.ethanol.pk}))
    names = {r[1] for r in one.iter_rows(min_row=5, values_only=True) if r[1]}
    assert names == {"无水乙醇"}
    assert any("无水乙醇" in str(r[0]) for r in one.iter_rows(max_row=4, values_only=True) if r[0])
    assert client_for("auditor").get(address, {"storage": lab.storage.pk}).status_code == 200
    assert client_for("uni_security").get(address, {"chemical": lab.ethanol.pk}).status_code == 404
    assert client_for("auditor").get(address, {"storage": "x"}).status_code == 404
