"""Unit lists, unit trailers, and a task's title split from its content."""

from __future__ import annotations

import pytest

from xiaoan.plans.importer.meta import detect_title, years_in
from xiaoan.plans.importer.model import Document, Paragraph
from xiaoan.plans.importer.segment import split_title
from xiaoan.plans.importer.units import parse_roles, split_trailer, split_units


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("安全股、基教股", ["安全股", "基教股"]),
        ("安全股，梁子湖高中、各中心小学", ["安全股", "梁子湖高中", "各中心小学"]),
        ("安全股,后勤办;电教站；督导办", ["安全股", "后勤办", "电教站", "督导办"]),
        ("保卫处 学生处\u3000后勤处", ["保卫处", "学生处", "后勤处"]),
        ("<p>安全股、后勤办</p>", ["安全股", "后勤办"]),
        # Brackets of either width stay whole, commas inside them do not split.
        (
            "区教育局（安全股、基教股）、公安局(治安大队)",
            ["区教育局（安全股、基教股）", "公安局(治安大队)"],
        ),
        ("安全股、安全股、后勤办等", ["安全股", "后勤办"]),
        # 和/及/与 split two unit names, not a name that contains the word.
        ("安全股和基教股", ["安全股", "基教股"]),
        ("1.安全股 2.基教股", ["安全股", "基教股"]),
        ("由安全股负责", ["安全股"]),
        ("卫生健康局及教育局", ["卫生健康局", "教育局"]),
        ("文化和旅游局", ["文化和旅游局"]),
        ("区教育局（安全股和基教股）", ["区教育局（安全股和基教股）"]),
        ("", []),
    ],
)
def test_it_splits_unit_lists(text, names):
    assert split_units(text) == names


def test_it_reads_units_by_role():
    roles = parse_roles("牵头单位:保卫处 责任单位:学校各单位")
    assert (roles.lead, roles.responsible, roles.cooperating) == (["保卫处"], ["学校各单位"], [])
    roles = parse_roles("牵头单位：保卫处；配合单位：教务处、学生处")
    assert (roles.lead, roles.cooperating) == (["保卫处"], ["教务处", "学生处"])
    roles = parse_roles("安全股（牵头）、基教股、后勤办(配合)")
    assert (roles.lead, roles.responsible, roles.cooperating) == (
        ["安全股"],
        ["基教股"],
        ["后勤办"],
    )
    roles = parse_roles("安全股牵头，各学校配合")
    assert (roles.lead, roles.cooperating) == (["安全股"], ["各学校"])
    roles = parse_roles("后勤办、安全股", default="cooperating")
    assert roles.cooperating == ["后勤办", "安全股"]


@pytest.mark.parametrize(
    "text",
    [
        "建立值班制度。(牵头单位:保卫处 责任单位:学校各单位)",
        "建立值班制度。（牵头单位：保卫处 责任单位：学校各单位）",
        "建立值班制度。（牵头单位:保卫处，责任单位:学校各单位)",
        "建立值班制度。\n牵头单位：保卫处  责任单位：学校各单位",
    ],
)
def test_it_takes_the_trailer_off_a_paragraph(text):
    body, roles = split_trailer(text)
    assert body == "建立值班制度。"
    assert roles.lead == ["保卫处"]
    assert roles.responsible == ["学校各单位"]


def test_it_reads_cooperating_units_and_a_deadline_in_a_trailer():
    body, roles = split_trailer(
        "开展演练。（牵头单位：保卫处 配合单位：学生处、各学院 完成时限：2025年6月）"
    )
    assert body == "开展演练。"
    assert roles.cooperating == ["学生处", "各学院"]
    assert roles.deadline == "2025年6月"


def test_it_leaves_ordinary_brackets_alone():
    text = "对照《中小学幼儿园安全指南》（试行）执行。"
    assert split_trailer(text) == (text, split_trailer(text)[1])
    assert not split_trailer(text)[1]


def test_it_splits_title_and_content():
    assert split_title("加强危化品安全专项治理。加强危化品管理。") == (
        "加强危化品安全专项治理",
        "加强危化品管理。",
    )
    # The bold run wins even when it is not a whole sentence.
    assert split_title("消防安全：开展检查。整改隐患。", bold="消防安全：") == (
        "消防安全",
        "开展检查。整改隐患。",
    )
    # Full stops inside brackets and quotes do not end the lead sentence.
    assert split_title("落实“四个一。”活动（见附件。）要求。其余内容。") == (
        "落实“四个一。”活动（见附件。）要求",
        "其余内容。",
    )
    # A short first line is the title of a multi-line cell.
    assert split_title("校车安全\n开展联合检查。消除隐患。") == (
        "校车安全",
        "开展联合检查。消除隐患。",
    )
    assert split_title("只有标题没有句号") == ("只有标题没有句号", "")


def test_it_finds_the_plan_title_and_its_years():
    doc = Document(
        blocks=[
            Paragraph("某某大学文件", heading=1),
            Paragraph("校发〔2025〕3号"),
            Paragraph("某某大学2025年安全稳定"),
            Paragraph("工作要点"),
            Paragraph("为做好2025年安全稳定工作，制定本要点。"),
        ]
    )
    assert detect_title(doc) == "某某大学2025年安全稳定工作要点"
    assert years_in("三年行动方案（2024—2026年）") == (2024, 2026)
    assert years_in("2024-2026") == (2024, 2026)
    assert years_in("2024年责任清单") == (2024, 2024)
    assert years_in("安全工作要点") is None


def test_it_takes_the_title_from_a_notice():
    doc = Document(
        blocks=[
            Paragraph("关于印发《2025年校园安全工作要点》的通知"),
            Paragraph("各学校："),
        ]
    )
    assert detect_title(doc) == "2025年校园安全工作要点"


def test_it_drops_people_named_in_a_trailer():
    body, roles = split_trailer(
        "开展检查。（牵头领导：张三 牵头单位：保卫处 责任人：李四 责任单位：各学院）"
    )
    assert body == "开展检查。"
    assert (roles.lead, roles.responsible) == (["保卫处"], ["各学院"])
