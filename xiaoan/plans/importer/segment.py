"""From a `Document` to a `DraftPlan`: which blocks are tasks, and what each task says.

A document with a responsibility table (a header naming a task column) is read from its
tables: that is where deadlines and units are. Otherwise the tasks are the numbered
paragraphs of its task section ("二、主要任务"), at the numbering level that carries content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import (
    COOPERATING,
    DEADLINE,
    DOMAIN,
    LEAD,
    PROBLEM,
    RESPONSIBLE,
    SEQ,
    TASK,
    TITLE,
    UNIT_ROLES,
    column_role,
    header_roles,
)
from .deadlines import looks_like_deadline, parse_deadlines, running_deadlines, year_end
from .domains import infer_domain
from .meta import detect_document_number, detect_title, detect_year, table_title_rows
from .model import Cell, Document, DraftPlan, DraftTask, Paragraph, PlanImportError, Table
from .text import first_sentence_end, join_broken, norm, split_number
from .units import Roles, is_role_line, parse_roles, split_trailer


@dataclass
class _Pending:
    """A task being assembled; deadlines are parsed once the plan's year is known."""

    title: str
    content: str
    phrases: list[str] = field(default_factory=list)
    roles: Roles = field(default_factory=Roles)
    domain: str = ""
    # Deadlines said in the task's own sentences ("2026年底前，组织…"): used when no
    # deadline column or trailer gives one.
    running: bool = True


def build_plan(doc: Document) -> DraftPlan:
    title = detect_title(doc)
    tables = _task_tables(doc)
    if tables:
        pending = _tasks_from_tables(tables)
        year = detect_year(title, tables[0].title, doc)
    else:
        pending = _tasks_from_paragraphs(doc)
        year = detect_year(title, "", doc)
    if not pending:
        raise PlanImportError(
            _("没有在文件中找到工作任务：需要带“工作任务”等表头的表格，或编号的任务条目。")
        )
    tasks = []
    for seq, item in enumerate(pending, start=1):
        deadlines = []
        for phrase in item.phrases:
            deadlines.extend(d for d in parse_deadlines(phrase, year) if d not in deadlines)
        if not deadlines and item.running:
            deadlines = running_deadlines(f"{item.title}。{item.content}", year)
        tasks.append(
            DraftTask(
                seq=seq,
                title=item.title,
                content=item.content,
                deadlines=deadlines or [year_end(year)],
                lead_units=item.roles.lead,
                responsible_units=item.roles.responsible,
                cooperating_units=item.roles.cooperating,
                domain=item.domain,
                safety_domain=infer_domain(item.title, item.content, item.domain),
            )
        )
    return DraftPlan(
        plan_title=title or doc.name,
        plan_year=year,
        tasks=tasks,
        document_number=detect_document_number(doc),
    )


def split_title(text: str, bold: str = "") -> tuple[str, str]:
    """A task's title is its lead sentence (its bold run when it has one); the rest is content."""
    text = text.strip()
    bold = bold.strip()
    if bold and text.startswith(bold) and len(bold) < len(text):
        return _clean_title(bold), text[len(bold) :].strip()
    first_line, _sep, rest_lines = text.partition("\n")
    end = first_sentence_end(text)
    if rest_lines and (end == -1 or end > len(first_line)):
        return _clean_title(first_line), rest_lines.strip()
    if end != -1:
        return _clean_title(text[:end]), text[end:].strip()
    return _clean_title(text), ""


def _clean_title(text: str) -> str:
    return text.strip().rstrip("。！？!?；;：:，, ").strip()


# ---------------------------------------------------------------------------------------------
# Tables


@dataclass
class _TaskTable:
    roles: list[str | None]
    rows: list[list[Cell]]
    title: str = ""
    header: list[str] = field(default_factory=list)
    shows_merges: bool = True


def _task_tables(doc: Document) -> list[_TaskTable]:
    found: list[_TaskTable] = []
    recent: list[str] = []
    # Whether a header-less table may continue the last task table: only running
    # headers and footers (short lines) since it.
    may_continue = False
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.text:
                recent = [*recent[-2:], block.text]
                if len(block.text) > 30 or block.heading or split_number(block.text)[0]:
                    may_continue = False
            continue
        header_index, roles = _find_header(block)
        if roles is None:
            last = found[-1] if found else None
            width = max((len(r) for r in block.rows), default=0)
            if last and may_continue and width == len(last.roles) and not _header_like(block):
                last.rows.extend(block.rows)  # the same table, continued after a page break
            continue
        titles = (
            table_title_rows(block, header_index)
            or [t for t in reversed(recent) if len(t) <= 70 and t[-1] not in "。；;"][:1]
        )
        header = [c.text for c in block.rows[header_index]]
        rows = [r for r in block.rows[header_index + 1 :] if [c.text for c in r] != header]
        found.append(
            _TaskTable(
                roles=roles,
                rows=rows,
                title=titles[0] if titles else "",
                header=header,
                shows_merges=block.shows_merges,
            )
        )
        may_continue = True
        recent = []
    return found


def _header_like(table: Table) -> bool:
    """A table of something else (单位 | 联系人 | 电话) starts with a row of column names."""
    first = table.rows[0] if table.rows else []
    return sum(1 for c in first if c.text and column_role(c.text)) >= 2


def _find_header(table: Table) -> tuple[int, list[str | None] | None]:
    for index, row in enumerate(table.rows[:6]):
        roles = header_roles([c.text for c in row])
        if roles:
            return _sub_header(table, index, roles)
    return -1, None


def _sub_header(table: Table, index: int, roles: list[str | None]) -> tuple[int, list]:
    """A two-row header: "责任单位" over "牵头单位 | 配合单位". The second row names the
    columns the first row spans; the data start below it."""
    if index + 1 >= len(table.rows):
        return index, roles
    below = table.rows[index + 1]
    texts = [c.text if not (c.merged or c.spanned) else "" for c in below]
    named = [(i, column_role(t)) for i, t in enumerate(texts) if t]
    if not named or any(role is None or role == SEQ for _i, role in named):
        return index, roles
    refined = list(roles) + [None] * max(0, len(below) - len(roles))
    for i, role in named:
        refined[i] = role
    if TASK not in refined and TITLE not in refined:
        return index + 1, roles  # only column names: header noise, not a task
    return index + 1, refined


def _tasks_from_tables(tables: list[_TaskTable]) -> list[_Pending]:
    tasks: list[_Pending] = []
    for table in tables:
        tasks.extend(_table_tasks(table))
    return tasks


def _table_tasks(table: _TaskTable) -> list[_Pending]:
    roles = table.roles
    width = len(roles)
    rows = [_fit(row, width) for row in table.rows]
    if not rows:
        return []
    col = {role: roles.index(role) for role in set(roles) if role}
    if TASK not in col and TITLE not in col:
        return []
    seq_col = col.get(SEQ)
    if seq_col is not None and not any(r[seq_col].text for r in rows):
        seq_col = None
    # A blank cell means "same as above" in a grouping column (领域, 整治项目), and in a
    # deadline column filled in most rows. A blank unit cell names no unit: only a merged
    # one repeats the units above (in plain text, where merges do not show, a blank in a
    # mostly filled unit column is taken as one).
    inherit = [False] * width
    carried = (DEADLINE,) if table.shows_merges else (DEADLINE, *UNIT_ROLES)
    for index, role in enumerate(roles):
        filled = sum(1 for r in rows if r[index].text) / len(rows)
        inherit[index] = role == DOMAIN or (role in carried and filled > 0.5 and index != seq_col)
    # A rectification list (问题清单/整治清单): every row with text of its own is a task,
    # whatever its 序号 cell says.
    per_row = PROBLEM in roles or any(_RECTIFY.search(h) for h in table.header)
    text_cols = [i for i, r in enumerate(roles) if r in (TASK, TITLE, PROBLEM)]
    above = [""] * width
    tasks: list[_Pending] = []
    group = ""
    last_seq = None
    for row in rows:
        own = [c.text if not (c.merged or c.spanned) else "" for c in row]
        if not any(own) and not any(c.merged for c in row):
            continue
        grouping = _group_heading(row, own, roles)
        if grouping:
            group = grouping
            above = [""] * width
            continue
        value = [own[i] or (above[i] if row[i].merged or inherit[i] else "") for i in range(width)]
        task_text, bold = _task_text(row, col)
        # The cell that says which task a row belongs to: 序号, else the title, else the task.
        identity = seq_col if seq_col is not None else col.get(TITLE, col.get(TASK))
        if per_row:
            new = not tasks or any(own[i] for i in text_cols)
        elif seq_col is not None:
            seq_text = own[seq_col]
            new = not tasks or (bool(seq_text) and seq_text != last_seq)
            last_seq = seq_text or last_seq
        else:
            new = not tasks or bool(own[identity])
        if new:
            if not (task_text or any(own[i] for i in text_cols if roles[i] != TASK)):
                above = value
                continue
            task = _new_task(task_text, bold, value, col, roles, table.header)
            task.domain = (value[col[DOMAIN]] if DOMAIN in col else "") or group
            tasks.append(task)
        else:
            _continue_task(tasks[-1], row, own, col, roles)
        above = value
    return tasks


def _fit(row: list[Cell], width: int) -> list[Cell]:
    if len(row) < width:
        return row + [Cell("") for _ in range(width - len(row))]
    if len(row) > width:
        extra = "\n".join(c.text for c in row[width - 1 :] if c.text)
        return [*row[: width - 1], Cell(extra)]
    return row


def _group_heading(row: list[Cell], own: list[str], roles: list[str | None]) -> str:
    """A row that only names a group ("一、消防安全" across the table) sets the domain."""
    texts = [t for t in own if t]
    if len(set(texts)) != 1 or len(texts[0]) > 60 or any(c.merged for c in row):
        return ""
    index = own.index(texts[0])
    level, _number, name = split_number(texts[0])
    name = name.rstrip("。：:")
    if any(c.spanned for c in row) or len(texts) > 1:
        return name
    # "一、消防安全" or "（一）校舍安全" alone in its row, in whichever column: a section.
    if level in (1, 2) and first_sentence_end(name) in (-1, len(name)) and len(name) <= 30:
        return name
    if len(texts[0]) > 40:
        return ""
    # Alone in the first, 序号 or 领域 column: "一、消防安全" above its tasks. Alone in a
    # deadline or unit column it is a row adding to the task above.
    if roles[index] in (SEQ, DOMAIN) or (index == 0 and roles[index] not in (TASK, TITLE)):
        if norm(texts[0]).rstrip(".、").isdigit() or looks_like_deadline(texts[0]):
            return ""
        return name
    return ""


def _task_text(row: list[Cell], col: dict[str, int]) -> tuple[str, str]:
    column = col.get(TASK, col.get(TITLE))
    cell = row[column]
    text = cell.text if not (cell.merged or cell.spanned) else ""
    level, _number, rest = split_number(text)
    if level >= 3:
        text = rest
    bold = split_number(cell.bold)[2] if cell.bold else ""
    return text, bold


def _new_task(
    text: str,
    bold: str,
    value: list[str],
    col: dict[str, int],
    roles: list[str | None],
    header: list[str] | None = None,
) -> _Pending:
    text, trailer = split_trailer(text)
    if TITLE in col and TASK in col:
        title, content = _clean_title(value[col[TITLE]]), text
        if not title:
            title, content = split_title(text, bold)
    else:
        title, content = split_title(text, bold)
    problems = [i for i, r in enumerate(roles) if r == PROBLEM and value[i]]
    if problems:
        # 突出问题 beside 整治要求: both are the task's content, each under its header.
        header = header or [""] * len(roles)
        parts = [_labelled(header[i], value[i]) for i in problems]
        if content and TASK in col:
            parts.append(_labelled(header[col[TASK]], content))
        elif content:
            parts.append(content)
        content = "\n".join(parts)
    task = _Pending(title=title, content=content)
    for index, role in enumerate(roles):
        if role in UNIT_ROLES and value[index]:
            task.roles.merge(parse_roles(value[index], role))
    task.roles.merge(trailer)
    if DEADLINE in col and value[col[DEADLINE]]:
        task.phrases.append(value[col[DEADLINE]])
    if task.roles.deadline:
        task.phrases.append(task.roles.deadline)
    task.running = DEADLINE not in col
    return task


_RECTIFY = re.compile(r"(整治|整改|问题|隐患)")


def _labelled(header: str, text: str) -> str:
    label = re.sub(r"\s+", "", header)
    return f"{label}：{text}" if label else text


def _continue_task(
    task: _Pending, row: list[Cell], own: list[str], col: dict[str, int], roles
) -> None:
    """A row that adds to the task above: an extra requirement, its own deadline or units."""
    column = col.get(TASK, col.get(TITLE))
    for index, role in enumerate(roles):
        if role == PROBLEM and own[index]:
            task.content = f"{task.content}\n{own[index]}".strip()
    if own[column]:
        text, trailer = split_trailer(own[column])
        task.content = f"{task.content}\n{text}".strip()
        task.roles.merge(trailer)
        if trailer.deadline:
            task.phrases.append(trailer.deadline)
    if DEADLINE in col and own[col[DEADLINE]]:
        task.phrases.append(own[col[DEADLINE]])
    for index, role in enumerate(roles):
        if role in UNIT_ROLES and own[index]:
            task.roles.merge(parse_roles(own[index], role))


# ---------------------------------------------------------------------------------------------
# Numbered paragraphs

_TASK_SECTION = re.compile(r"(任务|重点工作|工作内容|主要措施|工作措施|具体措施|举措|工作重点)")
_OTHER_SECTION = re.compile(
    r"(目标|指导思想|总体要求|基本原则|原则|保障|要求|组织领导|领导小组|步骤|安排|阶段|附件"
    r"|适用范围|背景|依据|考核|问责|意义|总体思路|工作机制)"
)
_NAMED_SECTION = re.compile(
    r"^(指导思想|总体要求|总体目标|工作目标|目标任务|基本原则|工作原则|主要任务|重点任务|工作任务"
    r"|重点工作|工作措施|主要措施|保障措施|工作要求|组织领导|实施步骤|工作步骤|时间安排|进度安排"
    r"|组织保障|工作保障|职责分工|任务分工)$"
)
_DUE = re.compile(r"(前|底|完成|截止|月|长期|立即)")
_DEADLINE_TRAILER = re.compile(r"[（(]\s*([^（）()]{2,40}?)\s*[）)]\s*[。.]?$")


BOLD_LEVEL = 6


@dataclass
class _Item:
    level: int
    text: str
    bold: str
    section: int
    raw: str = ""
    roles: Roles = field(default_factory=Roles)
    continued: bool = False


def _is_short_heading(paragraph: Paragraph) -> bool:
    text = paragraph.text
    return (
        len(text) <= 20
        and "\n" not in text
        and text[-1] not in "。；;，,：:！？!?）)"
        and not looks_like_deadline(text)
        and not is_role_line(text)
    )


def _tasks_from_paragraphs(doc: Document) -> list[_Pending]:
    sections: list[str] = []  # "task", "other" or "" per section
    section_rank = 99
    items: list[_Item] = []
    current: _Item | None = None
    for block in doc.blocks:
        if not isinstance(block, Paragraph) or not block.text:
            continue
        level, _number, rest = split_number(block.text)
        if not level and block.list_level and not block.heading:
            level, rest = 2 + block.list_level, block.text
        if not level and block.bold and not block.heading and len(block.bold) < len(block.text):
            # "**加强消防安全。**各校要…": an unnumbered paragraph led by a bold title is an
            # item below every numbered level (a task when nothing is numbered).
            level, rest = BOLD_LEVEL, block.text
        rank = 0
        named = bool(level) and bool(_NAMED_SECTION.match(rest.strip().rstrip("。：:")))
        if named:
            rank = level  # "（二）主要任务" under "一、总体要求" is a section of its own
        elif level == 1 and len(rest) <= 30 and first_sentence_end(rest) in (-1, len(rest)):
            rank = 1
        elif not level and (block.heading or _is_short_heading(block)):
            rank = block.heading or 1
        if rank and (rank <= section_rank or not sections or named):
            kind = ""
            if _TASK_SECTION.search(rest):
                kind = "task"
            elif _OTHER_SECTION.search(rest):
                kind = "other"
            sections.append(kind)
            section_rank = rank
            current = None
            continue
        if rank:  # a sub-heading inside a section: a group of the tasks below it
            current = _Item(level=0, text=rest, bold="", section=len(sections) - 1)
            items.append(current)
            continue
        if level:
            bold = block.bold if block.bold and rest.startswith(block.bold) else ""
            current = _Item(
                level=level, text=rest, bold=bold, section=len(sections) - 1, raw=block.text
            )
            items.append(current)
        elif current is not None:
            body, roles = split_trailer(current.text)
            if roles:  # a trailer ends the paragraph the lines below continue
                current.roles.merge(roles)
                current.text, current.raw = body, split_trailer(current.raw)[0]
            if not current.continued and _is_title_line(current.text):
                # "1. 严格落实主体责任" on a line of its own, its content below.
                current.text += "\n" + block.text
                current.raw += "\n" + block.text
            else:
                current.text = join_broken(current.text, block.text)
                current.raw = join_broken(current.raw, block.text)
            current.continued = True
    wanted = {"task"} if "task" in sections else {""}
    items = [i for i in items if (sections[i.section] if i.section >= 0 else "") in wanted]
    return _items_to_tasks(items)


def _is_title_line(text: str) -> bool:
    return len(text) <= 30 and first_sentence_end(text) == -1 and "，" not in text


def _has_units(item: _Item) -> bool:
    roles = split_trailer(item.text)[1]
    roles.merge(item.roles)
    return bool(roles.lead or roles.responsible or roles.cooperating)


def _substantial(item: _Item) -> bool:
    body, roles = split_trailer(item.text)
    end = first_sentence_end(body)
    return bool(roles) or bool(item.roles) or len(body) > 50 or (end != -1 and end < len(body))


def _items_to_tasks(items: list[_Item]) -> list[_Pending]:
    levels = sorted({i.level for i in items if i.level})
    task_level = None
    # Units trailers mark the tasks; without any, the first level that carries content.
    for test in (_has_units, _substantial):
        for level in levels:
            at_level = [i for i in items if i.level == level]
            if sum(1 for i in at_level if test(i)) * 2 >= len(at_level):
                task_level = level
                break
        if task_level is not None:
            break
    if task_level is None:
        return []
    tasks: list[_Pending] = []
    groups: dict[int, tuple[str, Roles]] = {}
    current: _Pending | None = None
    for item in items:
        if item.level < task_level:
            body, roles = split_trailer(item.text)
            groups = {k: v for k, v in groups.items() if k < item.level}
            roles.merge(item.roles)
            groups[item.level] = (split_title(body, item.bold)[0], roles)
            current = None
        elif item.level == task_level:
            current = _paragraph_task(item, groups)
            tasks.append(current)
        elif current is not None:
            _body, roles = split_trailer(item.text)
            roles.merge(item.roles)
            current.content = f"{current.content}\n{_numbered(item)}".strip()
            current.roles.merge(roles)
            if roles.deadline:
                current.phrases.append(roles.deadline)
    return tasks


def _numbered(item: _Item) -> str:
    return split_trailer(item.raw or item.text)[0]


def _paragraph_task(item: _Item, groups: dict[int, tuple[str, Roles]]) -> _Pending:
    body, roles = split_trailer(item.text)
    roles.merge(item.roles)
    phrase = roles.deadline
    if not phrase:
        match = _DEADLINE_TRAILER.search(body)
        if match and looks_like_deadline(match.group(1)) and _DUE.search(match.group(1)):
            phrase = match.group(1)
            body = body[: match.start()].rstrip()
    title, content = split_title(body, item.bold)
    task = _Pending(title=title, content=content)
    task.roles.merge(roles)
    if not (roles.lead or roles.responsible or roles.cooperating):
        for _title, group_roles in groups.values():
            task.roles.add(LEAD, group_roles.lead)
            task.roles.add(RESPONSIBLE, group_roles.responsible)
            task.roles.add(COOPERATING, group_roles.cooperating)
    if phrase:
        task.phrases.append(phrase)
    task.domain = " / ".join(t for t, _roles in groups.values())
    return task


__all__ = ["build_plan", "split_title"]
