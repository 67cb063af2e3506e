"""`xiaoan import-plan`: the JSON contract, the preview rule and exit status 2 (creating a
plan is tested in test_import_confirm.py).

No test here has database access (pytest-django would refuse it): the command must not
touch the database.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).parent / "fixtures"


def _run(*args, stdin: bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    try:
        call_command("import-plan", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_it_prints_the_draft_as_json():
    code, out, _err = _run(str(FIXTURES / "district-plan-2024-2026.txt"), "--dry-run", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["plan_title", "plan_year", "tasks"]
    assert data["plan_year"] == 2024
    assert len(data["tasks"]) == 18
    first = data["tasks"][0]
    assert list(first) == [
        "seq",
        "title",
        "content",
        "deadlines",
        "lead_units",
        "responsible_units",
        "cooperating_units",
    ]
    assert first["seq"] == 1
    assert first["title"] == "严格落实学校主体责任"
    assert first["deadlines"] == [{"date": "2024-12-31", "label": "", "kind": "date"}]
    assert first["responsible_units"] == [
        "安全股",
        "梁子湖高中",
        "各中心小学",
        "梧桐湖教办",
        "全区中小学幼儿园",
    ]


def test_it_prints_a_readable_preview():
    code, out, _err = _run(str(FIXTURES / "school-points.txt"), "--dry-run")
    assert code == 0
    assert "1. 签订安全责任书" in out
    assert "牵头单位：保卫处" in out
    assert "共 4 项任务" in out


def test_it_reads_text_from_standard_input(monkeypatch):
    text = "序号\t工作任务\t完成时限\t责任单位\n1\t开展检查。每月一次。\t2025年6月\t安全股\n"
    code, out, _err = _run("-", "--dry-run", "--json", stdin=text.encode(), monkeypatch=monkeypatch)
    assert code == 0
    task = json.loads(out)["tasks"][0]
    assert (task["title"], task["responsible_units"]) == ("开展检查", ["安全股"])


def test_it_needs_a_user_and_a_unit_to_create_a_plan():
    code, out, err = _run(str(FIXTURES / "county-plan-2024-2026.txt"))
    assert code == 2
    assert out == ""
    assert "--as" in err and "--dry-run" in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.toml", b"x = 1", "不支持的文件类型"),
        ("plan.doc", b"\xd0\xcf\x11\xe0", "另存为 .docx"),
        ("plan.docx", b"PK\x03\x04 not a zip at all", "无法读取 Word 文件"),
        ("plan.xlsx", b"garbage", "无法读取 Excel 文件"),
        ("plan.txt", "会议通知\n请各单位准时参加。\n".encode(), "没有在文件中找到工作任务"),
        ("plan.txt", b"", "没有在文件中找到工作任务"),
    ],
)
def test_it_exits_with_status_2_on_a_file_it_cannot_read(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = _run(str(path), "--dry-run", "--json")
    assert code == 2
    assert out == ""
    assert message in err


def test_it_exits_with_status_2_on_a_missing_file(tmp_path):
    code, _out, err = _run(str(tmp_path / "none.docx"), "--dry-run")
    assert code == 2
    assert "文件不存在" in err


def test_it_exits_with_status_2_from_the_shell(tmp_path):
    import subprocess

    path = tmp_path / "plan.docx"
    path.write_bytes(b"PK\x03\x04 broken")
    result = subprocess.run(
        [sys.executable, "-m", "xiaoan", "import-plan", str(path), "--dry-run", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "无法读取 Word 文件" in result.stderr


def test_it_refuses_a_file_too_large_to_be_a_plan(tmp_path, monkeypatch):
    from xiaoan.plans.importer import readers

    monkeypatch.setattr(readers, "MAX_BYTES", 10)
    path = tmp_path / "plan.txt"
    path.write_bytes("序号\t工作任务\n1\t开展检查。\n".encode())
    code, _out, err = _run(str(path), "--dry-run")
    assert code == 2
    assert "文件过大" in err
