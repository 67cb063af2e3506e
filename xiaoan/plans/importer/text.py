"""Small text helpers shared by the readers and the segmenter."""

from __future__ import annotations

import html
import re
import unicodedata

OPEN_BRACKETS = "（(【[〔《“‘「『"
CLOSE_BRACKETS = "）)】]〕》”’」』"

_BREAK_TAGS = re.compile(r"(?i)<\s*br\s*/?\s*>|</\s*p\s*>\s*<\s*p[^>]*>|</\s*(?:p|div|li|tr)\s*>")
_TAGS = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")
_SPACES = re.compile(r"[ \u3000\xa0]+")


def clean_html(text: str) -> str:
    """Drop HTML fragments pasted into cells (<p>, <br>, <span …>) and decode entities.

    Paragraph and line breaks become newlines so a cell's first paragraph stays separate.
    """
    if "<" in text:
        text = _BREAK_TAGS.sub("\n", text)
        text = _TAGS.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def tidy(text: str) -> str:
    """Clean a cell or paragraph: HTML removed, spaces squeezed, blank lines dropped."""
    text = clean_html(text).replace("\r", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def norm(text: str) -> str:
    """Full-width digits, letters, brackets and colons to half-width, for matching only.

    The text shown to users keeps what the document wrote.
    """
    return unicodedata.normalize("NFKC", text)


def join_broken(first: str, second: str) -> str:
    """Join two pieces of a paragraph broken by a page end: no separator mid-sentence."""
    if not first:
        return second
    if first[-1] in "。！？；：!?;:）)」』”":
        return first + "\n" + second
    return first + second


def split_top_level(text: str, separators: str) -> list[str]:
    """Split on any separator character that is not inside brackets or quotes."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in OPEN_BRACKETS:
            depth += 1
        elif char in CLOSE_BRACKETS and depth:
            depth -= 1
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def first_sentence_end(text: str) -> int:
    """Index just past the first sentence-ending mark outside brackets and quotes, or -1."""
    depth = 0
    for index, char in enumerate(text):
        if char in OPEN_BRACKETS:
            depth += 1
        elif char in CLOSE_BRACKETS and depth:
            depth -= 1
        elif depth == 0 and char in "。！？!?":
            return index + 1
    return -1


# Numbering styles from the outermost to the innermost, as Chinese official documents use them.
_NUMBERING: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(r"^(第?[一二三四五六七八九十百]+)[、.．]\s*")),
    (1, re.compile(r"^(第[一二三四五六七八九十百]+[部分章节])\s*")),
    (2, re.compile(r"^[（(]\s*([一二三四五六七八九十百]+)\s*[）)]\s*[、.．]?\s*")),
    (3, re.compile(r"^(\d{1,3})\s*(?:[、．]|\.(?!\d))\s*")),
    (4, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*[、.．]?\s*")),
    (4, re.compile(r"^(\d{1,3})[）)]\s*")),
    (4, re.compile(r"^([⑴-⒇])\s*")),
    (5, re.compile(r"^([①-⑳])\s*")),
]


def split_number(text: str) -> tuple[int, str, str]:
    """("1. 严格…") → (3, "1", "严格…"). Level 0 when the text is not numbered."""
    for level, pattern in _NUMBERING:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return level, match.group(1), text[match.end() :]
    return 0, "", text


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})


def chinese_number(text: str) -> int | None:
    """ "十二" → 12, "3" → 3; None for anything else."""
    text = norm(text).strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c not in "十百" for c in text):
        return None
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[char]
    return total + current
