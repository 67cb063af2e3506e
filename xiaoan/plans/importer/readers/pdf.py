"""PDF with a text layer: tables by pdfplumber's ruling lines, the rest as text lines.

A scanned PDF has no text layer; it is refused with a message saying so.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from ..model import Block, Cell, Document, PlanImportError, Table
from .plain import lines_to_blocks


def read_pdf(data: bytes, name: str = "") -> Document:
    import pdfplumber

    blocks: list[Block] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                blocks.extend(_page(page))
    except PlanImportError:
        raise
    except Exception as error:  # pdfminer raises many kinds of errors on damaged files
        raise PlanImportError(_("无法读取 PDF 文件：文件已损坏或加密。")) from error
    if not any(getattr(b, "text", "") or getattr(b, "rows", None) for b in blocks):
        raise PlanImportError(
            _("PDF 文件没有文字层（可能是扫描件）：请上传 Word/Excel 原件或粘贴文字。")
        )
    return Document(blocks=blocks, name=name)


def _page(page) -> list[Block]:
    found = page.find_tables()
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        x0, top = obj.get("x0", 0), obj.get("top", 0)
        return not any(b[0] <= x0 <= b[2] and b[1] <= top <= b[3] for b in boxes)

    text_page = page.filter(outside) if boxes else page
    items: list[tuple[float, object]] = [
        (line["top"], line["text"]) for line in text_page.extract_text_lines()
    ]
    items.extend((table.bbox[1], _table(_cells(page, table))) for table in found)
    items.sort(key=lambda item: item[0])
    blocks: list[Block] = []
    lines: list[str] = []
    for _top, item in items:
        if isinstance(item, Table):
            blocks.extend(lines_to_blocks(lines))
            lines = []
            blocks.append(item)
        else:
            lines.append(str(item))
    blocks.extend(lines_to_blocks(lines))
    return blocks


def _cells(page, table) -> list[list[str | None]]:
    """The table's cell texts (None: no box of its own), each cell's lines kept apart where
    the writer broke the line and joined where the cell's width wrapped it."""
    return [
        [None if bbox is None else _cell_text(page, bbox) for bbox in row.cells]
        for row in table.rows
    ]


def _cell_text(page, bbox) -> str:
    lines = page.crop(bbox).extract_text_lines()
    right = bbox[2]
    text = ""
    for index, line in enumerate(lines):
        if index:
            previous = lines[index - 1]
            size = max((c.get("size") or 0 for c in previous["chars"]), default=0) or 10
            # A line stopping two characters short of the cell's edge was broken by hand.
            if right - previous["x1"] > 2 * size:
                text += "\n"
            elif _is_wide(text[-1:]) and _is_wide(line["text"][:1]):
                pass  # a wrapped CJK line goes on without a space
            else:
                text += " "
        text += line["text"]
    return text.strip()


def _is_wide(char: str) -> bool:
    return bool(char) and ord(char) >= 0x2E80


def _table(rows: list[list[str | None]]) -> Table:
    result: list[list[Cell]] = []
    for index, row in enumerate(rows):
        cells: list[Cell] = []
        for column, value in enumerate(row):
            if value is None:
                # No box of its own: spanned when the text on its left spans, else the
                # cell above runs on (vertical merge).
                left = next((c for c in reversed(cells) if not c.spanned), None)
                full_row = all(v is None for v in row[column:])
                spanned = index == 0 or (left is not None and full_row)
                cells.append(Cell("", spanned=spanned, merged=not spanned))
            else:
                cells.append(Cell(value))
        result.append(cells)
    # A merged cell's lower part often extracts as an empty string: merges do not show.
    return Table(rows=result, shows_merges=False)
