"""The plan's title and year, found in the document's opening lines."""

from __future__ import annotations

import datetime
import re

from .model import Document, Paragraph, Table
from .text import norm, split_number

# A plan names itself: 方案, 计划, 工作要点, 责任清单, 实施意见 …
_PRIMARY = re.compile(r"(方案|计划|要点|规划|意见|任务书|细则|安排|部署)")
_LIST = re.compile(r"(清单|任务表|分工表|任务分解|责任分解|台账)")
_NOTICE = re.compile(r"关于印发\s*[《<]?(.+?)[》>]?\s*的\s*通知")
_NOT_TITLE = re.compile(r"(〔|\[|【|文件$|印发?$|份\]?$|号$|^附[件：:]|^抄送|^签发)")
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*[-—–－~～至到]+\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|学年|年度)")
_DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*[.\-/年])")
_SENTENCE_END = "。；;！？!?，,：:"


def _lines(doc: Document, limit: int = 80) -> list[Paragraph]:
    lines: list[Paragraph] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines.append(block)
        elif isinstance(block, Table):
            lines.extend(Paragraph(text=t, heading=1) for t in table_title_rows(block))
        if len(lines) >= limit:
            break
    return lines


def table_title_rows(table: Table, header_index: int | None = None) -> list[str]:
    """Texts of the rows above a table's header (a merged title row in Excel)."""
    from .columns import header_roles

    titles: list[str] = []
    for index, row in enumerate(table.rows[:6]):
        if header_index is not None and index >= header_index:
            break
        texts = [c.text for c in row if c.text]
        if header_index is None and header_roles([c.text for c in row]):
            break
        distinct = list(dict.fromkeys(texts))
        if len(distinct) == 1:
            titles.append(distinct[0])
    return titles


def _is_candidate(text: str) -> bool:
    if not text or len(text) > 70 or text[-1] in _SENTENCE_END or _NOT_TITLE.search(text):
        return False
    return split_number(text)[0] == 0


def detect_title(doc: Document) -> str:
    lines = [p for p in _lines(doc) if p.text]
    primary: list[str] = []
    listing: list[str] = []
    for index, line in enumerate(lines):
        text = line.text.replace("\n", "")
        notice = _NOTICE.search(text)
        if notice:
            primary.append(notice.group(1).strip("《》<> "))
            continue
        if not _is_candidate(text):
            continue
        # A title set on two lines: "全县教育系统安全生产治本攻坚" / "三年行动方案（2024—2026年）".
        if index and (_PRIMARY.search(text) or _LIST.search(text)):
            previous = lines[index - 1]
            before = previous.text.replace("\n", "")
            if (
                _is_candidate(before)
                and previous.heading == line.heading
                and len(before) <= 40
                and not _PRIMARY.search(before)
                and not _LIST.search(before)
                and not _DATE_LINE.match(norm(before))
            ):
                text = before + text
        if _PRIMARY.search(text):
            primary.append(text)
        elif _LIST.search(text):
            listing.append(text)
    if primary:
        return primary[0]
    if listing:
        return listing[0]
    for line in lines:
        if _is_candidate(line.text):
            return line.text
    return doc.name or ""


def years_in(text: str) -> tuple[int, int] | None:
    """(first, last) year a title covers: "（2024-2026年）" → (2024, 2026)."""
    text = norm(text)
    match = _YEAR_RANGE.search(text)
    if match:
        return int(match.group(1)), int(match.group(2))
    match = _YEAR.search(text)
    if match:
        return int(match.group(1)), int(match.group(1))
    return None


def detect_year(title: str, list_title: str, doc: Document) -> int:
    """The year a task without a deadline is due by.

    A yearly list's own year ("…2024年责任清单") wins; then the plan title's year, or the
    last year of its period ("（2024-2026年）"); then the first year the text mentions.
    """
    for text in (list_title, title):
        years = years_in(text) if text else None
        if years:
            return years[1]
    texts = [p.text for p in _lines(doc, limit=200)]
    for block in doc.blocks:
        if isinstance(block, Table):
            texts.extend(c.text for row in block.rows[:50] for c in row if c.text)
    for pattern in (_YEAR, _ANY_YEAR):
        for text in texts:
            match = pattern.search(norm(text))
            if match:
                return int(match.group(1))
    return datetime.date.today().year


# 梁教〔2024〕12号, 鄂教安办[2024]3号, 县教字（2025）第8号
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号"
)


def detect_document_number(doc: Document) -> str:
    """The plan's own 文号: on a line of its own (or leading one) in the opening lines, not
    one the text cites ("根据《…》（鄂教〔2023〕5号）")."""
    for line in _lines(doc, limit=40):
        text = line.text.strip().replace("\n", " ")
        match = _DOC_NUMBER.match(text)
        if match:
            return re.sub(r"\s+", "", match.group(0))
    return ""
