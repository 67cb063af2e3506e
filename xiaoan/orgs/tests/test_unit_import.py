"""Onboarding units from a sheet: the service, the `xiaoan import-units` command, the upload
page and the API. Every row is checked first; any wrong row means nothing is written."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from xiaoan.core.errors import Invalid
from xiaoan.orgs.importer import import_units
from xiaoan.orgs.models import Unit
from xiaoan.orgs.tests.sheets import GOOD_NAMES, GOOD_ROWS, upload, xlsx
from xiaoan.orgs.tests.test_unit_api import assert_error_shape


@pytest.fixture(autouse=True)
def _demo_district(demo):
    """Every sheet here is imported into the demo district."""


A_GOOD_ROW = ["后勤处", "部门", "梁子湖高级中学", "", "", "", "", ""]


def snapshot() -> list[tuple]:
    return list(
        Unit.objects.order_by("pk").values_list(
            "pk", "path", "name", "kind", "school_type", "enrolment", "boarding", "numchild"
        )
    )


def child(parent_name: str, name: str) -> Unit:
    parent = Unit.objects.get(name=parent_name)
    return Unit.objects.get_children(parent).get(name=name)


def assert_good_sheet_written() -> None:
    bureau = child("梁子湖区教育局", "梧桐湖教育办")
    assert bureau.kind == "authority" and bureau.staff_count == 8
    school = child("梧桐湖教育办", "梁子湖区第二实验小学")
    assert (school.kind, school.school_type, school.enrolment, school.boarding) == (
        "school",
        "primary",
        600,
        False,
    )
    assert child("梁子湖区第二实验小学", "安全办").kind == "department"
    assert child("梧桐湖教育办", "应急股").kind == "section"
    junior = child("梁子湖区教育局", "梁子湖区第三中学")
    assert (junior.school_type, junior.enrolment, junior.boarding, junior.boarding_students) == (
        "junior",
        800,
        True,
        300,
    )
    assert child("梁子湖高级中学", "后勤处").kind == "department"
    assert Unit.objects.get(name="梧桐湖教育办").numchild == 2
    assert all(not problems for problems in Unit.objects.find_problems())


# --- the service ------------------------------------------------------------------------


def test_it_imports_a_good_sheet_whose_parents_come_later(persona):
    before = Unit.objects.count()
    result = import_units(persona("district_officer"), xlsx(GOOD_ROWS))
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated) == (6, 6, 0)
    assert Unit.objects.count() == before + 6
    assert_good_sheet_written()


def test_it_imports_nothing_on_a_dry_run(persona):
    before = snapshot()
    result = import_units(persona("district_officer"), xlsx(GOOD_ROWS), dry_run=True)
    assert result.ok and result.rows == 6 and result.created == 0
    assert snapshot() == before


def test_it_is_idempotent_and_updates_changed_facts(persona):
    user = persona("district_officer")
    import_units(user, xlsx(GOOD_ROWS))
    count = Unit.objects.count()
    again = import_units(user, xlsx(GOOD_ROWS))
    assert again.ok and (again.created, again.updated) == (0, 0)
    assert Unit.objects.count() == count
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][4] = 650  # 在校学生数 of 梁子湖区第二实验小学
    changed[4][7] = 66  # 教职工数 of 梁子湖区第三中学
    third = import_units(user, xlsx(changed))
    assert third.ok and (third.created, third.updated) == (0, 2)
    assert Unit.objects.count() == count
    assert child("梧桐湖教育办", "梁子湖区第二实验小学").enrolment == 650
    assert child("梁子湖区教育局", "梁子湖区第三中学").staff_count == 66


def test_it_updates_an_existing_school_named_in_the_sheet(units, persona):
    count = Unit.objects.count()
    result = import_units(
        persona("district_officer"),
        xlsx([["东沟镇中心小学", "小学", "梁子湖区教育局", "", 1000, "否", "", 63]]),
    )
    assert result.ok and (result.created, result.updated) == (0, 1)
    assert Unit.objects.count() == count
    school = Unit.objects.get(pk=units["东沟镇中心小学"].pk)
    assert (school.enrolment, school.staff_count) == (1000, 63)


def test_it_leaves_facts_alone_that_the_sheet_does_not_give(units, persona):
    """A short sheet (name, kind, parent) naming an existing boarding school must not wipe
    its boarding facts."""
    result = import_units(
        persona("district_officer"),
        xlsx([["梁子湖高级中学", "高中", "梁子湖区教育局"]], headers=["名称", "类型", "上级单位"]),
    )
    assert result.ok and (result.created, result.updated) == (0, 0)
    school = Unit.objects.get(pk=units["梁子湖高级中学"].pk)
    assert (school.enrolment, school.boarding, school.boarding_students) == (1860, True, 1500)


def test_it_accepts_a_full_path_for_an_ambiguous_parent(persona):
    # 教务处 exists under the high school and under the university; sysadmin sees both.
    user = persona("sysadmin")
    sheet = xlsx([["教学研究室", "部门", "教务处", "", "", "", "", ""]])
    result = import_units(user, sheet)
    assert not result.ok
    assert result.errors[0].row == 2 and "有重名" in result.errors[0].message
    sheet = xlsx([["教学研究室", "部门", "鄂州市教育局/鄂州职业大学/教务处", "", "", "", "", ""]])
    result = import_units(user, sheet)
    assert result.ok, result.errors
    assert Unit.objects.get_parent(Unit.objects.get(name="教学研究室")).path.startswith(
        Unit.objects.get(name="鄂州职业大学").path
    )


BAD_ROWS = [
    pytest.param(
        ["新学校", "小学", "不存在的教育局", "", 100, "", "", ""],
        "上级单位",
        "找不到上级单位“不存在的教育局”，或它不在您的管理范围内。",
        id="unknown-parent",
    ),
    pytest.param(
        ["后勤处", "部门", "鄂州职业大学", "", "", "", "", ""],
        "上级单位",
        "找不到上级单位“鄂州职业大学”，或它不在您的管理范围内。",
        id="parent-outside-scope",
    ),
    pytest.param(
        ["", "部门", "梁子湖高级中学", "", "", "", "", ""],
        "名称",
        "名称不能为空。",
        id="blank-name",
    ),
    pytest.param(
        ["新单位", "神秘机构", "梁子湖区教育局", "", "", "", "", ""],
        "类型",
        "无法识别的单位类型“神秘机构”",
        id="unknown-kind",
    ),
    pytest.param(
        ["新学校", "学校", "梁子湖区教育局", "", 100, "", "", ""],
        "学校类型",
        "学校必须填写学校类型。",
        id="school-without-type",
    ),
    pytest.param(
        ["新学校", "学校", "梁子湖区教育局", "大学堂", 100, "", "", ""],
        "学校类型",
        "无法识别的学校类型“大学堂”。",
        id="unknown-school-type",
    ),
    pytest.param(
        ["新学校", "小学", "梁子湖区教育局", "", "很多", "", "", ""],
        "在校学生数",
        "“很多”不是数字。",
        id="non-numeric-enrolment",
    ),
    pytest.param(
        ["新学校", "小学", "梁子湖区教育局", "", 100, "是", 200, ""],
        "住宿学生数",
        "住宿学生数不能多于在校学生数。",
        id="more-boarders-than-pupils",
    ),
    pytest.param(
        ["新学校", "小学", "梁子湖区教育局", "", 0, "是", 5, ""],
        "住宿学生数",
        "住宿学生数不能多于在校学生数。",
        id="boarders-in-an-empty-school",
    ),
    pytest.param(
        ["新学校", "小学", "梁子湖区教育局", "", 100, "也许", "", ""],
        "寄宿",
        "请填“是”或“否”。",
        id="unclear-boarding",
    ),
    pytest.param(
        ["附属小学", "小学", "安全股", "", 100, "", "", ""],
        "类型",
        "学校不能放在股室/处室之下。",
        id="school-under-a-section",
    ),
    pytest.param(
        ["新校区", "校区", "梁子湖区教育局", "", "", "", "", ""],
        "类型",
        "校区不能放在教育行政部门之下。",
        id="campus-under-an-authority",
    ),
    pytest.param(
        ["新教育局", "教育局", "", "", "", "", "", ""],
        "上级单位",
        "上级单位不能为空。",
        id="top-level-without-rights",
    ),
]


@pytest.mark.parametrize(("bad_row", "column", "message"), BAD_ROWS)
def test_it_reports_a_bad_row_and_writes_nothing(persona, bad_row, column, message):
    before = snapshot()
    # Good rows around the bad one: they must not be written either.
    result = import_units(
        persona("district_officer"), xlsx([*GOOD_ROWS[:2], bad_row, *GOOD_ROWS[2:]])
    )
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(4, column)]
    assert message in result.errors[0].message
    assert result.created == 0 and result.updated == 0
    assert snapshot() == before


def test_it_reports_a_parent_outside_the_school_officers_scope(persona):
    before = snapshot()
    sheet = xlsx(
        [
            ["少先队", "部门", "东沟镇中心小学", "", "", "", "", ""],
            ["安全办", "部门", "梁子湖高级中学", "", "", "", "", ""],
            ["应急股", "股室", "梁子湖区教育局", "", "", "", "", ""],
        ]
    )
    result = import_units(persona("school_a_officer"), sheet)
    assert [(e.row, e.column) for e in result.errors] == [(2, "上级单位"), (4, "上级单位")]
    assert "东沟镇中心小学" in result.errors[0].message
    assert "梁子湖区教育局" in result.errors[1].message
    assert snapshot() == before


def test_it_reports_duplicate_names_under_one_parent(persona):
    before = snapshot()
    sheet = xlsx(
        [
            ["应急股", "股室", "梁子湖区教育局", "", "", "", "", ""],
            A_GOOD_ROW,
            ["应急股", "股室", "梁子湖区教育局", "", "", "", "", ""],
        ]
    )
    result = import_units(persona("district_officer"), sheet)
    assert [(e.row, e.column) for e in result.errors] == [(4, "名称")]
    assert result.errors[0].message == "与第 2 行重复：同一上级下的单位名称不能相同。"
    assert snapshot() == before


def test_it_reports_a_cycle_between_two_rows(persona):
    before = snapshot()
    sheet = xlsx(
        [
            A_GOOD_ROW,
            ["甲教育办", "教育局", "乙教育办", "", "", "", "", ""],
            ["乙教育办", "教育局", "甲教育办", "", "", "", "", ""],
        ]
    )
    result = import_units(persona("district_officer"), sheet)
    assert not result.ok
    assert {e.row for e in result.errors} <= {3, 4}
    assert any(e.message == "上级关系出现循环。" for e in result.errors)
    assert snapshot() == before


def test_it_reports_every_bad_row_at_once_in_row_order(persona):
    before = snapshot()
    sheet = xlsx(
        [
            ["新学校", "小学", "梁子湖区教育局", "", "很多", "", "", ""],  # 2
            A_GOOD_ROW,  # 3
            ["", "部门", "梁子湖高级中学", "", "", "", "", ""],  # 4
            ["新单位", "神秘机构", "梁子湖区教育局", "", "", "", "", ""],  # 5
            ["另一所学校", "学校", "梁子湖区教育局", "", "", "", "", ""],  # 6
        ]
    )
    result = import_units(persona("district_officer"), sheet)
    assert [e.row for e in result.errors] == [2, 4, 5, 6]
    assert snapshot() == before


def test_it_refuses_a_file_that_is_not_a_workbook(persona):
    before = snapshot()
    with pytest.raises(Invalid) as caught:
        import_units(persona("district_officer"), "名称,类型,上级单位\n新学校,小学,x\n".encode())
    assert str(caught.value.message) == "无法读取该文件：请上传 Excel 工作簿（.xlsx）。"
    assert snapshot() == before


def test_it_refuses_a_sheet_with_missing_header_columns(persona):
    before = snapshot()
    with pytest.raises(Invalid) as caught:
        import_units(
            persona("district_officer"), xlsx([["新股", "股室"]], headers=["名称", "类型"])
        )
    assert str(caught.value.message) == "表头缺少必需的列：上级单位。"
    with pytest.raises(Invalid) as caught:
        import_units(persona("district_officer"), xlsx([["a", "b"]], headers=["甲", "乙"]))
    assert "找不到表头" in str(caught.value.message)
    assert snapshot() == before


def test_it_refuses_a_sheet_without_rows(persona):
    result = import_units(persona("district_officer"), xlsx([]))
    assert not result.ok
    assert result.errors[0].message == "表格中没有数据行。"


# --- the command --------------------------------------------------------------------------


def run_command(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import-units", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_from_the_command_line_as_a_user(persona, tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS))
    before = Unit.objects.count()
    out, _err = run_command(str(path), "--as", "district_officer")
    assert "导入完成：共 6 行，新建 6 个，更新 0 个。" in out
    assert Unit.objects.count() == before + 6
    assert_good_sheet_written()
    out, _err = run_command(str(path), "--as", "district_officer")
    assert "新建 0 个，更新 0 个" in out
    assert Unit.objects.count() == before + 6


def test_it_imports_from_the_command_line_without_a_scope_limit(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["黄石市教育局", "教育局", "", "", "", "", "", ""],
                ["黄石第一中学", "高中", "黄石市教育局", "", 2000, "是", 1800, 150],
            ]
        )
    )
    out, _err = run_command(str(path))
    assert "新建 2 个" in out
    root = Unit.objects.get(name="黄石市教育局")
    assert root.depth == 1
    assert child("黄石市教育局", "黄石第一中学").school_type == "senior"


def test_it_reports_row_errors_on_the_command_line_and_writes_nothing(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(
        xlsx([*GOOD_ROWS, ["", "部门", "梁子湖高级中学", "", "", "", "", ""]])  # row 8
    )
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import-units", str(path), "--as", "district_officer", stderr=err)
    assert "共 1 处错误，未导入任何数据。" in str(caught.value)
    assert "第 8 行［名称］：名称不能为空。" in err.getvalue()
    assert snapshot() == before


def test_it_checks_only_on_a_dry_run_from_the_command_line(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS))
    before = snapshot()
    out, _err = run_command(str(path), "--as", "district_officer", "--dry-run")
    assert "检查通过：共 6 行。" in out
    assert snapshot() == before


def test_it_prints_json_from_the_command_line(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([["新学校", "小学", "不存在的教育局", "", "", "", "", ""]]))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import-units", str(path), "--as", "district_officer", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["ok"] is False and body["created"] == 0
    assert body["errors"][0]["row"] == 2 and body["errors"][0]["column"] == "上级单位"


def test_it_refuses_a_user_scope_on_the_command_line(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([["少先队", "部门", "东沟镇中心小学", "", "", "", "", ""]]))
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import-units", str(path), "--as", "school_a_officer", stderr=err)
    assert "第 2 行［上级单位］" in err.getvalue() and "不在您的管理范围内" in err.getvalue()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, [], "文件不存在"),
        (b"not a workbook", [], "无法读取该文件"),
        (b"not a workbook", ["--as", "nobody"], "用户不存在：nobody"),
    ],
)
def test_it_explains_command_line_failures(tmp_path, content, args, message):
    path = tmp_path / "units.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        run_command(str(path), *args)
    assert message in str(caught.value)


# --- the upload page ----------------------------------------------------------------------


def test_it_imports_an_uploaded_sheet_from_the_page(client_for):
    before = Unit.objects.count()
    client = client_for("district_officer")
    response = client.post(reverse("orgs:unit_import"), {"file": upload(xlsx(GOOD_ROWS))})
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:unit_list")
    assert Unit.objects.count() == before + 6
    assert_good_sheet_written()
    listing = client.get(response["Location"]).content.decode()
    assert "导入完成：新建 6 个，更新 0 个。" in listing
    for name in GOOD_NAMES:
        assert name in listing


def test_it_checks_an_uploaded_sheet_without_importing_on_a_dry_run(client_for):
    before = snapshot()
    response = client_for("district_officer").post(
        reverse("orgs:unit_import"), {"file": upload(xlsx(GOOD_ROWS)), "dry_run": "on"}
    )
    assert response.status_code == 200
    assert "检查通过：共 6 行，可以导入。" in response.content.decode()
    assert snapshot() == before


def test_it_shows_the_bad_rows_of_an_uploaded_sheet_and_writes_nothing(client_for):
    before = snapshot()
    sheet = xlsx(
        [
            *GOOD_ROWS,  # rows 2-7
            ["新学校", "学校", "梁子湖区教育局", "", 100, "", "", ""],  # 8
            ["少先队", "部门", "鄂州职业大学", "", "", "", "", ""],  # 9
        ]
    )
    response = client_for("district_officer").post(
        reverse("orgs:unit_import"), {"file": upload(sheet)}
    )
    assert response.status_code == 400
    result = response.context["result"]
    assert [(e.row, e.column) for e in result.errors] == [(8, "学校类型"), (9, "上级单位")]
    page = response.content.decode()
    assert "发现 2 处错误，未导入任何数据。" in page
    assert "<td>8</td><td>学校类型</td><td>学校必须填写学校类型。</td>" in page
    assert "<td>9</td><td>上级单位</td>" in page
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "units.xlsx", "无法读取该文件"),
        ("名称,类型,上级单位\n".encode(), "units.xlsx", "无法读取该文件"),
        (xlsx([["新股", "股室"]], headers=["名称", "类型"]), "units.xlsx", "表头缺少必需的列"),
    ],
    ids=["renamed-garbage", "renamed-csv", "missing-columns"],
)
def test_it_refuses_an_unreadable_upload_on_the_page(client_for, data, name, message):
    before = snapshot()
    response = client_for("district_officer").post(
        reverse("orgs:unit_import"), {"file": upload(data, name)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


def test_it_refuses_an_upload_without_a_file(client_for):
    response = client_for("district_officer").post(reverse("orgs:unit_import"), {})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_it_refuses_a_file_larger_than_the_limit(client_for, settings):
    settings.XIAOAN_IMPORT_MAX_BYTES = 100
    before = snapshot()
    response = client_for("district_officer").post(
        reverse("orgs:unit_import"), {"file": upload(xlsx(GOOD_ROWS))}
    )
    assert response.status_code == 400
    assert "文件太大。" in response.content.decode()
    assert snapshot() == before


# --- the API ------------------------------------------------------------------------------


def test_it_imports_an_uploaded_sheet_through_the_api(api_for):
    before = Unit.objects.count()
    client = api_for("district_officer")
    response = client.post(
        "/api/units/import/", {"file": upload(xlsx(GOOD_ROWS))}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json() == {"ok": True, "rows": 6, "created": 6, "updated": 0, "errors": []}
    assert Unit.objects.count() == before + 6
    assert_good_sheet_written()
    again = client.post("/api/units/import/", {"file": upload(xlsx(GOOD_ROWS))}, format="multipart")
    assert again.status_code == 201 and again.json()["created"] == 0
    assert Unit.objects.count() == before + 6


def test_it_checks_a_sheet_through_the_api_on_a_dry_run(api_for):
    before = snapshot()
    response = api_for("district_officer").post(
        "/api/units/import/",
        {"file": upload(xlsx(GOOD_ROWS)), "dry_run": "true"},
        format="multipart",
    )
    assert response.status_code == 200
    assert response.json()["ok"] is True and response.json()["created"] == 0
    assert snapshot() == before


def test_it_reports_bad_rows_through_the_api_and_writes_nothing(api_for):
    before = snapshot()
    sheet = xlsx(
        [
            *GOOD_ROWS,
            ["甲教育办", "教育局", "乙教育办", "", "", "", "", ""],  # 8
            ["乙教育办", "教育局", "甲教育办", "", "", "", "", ""],  # 9
            ["新学校", "小学", "梁子湖区教育局", "", "很多", "", "", ""],  # 10
        ]
    )
    response = api_for("district_officer").post(
        "/api/units/import/", {"file": upload(sheet)}, format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "invalid_rows")
    assert body["error"]["message"] == "表格有错误，未导入任何数据。"
    assert body["ok"] is False and body["created"] == 0
    rows = [(e["row"], e["message"]) for e in body["errors"]]
    assert (10, "“很多”不是数字。") in rows
    assert any(row in (8, 9) and message == "上级关系出现循环。" for row, message in rows)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("名称,类型,上级单位\n".encode(), "无法读取该文件：请上传 Excel 工作簿（.xlsx）。"),
        (xlsx([["新股", "股室"]], headers=["名称", "类型"]), "表头缺少必需的列：上级单位。"),
    ],
    ids=["renamed-csv", "missing-columns"],
)
def test_it_refuses_an_unreadable_upload_through_the_api(api_for, data, message):
    before = snapshot()
    response = api_for("district_officer").post(
        "/api/units/import/", {"file": upload(data)}, format="multipart"
    )
    assert response.status_code == 400
    assert_error_shape(response.json(), "invalid")
    assert response.json()["error"]["message"] == message
    assert snapshot() == before


def test_it_requires_a_file_in_the_api_upload(api_for):
    response = api_for("district_officer").post("/api/units/import/", {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]


def test_it_checks_an_update_against_the_facts_already_stored(units, persona):
    """梁子湖高级中学 has 1500 boarders: a sheet may not bring its pupils down to 100."""
    before = snapshot()
    sheet = xlsx([A_GOOD_ROW, ["梁子湖高级中学", "高中", "梁子湖区教育局", "", 100, "", "", ""]])
    for dry_run in (True, False):
        result = import_units(persona("district_officer"), sheet, dry_run=dry_run)
        assert [(e.row, e.column, e.message) for e in result.errors] == [
            (3, "住宿学生数", "住宿学生数不能多于在校学生数。")
        ]
    assert snapshot() == before


def test_it_refuses_a_kind_change_that_strands_the_children(units, persona):
    before = snapshot()
    sheet = xlsx(
        [
            ["少先队", "部门", "东沟镇中心小学", "", "", "", "", ""],
            ["梁子湖高级中学", "教育局", "梁子湖区教育局", "", "", "", "", ""],
        ]
    )
    result = import_units(persona("district_officer"), sheet)
    assert [(e.row, e.column) for e in result.errors] == [(3, "类型")]
    assert result.errors[0].message == "下级单位“政教处、总务处、教务处”不能放在该类型的单位下。"
    assert snapshot() == before


def test_it_clears_the_school_type_when_a_row_makes_a_school_something_else(units, persona):
    result = import_units(
        persona("district_officer"),
        xlsx([["东沟镇中心小学", "股室", "梁子湖区教育局", "", "", "", "", ""]]),
    )
    assert result.ok and result.updated == 1
    unit = Unit.objects.get(pk=units["东沟镇中心小学"].pk)
    assert (unit.kind, unit.school_type) == ("section", "")


def test_it_reads_coordinates_and_refuses_bad_ones(persona):
    headers = ["名称", "类型", "上级单位", "学校类型", "经度", "纬度"]
    rows = [["梁子湖区第五小学", "学校", "梁子湖区教育局", "小学", "114.7512345", "30.25"]]
    result = import_units(persona("district_officer"), xlsx(rows, headers))
    assert not result.errors
    school = child("梁子湖区教育局", "梁子湖区第五小学")
    assert (str(school.longitude), str(school.latitude)) == ("114.751235", "30.250000")
    # A blank cell keeps what the unit has; a wrong one refuses the whole sheet.
    import_units(persona("district_officer"), xlsx([[*rows[0][:4], "", ""]], headers))
    school.refresh_from_db()
    assert str(school.longitude) == "114.751235"
    before = snapshot()
    bad = [
        [*rows[0][:4], "东经114", "30"],
        ["梁子湖区第六小学", "学校", "梁子湖区教育局", "小学", "114", "95"],
        ["梁子湖区第七小学", "学校", "梁子湖区教育局", "小学", "1e400", "30"],
    ]
    result = import_units(persona("district_officer"), xlsx(bad, headers))
    messages = [(e.row, e.column, e.message) for e in result.errors]
    assert (2, "经度", "“东经114”不是经纬度数值。") in messages
    assert (3, "纬度", "须在 -90 到 90 之间。") in messages
    assert any(row == 4 and field == "经度" for row, field, _m in messages)
    assert snapshot() == before
