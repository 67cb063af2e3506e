"""HTML: an .html file, or pasted text that carries an HTML table (rowspan/colspan are
merged cells). Text between the elements goes through the plain-text reader, so Markdown
headings or tab-separated rows around an HTML table still count."""

from __future__ import annotations

import re

from ..model import Block, Cell, Document, Paragraph, Table
from ..text import tidy
from .plain import lines_to_blocks

_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}
_BLOCK_TAGS |= {"ul", "ol", "body", "html", "blockquote", "center", "main", "header", "footer"}
_BR = re.compile(r"(?i)<\s*br\s*/?\s*>")
HAS_TABLE = re.compile(r"(?i)<\s*table[\s>]")


def read_html(text: str, name: str = "") -> Document:
    import lxml.html

    text = _BR.sub("\n", text)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception:  # lxml refuses empty or broken markup: read it as text
        return Document(blocks=lines_to_blocks(tidy(text).split("\n")), name=name)
    blocks: list[Block] = []
    _visit(root, blocks)
    return Document(blocks=blocks, name=name)


def _text_blocks(text: str | None, blocks: list[Block]) -> None:
    if text and text.strip():
        blocks.extend(lines_to_blocks(text.split("\n")))


def _visit(element, blocks: list[Block]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("script", "style", "head", "title"):
        return
    if tag == "table":
        blocks.append(_table(element))
        return
    has_blocks = any(
        isinstance(c.tag, str) and (c.tag in _BLOCK_TAGS or c.tag == "table") for c in element
    )
    if tag in _BLOCK_TAGS and not has_blocks and tag not in ("body", "html"):
        text = tidy(element.text_content())
        if text:
            heading = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else 0
            blocks.append(Paragraph(text=text, bold=_bold(element), heading=heading))
        return
    _text_blocks(element.text, blocks)
    for child in element:
        _visit(child, blocks)
        _text_blocks(child.tail, blocks)


def _bold(element) -> str:
    """The text of a <b>/<strong> the element starts with."""
    if (element.text or "").strip():
        return ""
    for child in element:
        if isinstance(child.tag, str) and child.tag in ("b", "strong"):
            return tidy(child.text_content())
        return ""
    return ""


def _table(element) -> Table:
    rows: list[list[Cell]] = []
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan above
    for tr in element.iter("tr"):
        row: list[Cell] = []
        column = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            column = _covered(row, column, pending)
            row.append(Cell(tidy(cell.text_content()), bold=_bold(cell)))
            rowspan = _int(cell.get("rowspan"))
            colspan = _int(cell.get("colspan"))
            if rowspan > 1:
                pending[column] = rowspan - 1
            row.extend(Cell("", spanned=True) for _ in range(colspan - 1))
            column += colspan
        _covered(row, column, pending)
        rows.append(row)
    return Table(rows=rows)


def _covered(row: list[Cell], column: int, pending: dict[int, int]) -> int:
    """Add the cells a rowspan above covers from `column` on; the next free column."""
    while column in pending:
        row.append(Cell("", merged=True))
        pending[column] -= 1
        if not pending[column]:
            del pending[column]
        column += 1
    return column


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
