"""Onboarding a whole district from one sheet: name, kind, parent and the school facts.

All rows are checked first; if any row is wrong nothing is written and every problem is
reported with its row number. Re-importing the same sheet updates instead of duplicating.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.core.errors import Invalid
from xiaoan.core.history import stamp
from xiaoan.core.names import normalize_name, skeleton
from xiaoan.core.scoping import forget_grants
from xiaoan.core.services import ensure_in_scope
from xiaoan.orgs.choices import SchoolType, UnitKind
from xiaoan.orgs.models import Unit, child_kind_allowed
from xiaoan.orgs.services import can_add_root, lookalike_error, lookalike_of

MAX_ROWS = 20000

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "单位名称", "单位", "name"),
    "kind": ("类型", "单位类型", "类别", "kind"),
    "parent": ("上级", "上级单位", "上级单位名称", "parent"),
    "school_type": ("学校类型", "学段", "办学类型", "school_type"),
    "code": ("代码", "单位代码", "学校标识码", "统一社会信用代码", "code"),
    "aliases": ("别名", "简称", "aliases"),
    "enrolment": ("在校生数", "在校学生数", "学生数", "enrolment"),
    "boarding": ("寄宿", "是否寄宿", "寄宿制", "boarding"),
    "boarding_students": ("住宿学生数", "住校生数", "boarding_students"),
    "staff_count": ("教职工数", "教职工人数", "staff_count"),
    "address": ("地址", "address"),
    "phone": ("电话", "联系电话", "phone"),
    "longitude": ("经度", "longitude"),
    "latitude": ("纬度", "latitude"),
}

KIND_WORDS: dict[str, str] = {
    "authority": UnitKind.AUTHORITY,
    "教育行政部门": UnitKind.AUTHORITY,
    "教育局": UnitKind.AUTHORITY,
    "教委": UnitKind.AUTHORITY,
    "教育厅": UnitKind.AUTHORITY,
    "教体局": UnitKind.AUTHORITY,
    "教办": UnitKind.AUTHORITY,
    "行政部门": UnitKind.AUTHORITY,
    "section": UnitKind.SECTION,
    "股室": UnitKind.SECTION,
    "股室/处室": UnitKind.SECTION,
    "科室": UnitKind.SECTION,
    "school": UnitKind.SCHOOL,
    "学校": UnitKind.SCHOOL,
    "department": UnitKind.DEPARTMENT,
    "部门": UnitKind.DEPARTMENT,
    "内设部门": UnitKind.DEPARTMENT,
    "内设部门/院系": UnitKind.DEPARTMENT,
    "院系": UnitKind.DEPARTMENT,
    "二级学院": UnitKind.DEPARTMENT,
    "系部": UnitKind.DEPARTMENT,
    "campus": UnitKind.CAMPUS,
    "校区": UnitKind.CAMPUS,
}
# "处室" names a section in a bureau and a department in a school: the parent decides.
AMBIGUOUS_KIND = {"处室"}
SCHOOL_TYPE_WORDS: dict[str, str] = {str(label): value for value, label in SchoolType.choices}
SCHOOL_TYPE_WORDS.update({value: value for value in SchoolType.values})
SCHOOL_TYPE_WORDS.update(
    {
        "中职学校": "vocational",
        "高职": "university",
        "大学": "university",
        "高等学校": "university",
        "九年一贯制": "nine_year",
        "特教学校": "special",
        "中学": "complete",
    }
)
TRUE_WORDS = {"是", "寄宿", "有", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "非寄宿", "走读", "无", "n", "no", "false", "0", ""}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    parent_ref: str
    kind_word: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Names and references are compared as stored: NFKC, no invisible characters.
    return normalize_name(str(value))


def _read_rows(
    source: IO[bytes] | bytes,
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    data = source if isinstance(source, bytes) else source.read()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, Exception):
        raise Invalid(_("无法读取该文件：请上传 Excel 工作簿（.xlsx）。")) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_map: dict[int, str] = {}
    header_row = 0
    for number, raw in enumerate(rows, start=1):
        cells = [_text(c) for c in raw]
        for index, cell in enumerate(cells):
            for key, words in HEADERS.items():
                if cell in words or cell.lower() in words:
                    header_map.setdefault(index, key)
        if "name" in header_map.values():
            header_row = number
            break
        header_map = {}
        if number >= 10:
            break
    if not header_row:
        book.close()
        raise Invalid(_("找不到表头：第一行应包含“名称”“类型”“上级单位”等列。"))
    missing = [k for k in ("name", "kind", "parent") if k not in header_map.values()]
    if missing:
        book.close()
        names = "、".join(HEADERS[k][1] if len(HEADERS[k]) > 1 else HEADERS[k][0] for k in missing)
        raise Invalid(_("表头缺少必需的列：%(cols)s。") % {"cols": names})
    out: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    for number, raw in enumerate(rows, start=header_row + 1):
        cells = {key: _text(raw[i]) if i < len(raw) else "" for i, key in header_map.items()}
        if not any(cells.values()):
            continue
        out.append((number, cells))
        if len(out) > MAX_ROWS:
            errors.append(RowError(number, "", _("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS}))
            break
    book.close()
    return out, errors


def _int_field(row: int, label: str, value: str, errors: list[RowError]) -> int | None:
    if value == "":
        return None
    try:
        number = int(float(value))
    except ValueError:
        errors.append(RowError(row, label, _("“%(v)s”不是数字。") % {"v": value}))
        return None
    if number < 0:
        errors.append(RowError(row, label, _("不能是负数。")))
        return None
    return number


def _degrees(
    row: int, label: str, value: str, bound: int, errors: list[RowError]
) -> Decimal | None:
    """经度/纬度 in decimal degrees (WGS-84, as a phone's map reads them)."""
    if value == "":
        return None
    try:
        number = Decimal(value.strip()) if len(value) <= 20 else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors.append(RowError(row, label, _("“%(v)s”不是经纬度数值。") % {"v": value[:20]}))
        return None
    if not -bound <= number <= bound:
        errors.append(RowError(row, label, _("须在 -%(b)d 到 %(b)d 之间。") % {"b": bound}))
        return None
    return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _parse(number: int, cells: dict[str, str], errors: list[RowError]) -> _Row | None:
    before = len(errors)
    name = cells.get("name", "")
    if not name:
        errors.append(RowError(number, _("名称"), _("名称不能为空。")))
    elif len(name) > 100:
        errors.append(RowError(number, _("名称"), _("名称不能超过100个字。")))
    kind_word = cells.get("kind", "")
    school_type_word = cells.get("school_type", "")
    kind = KIND_WORDS.get(kind_word) or KIND_WORDS.get(kind_word.lower(), "")
    if not kind and kind_word in SCHOOL_TYPE_WORDS:
        # "小学" as a kind means a school of that type.
        kind, school_type_word = UnitKind.SCHOOL, school_type_word or kind_word
    if not kind and kind_word not in AMBIGUOUS_KIND:
        errors.append(
            RowError(
                number,
                _("类型"),
                _(
                    "无法识别的单位类型“%(v)s”：可填教育局、股室、学校（或小学、初中等）、部门、校区。"
                )
                % {"v": kind_word},
            )
        )
    school_type = ""
    if school_type_word:
        school_type = SCHOOL_TYPE_WORDS.get(school_type_word, "")
        if not school_type:
            errors.append(
                RowError(
                    number,
                    _("学校类型"),
                    _("无法识别的学校类型“%(v)s”。") % {"v": school_type_word},
                )
            )
    if kind == UnitKind.SCHOOL and not school_type_word:
        errors.append(RowError(number, _("学校类型"), _("学校必须填写学校类型。")))
    boarding_word = cells.get("boarding", "").lower()
    # Blank (or no such column): not given, so an existing unit keeps what it has.
    boarding: bool | None = None
    if boarding_word in TRUE_WORDS:
        boarding = True
    elif boarding_word in FALSE_WORDS and boarding_word:
        boarding = False
    elif boarding_word:
        errors.append(RowError(number, _("寄宿"), _("请填“是”或“否”。")))
    values: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "school_type": school_type if kind == UnitKind.SCHOOL else "",
        "code": cells.get("code", "")[:40],
        "aliases": cells.get("aliases", "")[:300],
        "address": cells.get("address", "")[:200],
        "phone": cells.get("phone", "")[:40],
        "boarding": boarding,
        "enrolment": _int_field(number, _("在校学生数"), cells.get("enrolment", ""), errors),
        "boarding_students": _int_field(
            number, _("住宿学生数"), cells.get("boarding_students", ""), errors
        ),
        "staff_count": _int_field(number, _("教职工数"), cells.get("staff_count", ""), errors),
        "longitude": _degrees(number, _("经度"), cells.get("longitude", ""), 180, errors),
        "latitude": _degrees(number, _("纬度"), cells.get("latitude", ""), 90, errors),
    }
    if kind and kind != UnitKind.SCHOOL and school_type_word and kind_word not in SCHOOL_TYPE_WORDS:
        errors.append(RowError(number, _("学校类型"), _("只有学校需要填写学校类型。")))
    boarders, enrolment = values["boarding_students"], values["enrolment"]
    if boarders is not None and enrolment is not None and boarders > enrolment:
        errors.append(RowError(number, _("住宿学生数"), _("住宿学生数不能多于在校学生数。")))
    if len(errors) > before:
        return None
    return _Row(number, values, cells.get("parent", ""), kind_word)


def import_units(user: Any, source: IO[bytes] | bytes, *, dry_run: bool = False) -> ImportResult:
    """Check every row, then write all of them in one transaction, or none."""
    raw_rows, errors = _read_rows(source)
    result = ImportResult(rows=len(raw_rows), errors=errors)
    parsed: list[_Row] = []
    for number, cells in raw_rows:
        row = _parse(number, cells, result.errors)
        if row:
            parsed.append(row)
    if not raw_rows:
        result.errors.append(RowError(0, "", _("表格中没有数据行。")))

    allowed = list(Unit.objects.restrict(user, "add").only("id", "name", "path", "kind", "aliases"))
    visible = {u.path: u for u in Unit.objects.restrict(user, "view").only("id", "name", "path")}
    by_name: dict[str, list[Unit]] = {}
    for unit in allowed:
        by_name.setdefault(unit.name, []).append(unit)

    def full_path_name(unit: Unit) -> str:
        names, path = [], unit.path
        while path:
            node = visible.get(path)
            if node is None:
                break
            names.append(node.name)
            path = path[: -Unit.steplen]
        return "/".join(reversed(names))

    by_full_name = {full_path_name(u): u for u in allowed}
    sheet_names: dict[str, list[_Row]] = {}
    for row in parsed:
        sheet_names.setdefault(row.values["name"], []).append(row)

    # Resolve each row's parent: a unit already in scope or another row of the sheet.
    plan: dict[int, tuple[_Row, Unit | _Row | None]] = {}
    for row in parsed:
        ref = row.parent_ref
        parent: Unit | _Row | None = None
        if not ref:
            if not can_add_root(user):
                result.errors.append(RowError(row.number, _("上级单位"), _("上级单位不能为空。")))
                continue
        else:
            # A row of the sheet wins over an existing unit of the same name: that row
            # updates the existing unit when it is written.
            in_sheet = [r for r in sheet_names.get(ref, []) if r is not row]
            if "/" in ref:
                existing = [by_full_name[ref]] if ref in by_full_name else []
            else:
                existing = by_name.get(ref, [])
            candidates: list[Unit | _Row] = list(in_sheet) or list(existing)
            if not candidates:
                result.errors.append(
                    RowError(
                        row.number,
                        _("上级单位"),
                        _("找不到上级单位“%(p)s”，或它不在您的管理范围内。") % {"p": ref},
                    )
                )
                continue
            if len(candidates) > 1:
                result.errors.append(
                    RowError(
                        row.number,
                        _("上级单位"),
                        _("上级单位“%(p)s”有重名，请写完整路径，如“上级/%(p)s”。") % {"p": ref},
                    )
                )
                continue
            parent = candidates[0]
        plan[row.number] = (row, parent)

    # Each row becomes (or updates) the unit of that name under its parent.
    order: list[_Row] = []
    state: dict[int, int] = {}

    def visit(row: _Row) -> bool:
        mark = state.get(row.number)
        if mark == 2:
            return True
        if mark == 1:
            result.errors.append(RowError(row.number, _("上级单位"), _("上级关系出现循环。")))
            return False
        state[row.number] = 1
        _row, parent = plan[row.number]
        if isinstance(parent, _Row):
            if parent.number not in plan or not visit(parent):
                state[row.number] = 2
                return False
        state[row.number] = 2
        order.append(row)
        return True

    for row, _parent in plan.values():
        visit(row)

    kinds: dict[int, str] = {}
    for row in order:
        _row, parent = plan[row.number]
        parent_kind = (
            kinds.get(parent.number)
            if isinstance(parent, _Row)
            else (parent.kind if parent else None)
        )
        kind = row.values["kind"]
        if not kind and row.kind_word in AMBIGUOUS_KIND:
            kind = UnitKind.SECTION if parent_kind == UnitKind.AUTHORITY else UnitKind.DEPARTMENT
            row.values["kind"] = kind
        kinds[row.number] = kind
        if parent_kind is not None or parent is None:
            if not child_kind_allowed(parent_kind, kind):
                result.errors.append(
                    RowError(
                        row.number,
                        _("类型"),
                        _("%(kind)s不能放在%(parent)s之下。")
                        % {
                            "kind": UnitKind(kind).label,
                            "parent": UnitKind(parent_kind).label if parent_kind else _("顶层"),
                        },
                    )
                )
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for row in order:
        _row, parent = plan[row.number]
        key = (
            f"row{parent.number}" if isinstance(parent, _Row) else str(parent.pk if parent else ""),
            skeleton(row.values["name"]),
        )
        if key in seen:
            number, name = seen[key]
            message = (
                _("与第 %(n)d 行重复：同一上级下的单位名称不能相同。")
                if name == row.values["name"]
                else _("与第 %(n)d 行的“%(other)s”看起来相同：同一上级下的单位名称不能相近。")
            )
            result.errors.append(
                RowError(row.number, _("名称"), message % {"n": number, "other": name})
            )
        seen[key] = (row.number, row.values["name"])

    # A row that updates an existing unit must leave it consistent with the facts it keeps.
    stored = {
        (u.path[: -Unit.steplen], u.name): u
        for u in Unit.objects.filter(name__in={r.values["name"] for r in order}).only(
            "path", "name", "kind", "enrolment", "boarding_students"
        )
    }
    found: dict[int, Unit | None] = {}
    for row in order:
        _row, parent = plan[row.number]
        if isinstance(parent, _Row):
            above = found.get(parent.number)
            parent_path = above.path if above is not None else None
        else:
            parent_path = parent.path if parent else ""
        unit = stored.get((parent_path, row.values["name"])) if parent_path is not None else None
        found[row.number] = unit
        if unit is None:
            # A new unit: its name must not read like that of an existing one nearby.
            above = parent if not isinstance(parent, _Row) else found.get(parent.number)
            if above is not None or parent is None:
                clash = lookalike_of(row.values["name"], row.values["kind"], above)
                if clash is not None:
                    error = lookalike_error(row.values["name"], clash, above)
                    result.errors.append(RowError(row.number, _("名称"), str(error.message)))
            continue
        enrolment = row.values["enrolment"]
        boarders = row.values["boarding_students"]
        enrolment = unit.enrolment if enrolment is None else enrolment
        boarders = unit.boarding_students if boarders is None else boarders
        if boarders is not None and enrolment is not None and boarders > enrolment:
            result.errors.append(
                RowError(row.number, _("住宿学生数"), _("住宿学生数不能多于在校学生数。"))
            )
        if unit.kind != row.values["kind"]:
            children = Unit.objects.filter(
                path__startswith=unit.path, depth=len(unit.path) // Unit.steplen + 1
            ).only("name", "kind")
            bad = [c.name for c in children if not child_kind_allowed(row.values["kind"], c.kind)]
            if bad:
                result.errors.append(
                    RowError(
                        row.number,
                        _("类型"),
                        _("下级单位“%(names)s”不能放在该类型的单位下。")
                        % {"names": "、".join(bad)},
                    )
                )

    result.errors.sort(key=lambda e: e.row)
    if result.errors or dry_run:
        return result
    _write(user, order, plan, result)
    return result


@transaction.atomic
def _write(user: Any, order: list[_Row], plan: dict, result: ImportResult) -> None:
    made: dict[int, Unit] = {}
    for row in order:
        _row, parent_ref = plan[row.number]
        parent = made[parent_ref.number] if isinstance(parent_ref, _Row) else parent_ref
        siblings = Unit.objects.get_children(parent) if parent else Unit.objects.get_root_nodes()
        unit = siblings.filter(name=row.values["name"]).first()
        if unit is not None:
            changed = False
            for key, value in row.values.items():
                if value in ("", None):
                    continue
                if getattr(unit, key) != value:
                    setattr(unit, key, value)
                    changed = True
            if unit.kind != UnitKind.SCHOOL and unit.school_type:
                unit.school_type = ""
                changed = True
            if changed:
                stamp(unit, user).save()
                ensure_in_scope(user, unit, "change")
                result.updated += 1
        else:
            values = dict(row.values)
            if values["boarding"] is None:
                values["boarding"] = False
            unit = stamp(Unit(**values), user)
            unit = (
                Unit.objects.add_child(parent, instance=unit)
                if parent
                else Unit.objects.add_root(instance=unit)
            )
            if parent is not None:
                parent.refresh_from_db(fields=["numchild"])
            result.created += 1
        made[row.number] = unit
    created_units = [u for u in made.values()]
    visible = set(
        Unit.objects.restrict(user, "view")
        .filter(pk__in=[u.pk for u in created_units])
        .values_list("pk", flat=True)
    )
    if len(visible) != len(created_units):
        from xiaoan.core.errors import Forbidden

        raise Forbidden(_("部分单位不在您的管理范围内，导入已撤销。"))
    from xiaoan.reports import rollups  # new schools count in their superiors' figures

    rollups.changed(Unit, [u.pk for u in created_units])
    forget_grants(user)
