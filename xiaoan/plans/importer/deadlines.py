"""Deadline phrases as responsibility lists write them.

"2026.12", "2024年12月", "2026年底前", "上半年 6月30日 下半年12月31日",
"防溺水：2026.10 防欺凌：2026.12", "立整立改 长期坚持", "12月底前", "第三季度" …

A month means its last day; a phrase without a year takes the year it is given (the plan's
year). Words that are not a date but sit before one ("防溺水：", "上半年") label it.
"""

from __future__ import annotations

import calendar
import datetime
import re

from .model import Deadline
from .text import chinese_number, norm, tidy

IMMEDIATE_WORDS = (
    "立整立改",
    "立行立改",
    "立查立改",
    "即查即改",
    "即知即改",
    "立即整改",
    "立即",
    "即时",
    "马上",
    "随时",
)
ONGOING_WORDS = (
    "长期坚持",
    "长期",
    "持续推进",
    "持续开展",
    "持续",
    "常态化",
    "常年",
    "经常性",
    "动态",
    "全年",
    "每周",
    "每月",
    "每季度",
    "每学期",
    "每半年",
    "每年",
    "定期",
)
_HALVES = {"上半年": (6, 30), "下半年": (12, 31)}
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}

_CN_MONTH = r"(?:[一二三四五六七八九十]|十[一二])"
_TOKEN = re.compile(
    "|".join(
        [
            # 2024年12月31日 / 2024.12.31 / 2024-12 / 2026.12 / 2024年12月
            r"(?P<y>(?:19|20)\d{2})\s*(?:年|[.\-/])\s*"
            r"(?P<m>\d{1,2}(?!\d)|" + _CN_MONTH + r"(?=\s*月))\s*"
            r"(?:(?:月|[.\-/])\s*(?P<d>\d{1,2})(?!\d)\s*[日号]?|月(?:份)?(?:底|末|中旬|下旬)?)?",
            # 2026年底前 / 2026年前 / 2026年度 / 2026年
            r"(?P<yo>(?:19|20)\d{2})\s*(?:年度|年)?\s*(?P<ye>年底|年末|底|末)?",
            # 6月30日 / 12月底 / 十二月
            r"(?P<mo>\d{1,2}|" + _CN_MONTH + r")\s*月(?:份)?\s*(?:(?P<do>\d{1,2})\s*[日号])?",
            r"(?P<half>上半年|下半年)",
            r"第?(?P<q>[一二三四1-4])季度(?:末|底)?",
            r"(?P<yearend>年底|年末)",
            r"(?P<midyear>年中)",
            "(?P<imm>" + "|".join(IMMEDIATE_WORDS) + ")",
            "(?P<ong>" + "|".join(ONGOING_WORDS) + ")",
        ]
    )
)
_RANGE_JOIN = re.compile(r"^\s*(?:年)?\s*[-—–－~～至到]+\s*$")
# Words around a date that say nothing a label should carry.
_FILLER = re.compile(
    r"(完成时限|完成时间|时间节点|截止时间|截止日期|时限|完成|截止|以前|之前|前|底|起|开始|止"
    r"|[:：,，;；、/／\s。.\-—–－~～])"
)


def last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _date(year: int, month: int, day: int | None) -> datetime.date | None:
    if not 1 <= month <= 12:
        return None
    if day is None:
        return last_day(year, month)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _month(text: str) -> int:
    return chinese_number(text) or 0


def _label(text: str) -> str:
    # Only the words right before a date label it ("防欺凌：2026.12"); what follows the
    # previous date ("6月底前完成初步排查，12月底前…") describes that one, not this.
    text = re.split(r"[，,；;、/／\s]+", text)[-1]
    label = _FILLER.sub("", text).strip()
    # A long run of words before a date is a sentence, not a label.
    return label if 0 < len(label) <= 12 else ""


def parse_deadlines(phrase: str, year: int) -> list[Deadline]:
    """Every deadline in `phrase`, in order. `year` fills in a missing year.

    An unrecognised phrase is kept as one undated deadline labelled with the phrase so the
    reviewer sees it; an empty phrase gives no deadline at all.
    """
    raw = tidy(phrase)
    if not raw:
        return []
    text = norm(raw)
    deadlines: list[Deadline] = []
    pending_half: tuple[str, int, int] | None = None
    current_year = year
    position = 0
    last_year_only: int | None = None

    def flush_half() -> None:
        nonlocal pending_half
        if pending_half is not None:
            label, month, day = pending_half
            deadlines.append(Deadline(_date(current_year, month, day), label, "date"))
            pending_half = None

    for match in _TOKEN.finditer(text):
        between = text[position : match.start()]
        position = match.end()
        label = _label(between)
        groups = match.groupdict()
        if groups["half"]:
            flush_half()
            if last_year_only is not None and not between.strip():
                deadlines.pop()
                last_year_only = None
            month, day = _HALVES[groups["half"]]
            pending_half = (groups["half"], month, day)
            continue
        if groups["yo"] and last_year_only is not None and _RANGE_JOIN.match(between):
            # "2024年-2026年": a range ends at its last year.
            deadlines.pop()
        if pending_half is not None and (groups["y"] or groups["mo"] or groups["yo"]):
            label = label or pending_half[0]
            pending_half = None
        else:
            flush_half()
        if (
            last_year_only is not None
            and not between.strip()
            and not (groups["y"] or groups["yo"] or groups["imm"] or groups["ong"])
        ):
            # "2024年第三季度", "2024年上半年": the year only sets the year of what follows.
            deadlines.pop()
        last_year_only = None
        if groups["y"]:
            current_year = int(groups["y"])
            day = int(groups["d"]) if groups["d"] else None
            when = _date(current_year, _month(groups["m"]), day)
            deadlines.append(Deadline(when, label if when else match.group(0).strip()))
        elif groups["yo"]:
            current_year = int(groups["yo"])
            deadlines.append(Deadline(datetime.date(current_year, 12, 31), label))
            last_year_only = current_year
        elif groups["mo"]:
            day = int(groups["do"]) if groups["do"] else None
            when = _date(current_year, _month(groups["mo"]), day)
            deadlines.append(Deadline(when, label if when else match.group(0).strip()))
        elif groups["q"]:
            month, day = _QUARTER_END[_month(groups["q"])]
            deadlines.append(
                Deadline(datetime.date(current_year, month, day), label or match.group(0))
            )
        elif groups["yearend"]:
            deadlines.append(Deadline(datetime.date(current_year, 12, 31), label))
        elif groups["midyear"]:
            deadlines.append(Deadline(datetime.date(current_year, 6, 30), label or "年中"))
        elif groups["imm"]:
            deadlines.append(Deadline(None, _original(raw, text, match), "immediate"))
        elif groups["ong"]:
            deadlines.append(Deadline(None, _original(raw, text, match), "ongoing"))
    flush_half()
    if not deadlines:
        return [Deadline(None, raw.replace("\n", " "), "date")]
    return _unique(deadlines)


def _original(raw: str, text: str, match: re.Match[str]) -> str:
    # NFKC keeps the length of these all-CJK words, so the span maps back to the original.
    if len(raw) == len(text):
        return raw[match.start() : match.end()]
    return match.group(0)


def _unique(deadlines: list[Deadline]) -> list[Deadline]:
    seen: set[Deadline] = set()
    result = []
    for deadline in deadlines:
        if deadline not in seen:
            seen.add(deadline)
            result.append(deadline)
    return result


def year_end(year: int) -> Deadline:
    """A task without a deadline is due at the end of the plan's year."""
    return Deadline(datetime.date(year, 12, 31), "", "date")


_DEADLINE_LIKE = re.compile(
    r"((19|20)\d{2}|\d{1,2}\s*月|年底|长期|立即|立整立改|常态化|上半年|下半年|季度)"
)


def looks_like_deadline(text: str) -> bool:
    return len(text) <= 40 and bool(_DEADLINE_LIKE.search(norm(text)))


# "2026年底前，组织…", "2025年6月底前完成…", "12月31日前": a date said in a sentence counts
# only with 前 after it ("2024年起" starts something, "2024年，" is when, not a deadline).
_RUNNING = re.compile(
    r"(?<![\d.])((?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:份)?(?:\s*\d{1,2}\s*[日号])?)?\s*(?:底|末)?"
    r"|(?<!\d)\d{1,2}\s*月(?:份)?(?:\s*\d{1,2}\s*[日号]|\s*(?:底|末))?)\s*(?:以前|之前|前)"
)


def running_deadlines(text: str, year: int) -> list[Deadline]:
    """The deadlines a task's sentences set, in order, each date once, labelled with the
    phrase that set it ("2026年底前") so the reviewer and the task can tell where it came from."""
    found: list[Deadline] = []
    current = year
    for match in _RUNNING.finditer(norm(text)):
        phrase = re.sub(r"\s+", "", match.group(0))[:60]
        for deadline in parse_deadlines(match.group(1), current):
            if deadline.date is None:
                continue
            current = deadline.date.year
            if all(d.date != deadline.date for d in found):
                found.append(Deadline(deadline.date, phrase, "date"))
    return found
