"""What a table column holds, from its header text."""

from __future__ import annotations

import re

from .text import norm

SEQ, DOMAIN, TITLE, TASK, DEADLINE = "seq", "domain", "title", "task", "deadline"
PHASE = "phase"
# What a rectification list (问题清单) says is wrong: part of the task, shown with its header.
PROBLEM = "problem"
LEAD, RESPONSIBLE, COOPERATING, IGNORE = "lead", "responsible", "cooperating", "ignore"
UNIT_ROLES = (LEAD, RESPONSIBLE, COOPERATING)

# Checked in order: the first rule that matches names the column.
_RULES: list[tuple[str, re.Pattern[str]]] = [
    (SEQ, re.compile(r"^(序号|编号|序|项次|顺序号?|排序|No\.?|#)$", re.I)),
    (PHASE, re.compile(r"^(工作|实施|推进)?(阶段|步骤)(名称)?$")),
    # "责任单位及责任人" is a unit column that also names people: not ignored.
    (RESPONSIBLE, re.compile(r"(单位|部门|科室|股室|处室).*(责任人|联系人)")),
    (
        IGNORE,
        re.compile(
            r"(责任人|联系人|责任领导|分管领导|领导|备注|完成情况|进展|佐证|说明|评分|分值)"
        ),
    ),
    (DOMAIN, re.compile(r"(领域|类别|分类|板块|类型|对应部门|行业|项目$)")),
    (LEAD, re.compile(r"(牵头|主办)")),
    (COOPERATING, re.compile(r"(配合|协办|协同|参与|协助)")),
    (DEADLINE, re.compile(r"(时限|时间|期限|节点|日期|进度安排)")),
    (TITLE, re.compile(r"(名称|标题|任务名|事项名)")),
    (PROBLEM, re.compile(r"^(?!.*(措施|要求|任务|内容)).*(问题|隐患|风险点|短板)")),
    (TASK, re.compile(r"(任务|清单|内容|措施|事项|要求|工作|要点|举措)")),
    (RESPONSIBLE, re.compile(r"(责任|主责|承办|实施|落实|单位|部门|科室|股室|处室|主体)")),
]


def column_role(header: str) -> str | None:
    text = re.sub(r"\s+", "", norm(header))
    if not text or len(text) > 16:
        return None
    for role, pattern in _RULES:
        if pattern.search(text):
            return role
    return None


def header_roles(cells: list[str]) -> list[str | None] | None:
    """Column roles if `cells` is a task table's header row, else None."""
    roles = [column_role(cell) for cell in cells]
    found = [r for r in roles if r and r != IGNORE]
    if len(found) < 2 or not any(r in (TASK, TITLE, PROBLEM) for r in found):
        return None
    if PHASE in found and not any(r in UNIT_ROLES for r in found):
        return None  # the plan's phases (动员部署 → 排查整治 …), not its tasks
    roles = [DOMAIN if r == PHASE else r for r in roles]  # a phase groups the tasks
    # Two task-like columns: the first is the title ("工作任务"), the second the detail
    # ("具体措施"). A title column beside a task column makes the task column the detail.
    tasks = [i for i, r in enumerate(roles) if r == TASK]
    if TITLE not in roles and len(tasks) >= 2:
        roles[tasks[0]] = TITLE
    # A rectification list without a task column: the problem names the row, the
    # requirement (整治要求) is its content; a list of problems alone is a list of tasks.
    if PROBLEM in roles and TITLE not in roles:
        roles[roles.index(PROBLEM)] = TITLE if TASK in roles else TASK
    return roles
