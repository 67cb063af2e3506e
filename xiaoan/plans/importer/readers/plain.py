"""Plain text, Markdown and pasted text.

Three table shapes are recognised besides paragraphs:
- Markdown pipe tables (`| 序号 | 工作任务 | … |`);
- rows with tab-separated cells, as Word and Excel export and paste them (a blank first
  cell shows as a leading tab; a table broken by a page repeats its header);
- one cell per line after a header of one column name per line.
"""

from __future__ import annotations

import csv
import io
import re

from ..columns import DEADLINE, SEQ, column_role, header_roles
from ..deadlines import looks_like_deadline
from ..model import Block, Cell, Document, Paragraph, Table
from ..text import norm, split_number, tidy
from ..units import looks_like_units

_HEADING = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^(?:[-*+]\s+|>\s*)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
# "- 3 -", "— 12 —", "第 3 页 共 10 页": page furniture from a Word/PDF export, never content.
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)\s*$"
)
_PIPE_SEPARATOR = re.compile(r"^:?-{2,}:?$")


def decode(data: bytes) -> str:
    """Text files from Chinese offices come as UTF-8, UTF-16 or GB18030 (GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def read_text(text: str, name: str = "") -> Document:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Document(blocks=lines_to_blocks(lines), name=name)


def read_csv(text: str, name: str = "") -> Document:
    """A sheet saved as CSV: one table."""
    rows = [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text))]
    table = _text_table(rows=[r for r in rows if any(c.text for c in r)])
    return Document(blocks=[table], name=name)


def lines_to_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        if not line.strip() or PAGE_NUMBER.match(line):
            index += 1
            continue
        if _is_pipe_row(line):
            table, index = _collect(lines, index, _is_pipe_row, _pipe_cells)
            blocks.append(table)
            continue
        if _is_tab_row(line):
            table, index = _collect_tab_rows(lines, index)
            blocks.append(table)
            continue
        if _starts_indented_row(lines, index):
            table, index = _collect_indented_rows(lines, index)
            blocks.append(table)
            continue
        header = _cell_per_line_header(lines, index)
        if header:
            table, index = _cell_per_line_table(lines, index, header)
            blocks.append(table)
            continue
        blocks.append(paragraph(line))
        index += 1
    return blocks


def paragraph(line: str) -> Paragraph:
    text = line.strip()
    heading = 0
    match = _HEADING.match(text)
    if match:
        heading = len(match.group(1))
        text = text[match.end() :]
    text = _BULLET.sub("", text)
    bold = ""
    match = _BOLD.search(text)
    if match and (not text[: match.start()].strip() or split_number(text)[2].startswith("**")):
        bold = tidy(split_number(tidy(match.group(1)))[2])
    text = tidy(text.replace("**", ""))
    return Paragraph(text=text, bold=bold, heading=heading)


def _blank(line: str) -> bool:
    return not line.strip() or bool(PAGE_NUMBER.match(line))


def _cell(text: str) -> Cell:
    bold = ""
    match = _BOLD.match(text.strip())
    if match:
        bold = tidy(match.group(1))
    return Cell(tidy(text.replace("**", "")), bold=bold)


def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


def _pipe_cells(line: str) -> list[str] | None:
    stripped = line.strip().strip("|")
    cells = [c.strip() for c in stripped.split("|")]
    if all(_PIPE_SEPARATOR.match(c) for c in cells if c):
        return None
    return cells


def _is_tab_row(line: str) -> bool:
    cells = line.rstrip(" \n").split("\t")
    filled = sum(1 for c in cells if c.strip())
    return filled >= 2 or (len(cells) >= 3 and filled >= 1)


def _tab_cells(line: str) -> list[str]:
    return line.rstrip(" \n").split("\t")


def _logical_tab_line(lines: list[str], index: int) -> tuple[list[str], int]:
    """One row of a tab-separated block; a cell quoted the way Excel copies a multi-line
    cell ("line one\nline two") may run over several lines."""
    first = line = lines[index]
    start = index = index + 1
    # Only a quote left open on its line starts a quoted multi-line cell; quotes that
    # close on the line ("平安校园"创建) are the text's own.
    if line.count('"') % 2 and any(cell.startswith('"') for cell in line.split("\t")):
        while line.count('"') % 2 and index < len(lines) and index - start < 50:
            line += "\n" + lines[index]
            index += 1
        if line.count('"') % 2:  # a stray quote, not a quoted cell
            return _tab_cells(first), start
        try:
            parsed = list(csv.reader(io.StringIO(line), delimiter="\t", quotechar='"'))
        except csv.Error:
            parsed = []
        if len(parsed) == 1:
            return parsed[0], index
    return _tab_cells(line), index


def _collect_tab_rows(lines: list[str], index: int) -> tuple[Table, int]:
    """Tab-separated rows. A row with fewer cells than the first row that is followed at
    once by a line completing it was a cell holding a line break: the two are joined."""
    rows: list[list[str]] = []
    groups: set[int] = set()
    count = len(lines)
    width = 0
    while index < count:
        line = lines[index]
        if _blank(line):
            ahead = index
            while ahead < count and _blank(lines[ahead]):
                ahead += 1
            if ahead < count and _is_tab_row(lines[ahead]):
                index = ahead
                continue
            break
        short = bool(rows) and len(rows[-1]) < width and len(rows) - 1 not in groups
        if short and ("\t" not in line or not _is_tab_row(line)):
            more, index = _logical_tab_line(lines, index)
            rows[-1] = _join_cells(rows[-1], more)
            continue
        if not _is_tab_row(line):
            if rows and len(rows) - 1 not in groups and _continues_cell(rows[-1][-1], line):
                # The last cell of the row above ran over lines ("上半年 6月30日" /
                # "下半年12月31日", "安全股、" / "基教股"): not a group row.
                rows[-1][-1] = f"{rows[-1][-1]}\n{line.strip()}"
                index += 1
                continue
            following = index + 1
            while following < count and _blank(lines[following]):
                following += 1
            if (
                rows
                and len(line.strip()) <= 40
                and not _HEADING.match(line.strip())
                and following < count
                and _is_tab_row(lines[following])
            ):
                # A group row ("一、安全检查") merged across the table exports as one cell.
                groups.add(len(rows))
                rows.append([line.strip()])
                index += 1
                continue
            break
        cells, index = _logical_tab_line(lines, index)
        if short and len(rows[-1]) + len(cells) - 1 <= width:
            rows[-1] = _join_cells(rows[-1], cells)
            continue
        rows.append(cells)
        width = width or len(cells)
    table = _text_table(rows=[[_cell(c) for c in row] for row in rows])
    for row in groups:
        table.rows[row].extend(Cell("", spanned=True) for _ in range(width - 1))
    return table, index


def _continues_cell(cell: str, line: str) -> bool:
    """Whether a line without tabs after a full row carries on the row's last cell."""
    text = line.strip()
    last = cell.strip().split("\n")[-1] if cell.strip() else ""
    if not last or split_number(norm(text))[0] in (1, 2) or _HEADING.match(text):
        return False
    if last[-1] in "、，,；;：:/／":
        return True
    if looks_like_deadline(last) and looks_like_deadline(text) and len(text) <= 24:
        return True
    return len(text) <= 40 and looks_like_units(last) and looks_like_units(text)


def _join_cells(first: list[str], second: list[str]) -> list[str]:
    return [*first[:-1], f"{first[-1]}\n{second[0]}", *second[1:]]


def _collect(lines, index, is_row, cells_of) -> tuple[Table, int]:
    """Consecutive rows; blank lines in between do not end the table (page breaks)."""
    rows: list[list[Cell]] = []
    count = len(lines)
    while index < count:
        line = lines[index]
        if _blank(line):
            ahead = index
            while ahead < count and _blank(lines[ahead]):
                ahead += 1
            if ahead < count and is_row(lines[ahead]):
                index = ahead
                continue
            break
        if not is_row(line):
            break
        cells = cells_of(line)
        if cells is not None:
            rows.append([_cell(c) for c in cells])
        index += 1
    return _text_table(rows=rows), index


def _is_indented_cell(line: str) -> bool:
    return line.startswith("\t") and "\t" not in line[1:].rstrip("\t")


def _starts_indented_row(lines: list[str], index: int) -> bool:
    """A row written one cell per line: its first cell flush left, the others indented by
    a tab ("1" / "\t严格落实…" / "\t2024年12月" / "\t安全股")."""
    line = lines[index]
    return (
        not line.startswith(("\t", " "))
        and index + 2 < len(lines)
        and _is_indented_cell(lines[index + 1])
        and _is_indented_cell(lines[index + 2])
    )


def _collect_indented_rows(lines: list[str], index: int) -> tuple[Table, int]:
    rows: list[list[str]] = []
    count = len(lines)
    while index < count:
        if _blank(lines[index]) and not lines[index].startswith("\t"):
            ahead = index
            while ahead < count and _blank(lines[ahead]) and not lines[ahead].startswith("\t"):
                ahead += 1
            if ahead < count and _starts_indented_row(lines, ahead):
                index = ahead
                continue
            break
        if not _starts_indented_row(lines, index):
            break
        row = [lines[index].strip()]
        index += 1
        while index < count and _is_indented_cell(lines[index]):
            row.append(lines[index].strip())
            index += 1
        rows.append(row)
    return _text_table(rows=[[_cell(c) for c in row] for row in rows]), index


def _cell_per_line_header(lines: list[str], index: int) -> list[str] | None:
    """Three or more lines in a row that are each one column name, one of them a task."""
    names: list[str] = []
    while index < len(lines) and len(names) < 12:
        text = lines[index].strip()
        index += 1
        if not text:
            continue
        if "\t" in text or len(text) > 12 or re.search(r"\d", text) or not column_role(text):
            break
        names.append(text)
    if len(names) >= 3 and header_roles(names):
        return names
    return None


def _cell_per_line_table(lines: list[str], index: int, header: list[str]) -> tuple[Table, int]:
    """Rows of a table exported one cell per line.

    With a 序号 column the numbers 1, 2, 3 … start the rows, so a blank cell that left no
    line behind does not shift the rest; without one, every len(header) lines make a row.
    """
    width = len(header)
    consumed = 0
    position = index
    while consumed < width:
        if lines[position].strip():
            consumed += 1
        position += 1
    end = position
    cells: list[str] = []
    while end < len(lines):
        text = lines[end].strip()
        if text and (_HEADING.match(text) or split_number(norm(text))[0] == 1):
            break
        if text and not PAGE_NUMBER.match(text):
            cells.append(text)
        end += 1
    rows: list[list[str]] = [header]
    roles = [column_role(h) for h in header]
    if SEQ in roles:
        rows.extend(_rows_by_number(cells, roles, roles.index(SEQ)))
    else:
        rows.extend(cells[i : i + width] for i in range(0, len(cells), width))
    return _text_table(rows=[[_cell(c) for c in row] for row in rows]), end


def _rows_by_number(cells: list[str], roles: list[str | None], seq_col: int) -> list[list[str]]:
    width = len(roles)
    after = width - seq_col
    starts: list[int] = []
    expected = 1
    for i, text in enumerate(cells):
        if norm(text).rstrip(".、") == str(expected):
            starts.append(i)
            expected += 1
    rows: list[list[str]] = []
    carried: list[str] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(cells)
        row = cells[start:end]
        before, carried = carried, []
        if seq_col and n + 1 < len(starts) and len(row) > after:
            # Cells left of 序号 (a 领域 column) belong to the row they precede.
            carried = row[-min(seq_col, len(row) - after) :]
            row = row[: len(row) - len(carried)]
        left = [""] * (seq_col - len(before)) + before
        rows.append(left + _place(row, roles[seq_col:]))
    return rows


def _place(row: list[str], roles: list[str | None]) -> list[str]:
    """Put a row's cells under their columns; a missing cell was a blank one."""
    if len(row) >= len(roles):
        return [*row[: len(roles) - 1], "\n".join(row[len(roles) - 1 :])]
    placed = [""] * len(roles)
    placed[0] = row[0]
    free = list(range(1, len(roles)))
    for text in row[1:]:
        column = free[0]
        if DEADLINE in roles and looks_like_deadline(text):
            wanted = roles.index(DEADLINE)
            if wanted in free:
                column = wanted
        elif roles[column] == DEADLINE and len(free) > 1:
            column = free[1]
        placed[column] = text
        free.remove(column)
        if not free:
            break
    return placed


def _text_table(rows: list[list[Cell]]) -> Table:
    return Table(rows=rows, shows_merges=False)
