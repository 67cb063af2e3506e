"""Unit lists and the "(牵头单位:… 责任单位:…)" trailers of numbered paragraphs.

Names are returned as the document writes them; matching them to units is `matching.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import CLOSE_BRACKETS, OPEN_BRACKETS, norm, split_number, split_top_level, tidy

LEAD, RESPONSIBLE, COOPERATING, DEADLINE = "lead", "responsible", "cooperating", "deadline"
IGNORE = "ignore"  # people, not units: 责任人, 牵头领导 …

# Longest first so "牵头单位" wins over "牵头".
ROLE_KEYS: list[tuple[str, str]] = sorted(
    [
        *[
            (k, LEAD)
            for k in ("牵头单位", "牵头部门", "牵头科室", "牵头处室", "牵头股室", "牵头领导单位")
        ],
        *[(k, LEAD) for k in ("主办单位", "牵头")],
        *[
            (k, RESPONSIBLE)
            for k in (
                "责任单位",
                "责任部门",
                "责任科室",
                "责任处室",
                "责任股室",
                "主责单位",
                "主责部门",
                "承办单位",
                "实施单位",
                "落实单位",
                "完成单位",
            )
        ],
        *[
            (k, COOPERATING)
            for k in (
                "配合单位",
                "配合部门",
                "协办单位",
                "协同单位",
                "协助单位",
                "参与单位",
                "参加单位",
                "配合",
                "协办",
            )
        ],
        *[
            (k, IGNORE)
            for k in ("牵头领导", "责任领导", "分管领导", "责任人", "联系人", "督办领导")
        ],
        *[
            (k, DEADLINE)
            for k in (
                "完成时限",
                "完成时间",
                "时间节点",
                "时间要求",
                "截止时间",
                "完成期限",
                "时限",
            )
        ],
    ],
    key=lambda item: -len(item[0]),
)
_KEYS = "|".join(re.escape(k) for k, _ in ROLE_KEYS)
_ROLE_OF = dict(ROLE_KEYS)
# A key is only a key when a colon follows or it opens the segment ("牵头单位 保卫处").
_KEY = re.compile(rf"(?:^|(?<=[\s;；,，、]))({_KEYS})\s*(?:[:：]|\s+|(?=[^\s]))")
_STRICT_KEY = re.compile(rf"({_KEYS})\s*[:：]")
# "安全股（牵头）" or "安全股牵头": the role written after the name.
_MARKER = re.compile(
    r"(?:[（(]\s*(牵头|主责|配合|协办|协助)\s*[）)]|(?<=..)(牵头|配合|协办|协助))$"
)
_MARKER_ROLE = {"牵头": LEAD, "主责": RESPONSIBLE, "配合": COOPERATING}
_MARKER_ROLE.update({"协办": COOPERATING, "协助": COOPERATING})
UNIT_SEPARATORS = "、，,；;／/ \t\n\u3000"


_AND = re.compile(r"(?<=[股处室科局校园站办所队院会部心])[和及与](?=[\u4e00-\u9fff]{2})")


def _split_and(text: str) -> list[str]:
    pieces, start = [], 0
    for match in _AND.finditer(text):
        before = text[: match.start()]
        depth = sum(before.count(c) for c in OPEN_BRACKETS) - sum(
            before.count(c) for c in CLOSE_BRACKETS
        )
        if depth == 0:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def split_units(text: str) -> list[str]:
    """ "安全股，梁子湖高中、各中心小学 梧桐湖教办" → four names. Brackets stay whole;
    和/及/与 split only between two names ending like units ("安全股和基教股")."""
    names: list[str] = []
    parts: list[str] = []
    for part in split_top_level(tidy(text), UNIT_SEPARATORS):
        parts.extend(_split_and(part))
    for part in parts:
        name = part.strip().strip("。.:：")
        level, _number, rest = split_number(name)
        if level >= 3:  # "1.安全股 2.基教股"
            name = rest.strip()
        # "由安全股负责" → 安全股
        name = re.sub(r"^由(?=..)", "", name)
        name = re.sub(r"(?<=..)(负责|落实|承担)$", "", name)
        if len(name) > 2 and name.endswith("等"):
            name = name[:-1]
        if name and name not in names:
            names.append(name)
    return names


@dataclass
class Roles:
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    deadline: str = ""

    def add(self, role: str, names: list[str]) -> None:
        target: list[str] = getattr(self, role)
        for name in names:
            if name not in target:
                target.append(name)

    def merge(self, other: Roles) -> None:
        for role in (LEAD, RESPONSIBLE, COOPERATING):
            self.add(role, getattr(other, role))
        if other.deadline:
            self.deadline = f"{self.deadline} {other.deadline}".strip()

    def __bool__(self) -> bool:
        return bool(self.lead or self.responsible or self.cooperating or self.deadline)


def parse_roles(text: str, default: str = RESPONSIBLE) -> Roles:
    """Units of a cell or trailer, by role.

    "牵头单位:保卫处 责任单位:学校各单位" → lead [保卫处], responsible [学校各单位];
    "安全股（牵头）、基教股" → lead [安全股], the rest in `default`.
    """
    roles = Roles()
    text = tidy(text).replace("\n", " ")
    matches = (
        list(_KEY.finditer(text)) if _STRICT_KEY.search(text) or _starts_with_key(text) else []
    )
    if not matches:
        _add_marked(roles, text, default)
        return roles
    _add_marked(roles, text[: matches[0].start()], default)
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip(" ;；,，。")
        role = _ROLE_OF[match.group(1)]
        if role == DEADLINE:
            roles.deadline = f"{roles.deadline} {value}".strip()
        elif role == IGNORE:
            continue
        else:
            _add_marked(roles, value, role)
    return roles


def is_role_line(text: str) -> bool:
    """ "牵头单位：保卫处" on a line of its own."""
    return bool(_STRICT_KEY.match(norm(text.strip())))


def _starts_with_key(text: str) -> bool:
    return any(text.startswith(key) for key, _ in ROLE_KEYS if len(key) >= 4)


def _add_marked(roles: Roles, text: str, role: str) -> None:
    for name in split_units(text):
        marker = _MARKER.search(name)
        if marker:
            word = marker.group(1) or marker.group(2)
            roles.add(_MARKER_ROLE[word], [name[: marker.start()].strip()])
        else:
            roles.add(role, [name])


def split_trailer(text: str) -> tuple[str, Roles]:
    """Take the units trailer off the end of a paragraph.

    "…工作机制。(牵头单位:保卫处 责任单位:学校各单位)" → ("…工作机制。", roles). A trailer is a
    bracketed group at the end that starts with a role or deadline key, in full- or
    half-width brackets alike, or a last line that starts with a key.
    """
    body = text.rstrip()
    stripped = body.rstrip("。.；; ")
    if stripped and stripped[-1] in CLOSE_BRACKETS:
        start = _matching_open(stripped)
        if start is not None:
            inner = stripped[start + 1 : -1].strip()
            if _starts_with_key(norm(inner)) or _STRICT_KEY.match(norm(inner)):
                roles = parse_roles(inner)
                if roles:
                    return stripped[:start].rstrip(), roles
    lines = body.split("\n")
    if len(lines) > 1:
        last = lines[-1].strip()
        if _STRICT_KEY.match(last) or _STRICT_KEY.match(norm(last)):
            roles = parse_roles(last)
            if roles:
                return "\n".join(lines[:-1]).rstrip(), roles
    return body, Roles()


def _matching_open(text: str) -> int | None:
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char in CLOSE_BRACKETS:
            depth += 1
        elif char in OPEN_BRACKETS:
            depth -= 1
            if depth == 0:
                return index
    return None
