"""Importing events: every row checked first, nothing written when a row is wrong, a
re-imported sheet updates rather than duplicates, and the export re-imports."""

from __future__ import annotations

import io

import pytest

from xiaoan.core import history
from xiaoan.core.register_sheets import import_items, write
from xiaoan.events.models import Event
from xiaoan.events.registers import EVENTS
from xiaoan.events.tests.support import SCHOOL_A, SCHOOL_B, days, make, sheet

pytestmark = pytest.mark.django_db


def test_it_imports_good_rows_with_aliases(persona):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, "期末考试", "考试", str(days(40)), str(days(41)), "教学楼", 2000, "陈教务"],
        [SCHOOL_A, "研学", "研学旅行", "2030年5月1日", "", "武汉", 600, "李年级"],
    ]
    header = ["学校", "活动", "类型", "活动日期", "结束日期", "目的地", "参加人数", "负责人"]
    result = import_items(EVENTS, officer, sheet(rows, header))
    assert result.ok, result.errors
    assert result.created == 2
    trip = Event.objects.get(name="研学")
    assert trip.kind == "study_tour" and trip.destination == "武汉" and trip.participants == 600
    again = import_items(EVENTS, officer, sheet(rows, header))
    assert again.ok and again.unchanged == 2 and Event.objects.count() == 2


def test_it_writes_nothing_when_a_row_is_wrong(persona):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, "期末考试", "考试", str(days(40)), "", "教学楼", 2000, "陈教务"],
        [SCHOOL_A, "运动会", "赛跑", str(days(40)), "", "操场", 100, "王"],
        [SCHOOL_A, "演出", "文艺演出", str(days(40)), str(days(39)), "礼堂", 100, "赵"],
        [SCHOOL_B, "典礼", "毕业典礼", str(days(40)), "", "操场", 100, "孙"],
        [SCHOOL_A, "开学", "开学", "不是日期", "", "操场", 100, "刘"],
    ]
    result = import_items(EVENTS, officer, sheet(rows))
    assert not result.ok and Event.objects.count() == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "活动类别") in by_row
    assert (4, "结束日期") in by_row
    assert (5, "所属单位") in by_row
    assert (6, "开始日期") in by_row


def test_the_export_reimports_and_keeps_a_history(persona, units):
    officer = persona("school_a_officer")
    event = make(officer, units[SCHOOL_A])
    out = io.BytesIO()
    write(EVENTS, Event.objects.filter(pk=event.pk), out)
    result = import_items(EVENTS, officer, out.getvalue())
    assert result.ok, result.errors
    changes = [(c.field, c.old, c.new) for e in history.entries_for(event) for c in e.changes]
    assert result.unchanged == 1 and Event.objects.count() == 1, changes
    assert len(history.entries_for(event)) == 1
