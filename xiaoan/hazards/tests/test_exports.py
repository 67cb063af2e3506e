"""The three official lists, read back with openpyxl: title, headers, one row per hazard of
the filtered set, values as the ledger shows them; scoped, and refused without the right."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from xiaoan.hazards import exports, services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests.api_support import (
    SCHOOL_A,
    error_of,
    hazard_in,
    jpeg,
    today,
    workbook_bytes,
)
from xiaoan.orgs.models import Place

pytestmark = pytest.mark.django_db

PROBLEMS = [
    "序号",
    "编号",
    "单位",
    "场所",
    "领域",
    "隐患描述",
    "等级",
    "来源",
    "发现时间",
    "发现人",
    "状态",
]
MEASURES = [
    "序号",
    "编号",
    "单位",
    "隐患描述",
    "整改措施",
    "临时管控措施",
    "整改资金",
    "整改期限",
    "状态",
]
RESPONSIBILITIES = [
    "序号",
    "编号",
    "单位",
    "隐患描述",
    "整改单位",
    "整改责任人",
    "整改期限",
    "验收人",
    "销号时间",
    "督办单位",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ledger(persona, units):
    """School A: a closed major hazard (supervised), a rectifying one with a budget, a new
    one in a room; plus one hazard at another school and one at the university."""
    officer, owner, head = (
        persona("school_a_officer"),
        persona("school_a_owner"),
        persona("school_a_head"),
    )
    school = units[SCHOOL_A]
    now = timezone.now()
    building = Place.objects.create(unit=school, kind="building", name="实验楼")
    room = Place.objects.create(unit=school, kind="room", name="化学准备室", parent=building)

    major = services.report(
        officer,
        school,
        description="化学准备室违规存放大量酒精",
        source="inspection",
        domain="labs",
        place=room,
        found_at=now - dt.timedelta(days=3),
        photos=[jpeg()],
    )
    services.confirm(officer, major.pk, level=HazardLevel.MAJOR)
    services.assign(
        officer,
        major.pk,
        owner_unit=units["总务处"],
        owner=owner,
        measures="清运酒精，设危化品专柜",
        deadline=today() + dt.timedelta(days=7),
        budget=Decimal("12000.50"),
    )
    services.add_control(owner, major.pk, measures="设置警示标识，专人看管")
    services.submit(owner, major.pk, note="已清运", photos=[jpeg()])
    services.verify(head, major.pk, passed=True, note="合格")
    services.accept_supervision(persona("district_officer"), major.pk, note="认可销号")

    rectifying = hazard_in("rectifying", persona, units, description='=HYPERLINK("x")楼道堆物')
    Hazard.objects.filter(pk=rectifying.pk).update(found_at=now - dt.timedelta(days=2))
    fresh = services.report(
        officer,
        school,
        description="围墙局部开裂\x07",
        source="snapshot",
        found_at=now - dt.timedelta(days=1),
    )
    elsewhere = services.report(
        persona("district_officer"), units["东沟镇中心小学"], description="配电房门未上锁"
    )
    university = services.report(
        persona("uni_security"), units["鄂州职业大学"], description="实训楼消火栓无水"
    )
    return {
        "major": Hazard.objects.get(pk=major.pk),
        "rectifying": Hazard.objects.get(pk=rectifying.pk),
        "fresh": Hazard.objects.get(pk=fresh.pk),
        "elsewhere": elsewhere,
        "university": university,
    }


# Title, the header block (填报单位/统计日期, 统计范围, 制表人/审核人), then the headers.
HEADER_ROW = 5


def _rows(response) -> tuple[str, list[list]]:
    """The sheet's title and its rows: [title row, header row, *hazard rows]; the header
    block and the totals under the table are read in test_export_layout."""
    assert response.status_code == 200, response.content[:300]
    book = load_workbook(workbook_bytes(response))
    sheet = book.active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    table = [r for r in rows[HEADER_ROW:] if not str(r[0] or "").startswith(("合计", "按"))]
    return sheet.title, [rows[0], rows[HEADER_ROW - 1], *table]


def test_it_exports_the_problem_list_of_a_filtered_set(api_for, ledger, units):
    response = api_for("district_officer").get(
        "/api/hazards/export/", {"kind": "problems", "unit": units[SCHOOL_A].pk}
    )
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    title, rows = _rows(response)
    assert title == "问题清单"
    assert rows[0][0] == "隐患问题清单" and rows[1] == PROBLEMS
    data = rows[2:]
    assert len(data) == 3  # School A only, newest first
    fresh, rectifying, major = data
    assert [r[0] for r in data] == [1, 2, 3]
    assert major[1] == ledger["major"].number and major[2] == SCHOOL_A
    assert major[3] == "实验楼 / 化学准备室"
    assert major[4:8] == ["实验室/危化品", "化学准备室违规存放大量酒精", "重大隐患", "检查发现"]
    found = timezone.localtime(ledger["major"].found_at).replace(tzinfo=None, microsecond=0)
    assert major[8] == found
    assert major[9] == "李安办" and major[10] == "已销号"
    assert rectifying[5] == '=HYPERLINK("x")楼道堆物'  # text, never a formula
    assert rectifying[10] == "整改中"
    assert fresh[5] == "围墙局部开裂" and fresh[6] is None and fresh[7] == "随手拍"
    assert fresh[10] == "待确认"


def test_it_exports_the_measure_list(api_for, ledger, units):
    response = api_for("auditor").get(
        "/api/hazards/export/", {"kind": "measures", "unit": units[SCHOOL_A].pk, "open": "false"}
    )
    title, rows = _rows(response)
    assert title == "措施清单" and rows[0][0] == "隐患整改措施清单" and rows[1] == MEASURES
    [major] = rows[2:]
    assert major[1:5] == [
        ledger["major"].number,
        SCHOOL_A,
        "化学准备室违规存放大量酒精",
        "清运酒精，设危化品专柜",
    ]
    assert "设置警示标识，专人看管" in major[5]
    assert major[6] == 12000.5
    assert major[7].date() == ledger["major"].deadline
    assert major[8] == "已销号"


def test_it_exports_the_responsibility_list(api_for, ledger, units):
    response = api_for("district_officer").get(
        "/api/hazards/export/",
        {
            "kind": "responsibilities",
            "unit": units[SCHOOL_A].pk,
            "status": ["closed", "rectifying"],
        },
    )
    title, rows = _rows(response)
    assert title == "责任清单" and rows[0][0] == "隐患整改责任清单"
    assert rows[1] == RESPONSIBILITIES
    rectifying, major = rows[2:]
    assert major[4:6] == ["总务处", "周总务"]
    assert major[6].date() == ledger["major"].deadline
    assert major[7] == "王校长"
    closed = timezone.localtime(ledger["major"].closed_at).replace(tzinfo=None, microsecond=0)
    assert major[8] == closed
    number = ledger["major"].supervisions.get().number
    assert major[9] == f"梁子湖区教育局（{number}）" and number.startswith("督〔")
    assert rectifying[4:6] == ["总务处", "周总务"]
    assert rectifying[7] is None and rectifying[8] is None and rectifying[9] is None


def test_it_exports_only_what_the_caller_may_see(api_for, ledger):
    _, rows = _rows(api_for("school_a_officer").get("/api/hazards/export/?kind=problems"))
    assert {r[2] for r in rows[2:]} == {SCHOOL_A}
    _, rows = _rows(api_for("district_officer").get("/api/hazards/export/?kind=problems"))
    assert {r[2] for r in rows[2:]} == {SCHOOL_A, "东沟镇中心小学"}
    _, rows = _rows(api_for("uni_security").get("/api/hazards/export/?kind=problems"))
    assert [r[5] for r in rows[2:]] == ["实训楼消火栓无水"]


def test_it_refuses_an_export_without_the_right_or_a_kind(api_for, ledger):
    for who in ("school_b_teacher", "school_a_owner"):
        response = api_for(who).get("/api/hazards/export/?kind=problems")
        assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"
    response = api_for("district_officer").get("/api/hazards/export/?kind=everything")
    assert response.status_code == 400 and "kind" in error_of(response)["fields"]
    response = api_for("district_officer").get("/api/hazards/export/?kind=problems&level=x")
    assert response.status_code == 400 and "level" in error_of(response)["fields"]


def test_it_writes_without_a_query_per_row(ledger, persona, units):
    """The benchmark's call: any queryset (even sliced), one query per chunk of rows."""
    officer = persona("school_a_officer")
    for i in range(30):
        services.report(officer, units[SCHOOL_A], description=f"补充隐患{i}")
    queryset = Hazard.objects.restrict(persona("district_officer")).order_by("-found_at")
    for kind, columns in (("problems", 11), ("measures", 9), ("responsibilities", 10)):
        handle = io.BytesIO()
        with CaptureQueriesContext(connection) as captured:
            written = exports.write_export(queryset[:25], kind, handle)
        assert written == 25
        assert len(captured.captured_queries) <= 2  # the rows, and supervising units
        sheet = load_workbook(io.BytesIO(handle.getvalue())).active
        # Title, header block, headers, 25 rows, 3 total lines.
        assert sheet.max_row == 1 + 3 + 1 + 25 + 3 and sheet.max_column == columns
        assert sheet.freeze_panes == "A6"
        assert "A1" in {str(r).split(":")[0] for r in sheet.merged_cells.ranges}
        assert sheet.column_dimensions["B"].width == 18
    with pytest.raises(ValueError):
        exports.write_export(queryset, "everything", io.BytesIO())


def test_it_serves_the_page_export_link(ledger, persona, units):
    """`export_view` is what the ledger page links to as hazards:hazard_export."""
    factory = RequestFactory()
    request = factory.get("/hazards/export/problems/", {"unit": units[SCHOOL_A].pk, "q": "酒精"})
    request.user = persona("district_officer")
    _, rows = _rows(exports.export_view(request, "responsibilities"))
    assert [r[1] for r in rows[2:]] == [ledger["major"].number]
    request.user = persona("school_b_teacher")
    with pytest.raises(PermissionDenied):
        exports.export_view(request, "problems")
    request.user = persona("district_officer")
    with pytest.raises(Http404):
        exports.export_view(request, "everything")
    bad = factory.get("/hazards/export/problems/", {"found_after": "昨天"})
    bad.user = persona("district_officer")
    assert exports.export_view(bad, "problems").status_code == 400
    anonymous = factory.get("/hazards/export/problems/")
    anonymous.user = AnonymousUser()
    assert exports.export_view(anonymous, "problems").status_code == 302


def test_it_answers_a_client_that_accepts_only_the_file_type(api_for, ledger):
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    api = api_for("district_officer")
    response = api.get("/api/hazards/export/?kind=problems", HTTP_ACCEPT=xlsx)
    assert response.status_code == 200 and response["Content-Type"].startswith(xlsx)
    # Errors stay JSON even then.
    response = api.get("/api/hazards/export/?kind=everything", HTTP_ACCEPT=xlsx)
    assert response.status_code == 400 and error_of(response)["fields"]["kind"]
