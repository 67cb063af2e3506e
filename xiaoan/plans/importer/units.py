"""Unit lists and the "(牵头单位:… 责任单位:…)" trailers of numbered paragraphs.

Names are returned as the document writes them; matching them to units is `matching.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


_AND = re.compile(r"[和及与]")
# What a unit's name ends with: 安全股, 保卫处, 实验室管理中心, 二级学院, 安全工作委员会 …
UNIT_SUFFIX = re.compile(
    r"(股|处|室|科|局|部|办|中心|学院|系|委员会|委|会|所|站|队|馆|院|校|园|学|组|厅|集团|公司"
    r"|小学|中学|幼儿园|教办|股室|处室|科室)$"
)
# Places that end like a unit but are not one on their own ("实验室与设备管理处").
_PLACES = {"实验室", "教室", "会议室", "阅览室", "图书室", "配电室", "档案室", "宿舍", "食堂"}

# The unit names the importer may check a split against (the issuer's units, set by the
# caller with `known_units`): a known whole name is never split.
_KNOWN: ContextVar[frozenset[str]] = ContextVar("known_units", default=frozenset())


@contextmanager
def known_units(names: Iterable[str]) -> Iterator[None]:
    token = _KNOWN.set(frozenset(_name_key(n) for n in names if n))
    try:
        yield
    finally:
        _KNOWN.reset(token)


def _name_key(name: str) -> str:
    return re.sub(r"[\s()（）【】\[\]]", "", norm(name))


def is_unit_name(name: str) -> bool:
    """A known unit, or a name shaped like one (ends in 股/处/室/中心/学院 …)."""
    key = _name_key(name)
    if key in _KNOWN.get():
        return True
    return len(key) >= 2 and key not in _PLACES and bool(UNIT_SUFFIX.search(key))


def looks_like_units(text: str) -> bool:
    """Every name in `text` is a unit name or a collective phrase (各学校)."""
    names = split_units(text)
    return bool(names) and all(is_unit_name(n) or n.startswith(("各", "全")) for n in names)


def _split_and(text: str) -> list[str]:
    """ "安全股和基教股" → two names; "实验室与设备管理处" or "文化和旅游局" stay whole: a
    conjunction splits only when every part is a unit name and the whole is not a known one."""
    cuts, depth = [], 0
    for index, char in enumerate(text):
        if char in OPEN_BRACKETS:
            depth += 1
        elif char in CLOSE_BRACKETS and depth:
            depth -= 1
        elif depth == 0 and _AND.match(char) and 0 < index < len(text) - 1:
            cuts.append(index)
    if not cuts or _name_key(text) in _KNOWN.get():
        return [text]
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(text[start:cut])
        start = cut + 1
    pieces.append(text[start:])
    if all(is_unit_name(piece) for piece in pieces):
        return pieces
    return [text]


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
        if re.fullmatch(r"[\d.、．\s-]*", norm(name)):
            continue  # a sequence number is never a unit
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
