"""Deadline phrases → dated, immediate or ongoing deadlines. The year argument is the plan's."""

from __future__ import annotations

import pytest

from xiaoan.plans.importer.deadlines import parse_deadlines


def _parsed(phrase: str, year: int = 2024) -> list[tuple[str | None, str, str]]:
    return [
        (d.date.isoformat() if d.date else None, d.label, d.kind)
        for d in parse_deadlines(phrase, year)
    ]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2026.12", [("2026-12-31", "", "date")]),
        ("2026.2", [("2026-02-28", "", "date")]),
        ("２０２６．１２", [("2026-12-31", "", "date")]),
        ("2024年12月", [("2024-12-31", "", "date")]),
        ("2024年6月", [("2024-06-30", "", "date")]),
        ("2024年12月底前", [("2024-12-31", "", "date")]),
        ("2024年9月15日前", [("2024-09-15", "", "date")]),
        ("2024-09-15", [("2024-09-15", "", "date")]),
        ("2024.6.30", [("2024-06-30", "", "date")]),
        ("2026年底前", [("2026-12-31", "", "date")]),
        ("2026年年底", [("2026-12-31", "", "date")]),
        ("2025年前", [("2025-12-31", "", "date")]),
        ("2024年-2026年", [("2026-12-31", "", "date")]),
        ("2024—2026年", [("2026-12-31", "", "date")]),
        ("完成时限：2026年6月底前", [("2026-06-30", "", "date")]),
    ],
)
def test_it_reads_a_dated_phrase(phrase, expected):
    assert _parsed(phrase) == expected


def test_it_takes_a_missing_year_from_the_plan():
    assert _parsed("12月底前", 2025) == [("2025-12-31", "", "date")]
    assert _parsed("6月30日", 2025) == [("2025-06-30", "", "date")]
    assert _parsed("十二月", 2025) == [("2025-12-31", "", "date")]
    assert _parsed("年底前", 2025) == [("2025-12-31", "", "date")]


def test_it_reads_two_labelled_half_year_deadlines():
    assert _parsed("上半年 6月30日 下半年12月31日", 2025) == [
        ("2025-06-30", "上半年", "date"),
        ("2025-12-31", "下半年", "date"),
    ]
    assert _parsed("上半年6月30日/下半年12月31日", 2025) == [
        ("2025-06-30", "上半年", "date"),
        ("2025-12-31", "下半年", "date"),
    ]
    # Without days the halves end on 6-30 and 12-31.
    assert _parsed("2026年上半年、下半年") == [
        ("2026-06-30", "上半年", "date"),
        ("2026-12-31", "下半年", "date"),
    ]


def test_it_reads_labelled_deadlines():
    assert _parsed("防溺水：2026.10 防欺凌：2026.12") == [
        ("2026-10-31", "防溺水", "date"),
        ("2026-12-31", "防欺凌", "date"),
    ]
    assert _parsed("防溺水:2026.10\n防欺凌:2026.12") == [
        ("2026-10-31", "防溺水", "date"),
        ("2026-12-31", "防欺凌", "date"),
    ]


def test_it_reads_immediate_and_ongoing():
    assert _parsed("立整立改 长期坚持") == [
        (None, "立整立改", "immediate"),
        (None, "长期坚持", "ongoing"),
    ]
    assert _parsed("长期坚持") == [(None, "长期坚持", "ongoing")]
    assert _parsed("立即整改") == [(None, "立即整改", "immediate")]
    assert _parsed("每学期") == [(None, "每学期", "ongoing")]
    assert _parsed("常态化") == [(None, "常态化", "ongoing")]


def test_it_reads_several_months_and_quarters():
    assert _parsed("2025年6月、12月") == [
        ("2025-06-30", "", "date"),
        ("2025-12-31", "", "date"),
    ]
    assert _parsed("2026年第三季度") == [("2026-09-30", "第三季度", "date")]
    assert _parsed("2024年12月，长期坚持") == [
        ("2024-12-31", "", "date"),
        (None, "长期坚持", "ongoing"),
    ]


def test_it_labels_a_date_only_with_the_words_right_before_it():
    assert _parsed("2024年6月底前完成初步排查，12月底前全面完成") == [
        ("2024-06-30", "", "date"),
        ("2024-12-31", "", "date"),
    ]
    assert _parsed("第一阶段2024年6月；第二阶段2024年12月") == [
        ("2024-06-30", "第一阶段", "date"),
        ("2024-12-31", "第二阶段", "date"),
    ]


def test_it_gives_nothing_for_no_phrase_and_keeps_an_unknown_one_for_review():
    assert _parsed("") == []
    assert _parsed("  \n ") == []
    assert _parsed("秋季开学前") == [(None, "秋季开学前", "date")]


def test_it_does_not_invent_dates_from_impossible_numbers():
    # Kept undated, labelled with what was written, for the reviewer to fix.
    assert _parsed("2024年13月") == [(None, "2024年13月", "date")]
    assert _parsed("2024年2月30日") == [(None, "2024年2月30日", "date")]
