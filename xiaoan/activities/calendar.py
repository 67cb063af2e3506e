"""The built-in calendar of the national education days and months (domain.md §5), as data.

Each event has a code (the `event` of an activity and the `proof_code` of its duty), a name,
a period rule and the activity kinds suggested for it. A rule gives the event's windows in a
year, each an inspections `Period` (key, start, end, label), so a duty with the window due
rule (xiaoan.duties) runs one obligation per window, due at its end:

- `day(month, day, before, after)`: a fixed day with days around it (国家安全教育日 4-15);
- `last_weekday(month, weekday, before, after)`: 全国中小学生安全教育日, the last Monday of
  March, with days around it;
- `span(start, end)`: months or days (防溺水 May–June, 消防宣传月 November);
- an event may have several windows a year (开学第一课: spring and autumn terms).
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.activities.choices import ActivityKind as K
from xiaoan.inspections.schedules import Period

# A window in a year: (key suffix, start, end); the suffix "" for an event's only window.
Window = tuple[str, dt.date, dt.date]
Rule = Callable[[int], list[Window]]


def day(month: int, on: int, before: int = 0, after: int = 0) -> Rule:
    def windows(year: int) -> list[Window]:
        anchor = dt.date(year, month, on)
        return [
            ("", anchor - dt.timedelta(days=before), anchor + dt.timedelta(days=after)),
        ]

    return windows


def last_weekday(month: int, weekday: int, before: int = 0, after: int = 0) -> Rule:
    def windows(year: int) -> list[Window]:
        last = dt.date(year, month, cal.monthrange(year, month)[1])
        anchor = last - dt.timedelta(days=(last.weekday() - weekday) % 7)
        return [
            ("", anchor - dt.timedelta(days=before), anchor + dt.timedelta(days=after)),
        ]

    return windows


def span(*parts: tuple[str, tuple[int, int], tuple[int, int]]) -> Rule:
    """Windows from (month, day) to (month, day) of the same year, each with its suffix; a
    day 0 end is the month's last day."""

    def windows(year: int) -> list[Window]:
        out = []
        for suffix, (m1, d1), (m2, d2) in parts:
            end_day = d2 or cal.monthrange(year, m2)[1]
            out.append((suffix, dt.date(year, m1, d1), dt.date(year, m2, end_day)))
        return out

    return windows


@dataclass(frozen=True)
class EducationEvent:
    code: str
    name: Any  # lazy
    rule: Rule
    rule_text: Any  # the rule in words, for the calendar page
    kinds: Sequence[str]
    duty_name: Any  # the built-in duty's name
    note: Any = ""

    def windows(self, year: int) -> list[Period]:
        out = []
        for suffix, start, end in self.rule(year):
            key = f"{year}-{suffix}" if suffix else str(year)
            out.append(Period(key, start, end, window_label(year, suffix, start, end)))
        return out

    def window_of(self, on: dt.date) -> Period | None:
        """The window holding `on`, or None."""
        for period in self.windows(on.year):
            if period.start <= on <= period.end:
                return period
        return None

    def window(self, key: str) -> Period | None:
        """The window of a key ("2026", "2026-spring"), or None."""
        year_text = key.split("-", 1)[0]
        if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
            return None
        return next((p for p in self.windows(int(year_text)) if p.key == key), None)

    def current_or_last(self, today: dt.date) -> Period:
        """The window open today, else the last one begun (this year's or last year's)."""
        begun = [
            p for y in (today.year - 1, today.year) for p in self.windows(y) if p.start <= today
        ]
        return begun[-1]

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(K.choices)
        return [str(labels[k]) for k in self.kinds]


SUFFIX_LABELS = {"spring": gettext_lazy("春季学期"), "autumn": gettext_lazy("秋季学期")}


def window_label(year: int, suffix: str, start: dt.date, end: dt.date) -> str:
    part = f"{SUFFIX_LABELS[suffix]} " if suffix in SUFFIX_LABELS else ""
    return _("%(y)d年%(part)s%(a)s至%(b)s") % {
        "y": year,
        "part": part,
        "a": f"{start.month}月{start.day}日",
        "b": f"{end.month}月{end.day}日",
    }


_l = gettext_lazy
EVENTS: tuple[EducationEvent, ...] = (
    EducationEvent(
        "safety_day",
        _l("全国中小学生安全教育日"),
        last_weekday(3, 0, before=7, after=7),
        _l("3月最后一个星期一，前后各7天"),
        (K.CLASS_MEETING, K.LECTURE, K.DRILL_VIEWING, K.DISPLAY),
        _l("全国中小学生安全教育日主题教育活动"),
    ),
    EducationEvent(
        "national_security",
        _l("全民国家安全教育日"),
        day(4, 15, before=7, after=7),
        _l("4月15日，前后各7天"),
        (K.CLASS_MEETING, K.LECTURE, K.QUIZ, K.DISPLAY),
        _l("全民国家安全教育日主题教育活动"),
    ),
    EducationEvent(
        "disaster_prevention",
        _l("防灾减灾日"),
        day(5, 12, before=7, after=7),
        _l("5月12日，前后各7天（防灾减灾宣传周）"),
        (K.DRILL_VIEWING, K.LECTURE, K.DISPLAY, K.CLASS_MEETING),
        _l("防灾减灾日主题教育活动"),
    ),
    EducationEvent(
        "drowning_prevention",
        _l("防溺水专题教育"),
        span(("", (5, 1), (6, 30))),
        _l("5月至6月，暑假前"),
        (K.CLASS_MEETING, K.PARENT_LETTER, K.LECTURE, K.VISIT),
        _l("暑假前防溺水专题教育"),
    ),
    EducationEvent(
        "safety_month",
        _l("安全生产月"),
        span(("", (6, 1), (6, 0))),
        _l("6月"),
        (K.LECTURE, K.DRILL_VIEWING, K.QUIZ, K.DISPLAY),
        _l("安全生产月校园安全教育活动"),
    ),
    EducationEvent(
        "first_lesson",
        _l("开学第一课"),
        span(("spring", (2, 15), (3, 15)), ("autumn", (9, 1), (9, 30))),
        _l("春季学期2月15日至3月15日；秋季学期9月"),
        (K.CLASS_MEETING, K.LECTURE, K.DRILL_VIEWING, K.PARENT_LETTER),
        _l("开学第一课安全教育（春季、秋季学期）"),
    ),
    EducationEvent(
        "fire_month",
        _l("消防宣传月"),
        span(("", (11, 1), (11, 0))),
        _l("11月（11月9日为“119”消防日）"),
        (K.DRILL_VIEWING, K.LECTURE, K.VISIT, K.DISPLAY),
        _l("消防宣传月消防安全教育活动"),
        note=_l("11月9日“119”消防日"),
    ),
    EducationEvent(
        "traffic_day",
        _l("全国交通安全日"),
        day(12, 2, before=7, after=7),
        _l("12月2日，前后各7天"),
        (K.CLASS_MEETING, K.LECTURE, K.PARENT_LETTER, K.DISPLAY),
        _l("全国交通安全日交通安全教育活动"),
    ),
)
BY_CODE = {e.code: e for e in EVENTS}


def event(code: str) -> EducationEvent | None:
    return BY_CODE.get(code)


def choices() -> list[tuple[str, Any]]:
    return [(e.code, e.name) for e in EVENTS]


def window_of(code: str, on: dt.date) -> Period | None:
    """The duties' window hook (xiaoan.duties.proofs.ProofSource.window)."""
    found = BY_CODE.get(code)
    return found.window_of(on) if found else None


def open_on(today: dt.date) -> list[tuple[EducationEvent, Period]]:
    """The events whose window holds `today`."""
    return [(e, p) for e in EVENTS if (p := e.window_of(today)) is not None]


def builtin_duties() -> list[Any]:
    """One yearly duty per event, proved by an activity held in its window
    (xiaoan.duties.builtin.offer)."""
    from xiaoan.duties.builtin import BuiltinDuty
    from xiaoan.duties.choices import DueRule, ProofKind

    return [
        BuiltinDuty(
            f"edu_{e.code}",
            e.duty_name,
            "yearly",
            ProofKind.ACTIVITY,
            "",
            DueRule.WINDOW,
            proof_code=e.code,
        )
        for e in EVENTS
    ]
