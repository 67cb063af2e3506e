"""Excel for both registers: the template, good sheets, a wrong row writing nothing,
re-import updating (plans by 预案编号 or name; teams with their 队长 / 队员 cells)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from xiaoan.core.register_sheets import import_items, template_response, write
from xiaoan.emergency.models import EmergencyPlan, EmergencyTeam, TeamMember, roster
from xiaoan.emergency.registers import PLANS, TEAMS
from xiaoan.emergency.services import parse_people
from xiaoan.emergency.tests.support import SCHOOL_A, SCHOOL_B, make_team, sheet

pytestmark = pytest.mark.django_db

PLAN_HEADER = [
    "学校",
    "预案名称",
    "编号",
    "类别",
    "事件类型",
    "版本",
    "审批人",
    "审批日期",
    "是否备案",
    "备案日期",
]
TEAM_HEADER = ["所属单位", "队伍名称", "编号", "队伍类别", "队长", "队员"]
FIRE = "李明（保卫干事，13871000002）、张伟(电工 13871000003)、刘洋、陈刚 13871000005"


def plans(persona, rows, name="school_a_officer", **kw):
    return import_items(PLANS, persona(name), sheet(PLAN_HEADER, rows), **kw)


def teams(persona, rows, header=TEAM_HEADER, name="school_a_officer"):
    return import_items(TEAMS, persona(name), sheet(header, rows))


def test_it_imports_plans_by_label_and_reimport_updates(persona):
    rows = [
        [
            SCHOOL_A,
            "突发事件总体应急预案",
            "YA-01",
            "综合应急预案",
            "",
            "2024版",
            "王校长",
            "2024/3/1",
            "是",
            "2024年3月10日",
        ],
        [
            SCHOOL_A,
            "火灾事故专项应急预案",
            "YA-02",
            "专项应急预案",
            "火灾",
            "2024版",
            "王校长",
            dt.date(2024, 3, 1),
            "否",
            "",
        ],
        [
            SCHOOL_A,
            "食堂燃气泄漏现场处置方案",
            "",
            "现场处置方案",
            "燃气泄漏",
            "第1版",
            "",
            "",
            "",
            "",
        ],
    ]
    result = plans(persona, rows)
    assert result.ok and result.created == 3, result.errors
    fire = EmergencyPlan.objects.get(code="YA-02")
    assert fire.topic == "fire" and fire.next_revision_on == dt.date(2027, 3, 1)
    assert EmergencyPlan.objects.get(code="YA-01").filed_on == dt.date(2024, 3, 10)
    rows[1][5], rows[1][7] = "2025版", "2025-03-01"
    rows[2][5] = "第2版"
    again = plans(persona, rows)
    # The first row did not change: left alone (no history entry).
    assert again.ok and (again.updated, again.unchanged, again.created) == (2, 1, 0)
    assert EmergencyPlan.objects.count() == 3
    fire.refresh_from_db()
    assert fire.version == "2025版" and fire.next_revision_on == dt.date(2027, 3, 1)
    assert EmergencyPlan.objects.get(name="食堂燃气泄漏现场处置方案").version == "第2版"


def test_it_writes_no_plan_when_one_row_is_wrong(persona):
    rows = [
        [
            SCHOOL_A,
            "总体预案",
            "YA-01",
            "综合应急预案",
            "",
            "2024版",
            "王校长",
            "2024/3/1",
            "否",
            "",
        ],
        [
            SCHOOL_A,
            "专项预案",
            "YA-02",
            "专项应急预案",
            "",
            "2024版",
            "王校长",
            "2024/3/1",
            "否",
            "",
        ],
        [SCHOOL_B, "别校预案", "YA-03", "综合应急预案", "", "2024版", "", "", "否", ""],
        [SCHOOL_A, "演练方案", "YA-04", "演练", "", "2024版", "", "", "否", ""],
        [SCHOOL_A, "重复", "YA-01", "综合应急预案", "", "2024版", "", "", "否", ""],
    ]
    result = plans(persona, rows)
    assert not result.ok and EmergencyPlan.objects.count() == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "事件类型") in by_row
    assert (4, "所属单位") in by_row
    assert (5, "预案类别") in by_row
    assert (6, "预案编号") in by_row or (6, "编号") in by_row


def test_it_imports_teams_with_their_members_and_staffing(persona, units):
    rows = [
        [SCHOOL_A, "义务消防队", "XF-01", "义务消防队", "王建国（总务主任，13871000001）", FIRE],
        [SCHOOL_A, "应急救援队", "JY-01", "应急救援队", "王校长", "周总务、吴斌"],
    ]
    result = teams(persona, rows)
    assert result.ok and result.created == 2, result.errors
    fire = EmergencyTeam.objects.get(code="XF-01")
    assert fire.member_count == 5 and fire.is_staffed and fire.leader_name == "王建国"
    li = TeamMember.objects.get(team=fire, name="李明")
    assert (li.post, li.phone, li.role) == ("保卫干事", "13871000002", "member")
    assert TeamMember.objects.get(team=fire, name="陈刚").phone == "13871000005"
    rescue = EmergencyTeam.objects.get(code="JY-01")
    leader, *rest = roster(rescue)
    assert leader.user == persona("school_a_head") and rescue.is_staffed
    assert rest[0].user == persona("school_a_owner")


def test_it_reimports_teams_replacing_the_roster_and_keeping_phones(persona, units):
    rows = [[SCHOOL_A, "义务消防队", "XF-01", "义务消防队", "王建国", FIRE]]
    assert teams(persona, rows).ok
    rows[0][5] = "李明、张伟、刘洋"
    again = teams(persona, rows)
    assert again.ok and again.updated == 1
    fire = EmergencyTeam.objects.get(code="XF-01")
    assert [m.name for m in roster(fire)] == ["王建国", "李明", "张伟", "刘洋"]
    assert TeamMember.objects.get(team=fire, name="李明").phone == "13871000002"
    assert fire.member_count == 4 and not fire.is_staffed
    # Empty cells keep the roster as it is.
    rows[0][4] = rows[0][5] = None
    assert teams(persona, rows).ok
    assert EmergencyTeam.objects.get(code="XF-01").member_count == 4


def test_it_writes_no_team_when_a_members_cell_is_wrong(persona, units):
    rows = [
        [SCHOOL_A, "义务消防队", "XF-01", "义务消防队", "王建国", FIRE],
        [SCHOOL_A, "应急救援队", "JY-01", "应急救援队", "孙强、周涛", "吴斌"],
        [SCHOOL_A, "救援二队", "JY-02", "应急救援队", "孙强", "周涛(校医,1234)、吴斌"],
        [SCHOOL_A, "救援三队", "JY-03", "应急救援队", "孙强", "周涛、周涛"],
        [SCHOOL_A, "救援四队", "JY-04", "应急救援队", "孙强", "12345、吴斌"],
    ]
    result = teams(persona, rows)
    assert not result.ok
    assert not EmergencyTeam.objects.exists() and not TeamMember.objects.exists()
    by_row = {e.row: e for e in result.errors}
    assert set(by_row) == {3, 4, 5, 6}
    assert by_row[3].column == "队长" and "一人" in by_row[3].message
    assert "手机号码" in by_row[4].message
    assert "重复" in by_row[5].message and "姓名" in by_row[6].message


def test_it_parses_the_usual_ways_of_writing_people():
    got = parse_people("张三（电工，138 0000 0000）；李四,王五/13900000000\n赵六（保安）")
    assert got == [
        {"name": "张三", "post": "电工", "phone": "13800000000"},
        {"name": "李四", "post": "", "phone": ""},
        {"name": "王五", "post": "", "phone": "13900000000"},
        {"name": "赵六", "post": "保安", "phone": ""},
    ]
    assert parse_people("  ") is None
    with pytest.raises(ValueError):
        parse_people("张三（电工，13800000000，13900000000）")


def test_it_exports_teams_with_members_in_one_query_set(
    persona, units, django_assert_max_num_queries
):
    officer = persona("school_a_officer")
    for n in range(5):
        make_team(officer, units[SCHOOL_A], code=f"T{n}", name=f"队{n}")
    out = io.BytesIO()
    with django_assert_max_num_queries(4):
        write(TEAMS, TEAMS.queryset(officer).iterator(chunk_size=100), out)
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("队员一（教师，13900000000）" == v for v in values)
    assert any(isinstance(v, str) and v.startswith("队员二（教师，13900000001）、") for v in values)


def test_the_templates_name_their_columns_and_how_to_fill_them(persona):
    for register, words in (
        (PLANS, ["预案名称", "预案类别", "综合应急预案"]),
        (TEAMS, ["队长", "队员", "、"]),
    ):
        response = template_response(register)
        data = b"".join(response.streaming_content)
        ws = load_workbook(io.BytesIO(data)).active
        text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
        for word in words:
            assert word in text
