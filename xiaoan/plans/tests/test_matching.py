"""Unit names from a draft matched to units: by name, alias, abbreviation and similarity;
collective phrases and ambiguous names are left for the reviewer."""

from __future__ import annotations

from pathlib import Path

from xiaoan.plans.importer import import_plan
from xiaoan.plans.importer.matching import (
    ALIAS,
    NAME,
    SIMILAR,
    UnitRef,
    match_plan_units,
    match_unit_names,
)

FIXTURES = Path(__file__).parent / "fixtures"

UNITS = [
    UnitRef(1, "梁子湖区教育局", ("区教育局",)),
    UnitRef(2, "安全股"),
    UnitRef(3, "基础教育股"),
    UnitRef(4, "梁子湖高级中学"),
    UnitRef(5, "东沟镇中心小学"),
    UnitRef(6, "教务处"),
    UnitRef(7, "教务处"),
]


def test_it_matches_by_name_alias_abbreviation_and_similarity():
    report = match_unit_names(
        ["安全股", "区教育局", "梁子湖高中", "基教股", "东沟镇中心小学 ", "安全股"], UNITS
    )
    assert [(m.written, m.unit.id, m.how) for m in report.matched] == [
        ("安全股", 2, NAME),
        ("区教育局", 1, ALIAS),
        ("梁子湖高中", 4, SIMILAR),
        ("基教股", 3, SIMILAR),
        ("东沟镇中心小学 ", 5, NAME),
    ]
    assert report.unmatched == [] and report.collective == []


def test_it_reports_collective_unmatched_and_ambiguous_names():
    report = match_unit_names(
        ["各中心学校", "学校各单位", "全区中小学幼儿园", "局各股室", "梧桐湖教办", "教务处"], UNITS
    )
    assert [m.written for m in report.collective] == [
        "各中心学校",
        "学校各单位",
        "全区中小学幼儿园",
        "局各股室",
    ]
    assert [m.written for m in report.unmatched] == ["梧桐湖教办", "教务处"]
    ambiguous = report.unmatched[1]
    assert [u.id for u in ambiguous.candidates] == [6, 7]


def test_it_matches_the_district_list_against_the_demo_units(demo):
    plan = import_plan((FIXTURES / "district-plan-2024-2026.txt").read_bytes(), "清单.txt")
    report = match_plan_units(plan, within=demo["梁子湖区教育局"])
    matched = {m.written: m.unit.name for m in report.matched}
    assert matched == {
        "安全股": "安全股",
        "督导办": "督导办",
        "梁子湖高中": "梁子湖高级中学",
        "基教股": "基础教育股",
    }
    assert [m.written for m in report.collective] == [
        "各中心小学",
        "全区中小学幼儿园",
        "局各股室",
        "各二级单位",
        "各中心学校",
    ]
    assert {m.written for m in report.unmatched} == {
        "梧桐湖教办",
        "发规股",
        "后勤办",
        "体卫艺股",
        "电教站",
        "校外活动中心",
    }


def test_it_scopes_matching_to_a_subtree(demo):
    plan = import_plan("序号\t工作任务\t责任单位\n1\t开展检查。\t教务处、保卫处\n".encode(), "")
    everywhere = match_plan_units(plan)
    assert [m.written for m in everywhere.unmatched] == [
        "教务处"
    ]  # a school's and the university's
    university = match_plan_units(plan, within=demo["鄂州职业大学"])
    assert [(m.written, m.unit.name) for m in university.matched] == [
        ("教务处", "教务处"),
        ("保卫处", "保卫处"),
    ]
