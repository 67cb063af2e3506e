"""A register's Excel: the downloadable template, the import and the export, all read from
the register's `columns` (`xiaoan.core.registers.SheetColumn`).

The import follows the unit import (`xiaoan.orgs.importer`): every row is read and checked
first — cell values against the model fields, the unit against the person's scope, the place
against the unit's school, the natural key against the other rows, then the model's own
`full_clean` on the item each row would make — and the errors are reported per row and
column in Chinese; if any row is wrong nothing is written. Otherwise all rows are written in
one transaction through the register's services (so history, due dates and rules such as
危房 → hazard run as for a form). A row matches an existing item of the same unit by 编号
(code), or by 名称 when it has no 编号: re-importing a sheet updates rather than duplicates.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xiaoan.core.errors import Invalid, ServiceError
from xiaoan.core.fields import is_masked_field, unmask
from xiaoan.core.names import normalize_name
from xiaoan.core.registers import (
    Register,
    SheetColumn,
    create,
    field_display,
    place_fits,
    update,
)
from xiaoan.core.xlsx import Column, Sheet, streamed

MAX_ROWS = 5000
TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "没有", "n", "no", "false", "0", "×"}
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


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
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ok": self.ok,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


def _field(register: Register, column: SheetColumn) -> models.Field:
    return register.model._meta.get_field(column.field)


def header_of(register: Register, column: SheetColumn) -> str:
    return str(column.header or _field(register, column).verbose_name)


# ---------------------------------------------------------------- export and template


def _display(item: Any, name: str) -> Any:
    """A cell of the export: what the pages show (registers.field_display), as plain text or
    a number Excel can sum."""
    value = field_display(item, name)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _columns(register: Register) -> list[Column]:
    return [
        Column(
            header_of(register, c),
            c.width,
            (lambda item, _ctx, c=c: c.render(item))
            if c.render is not None
            else (lambda item, _ctx, name=c.field: _display(item, name)),
        )
        for c in register.columns
    ]


def write(register: Register, items, fileobj: IO[bytes], *, template: bool = False) -> int:
    workbook = Workbook(write_only=True)
    title = str(register.label) if not template else _("%(r)s导入模板") % {"r": register.label}
    above = (
        [] if template else [_("导出时间：%(t)s") % {"t": f"{timezone.localtime():%Y-%m-%d %H:%M}"}]
    )
    sheet = Sheet(workbook, str(register.verbose_name), title, _columns(register), above=above)
    for item in items:
        sheet.row(item)
    if template:
        notes = [c for c in register.columns if c.parse is None and _field(register, c).choices]
        sheet.line(
            _("说明：从第 %(n)d 行起每行填写一条；带 * 的列必填。") % {"n": sheet.header_row + 1}
        )
        for column in notes:
            labels = "、".join(str(label) for _v, label in _field(register, column).choices)
            sheet.line(f"{header_of(register, column)}：{labels}")
        for column in register.columns:
            if column.help:
                sheet.line(f"{header_of(register, column)}：{column.help}")
    sheet.finish()
    workbook.save(fileobj)
    return sheet.count


def xlsx_response(register: Register, items, filename: str, *, template: bool = False):
    """Write to a temporary file and stream it (rows are read in chunks, not kept)."""
    return streamed(
        lambda handle: write(register, items, handle, template=template) and None,
        filename,
        f"register-{register.key}",
    )


def export_response(register: Register, queryset):
    name = f"{register.label}-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(register, queryset.iterator(chunk_size=500), name)


def template_response(register: Register):
    return xlsx_response(register, [], f"{register.label}导入模板.xlsx", template=True)


# ---------------------------------------------------------------- import: reading


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return normalize_name(str(value))


def _headers(register: Register) -> dict[str, SheetColumn]:
    out: dict[str, SheetColumn] = {}
    for column in register.columns:
        if column.export_only:
            continue
        for word in (header_of(register, column), column.field, *column.aliases):
            out.setdefault(normalize_name(word).rstrip("*").strip().lower(), column)
    return out


def _has_required(register: Register, found: dict[int, SheetColumn]) -> bool:
    required = [c for c in register.columns if c.required and not c.export_only]
    return bool(required) and all(c in found.values() for c in required)


def read_rows(register: Register, source: IO[bytes] | bytes) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {field: raw cell}) of each non-empty row under the header row."""
    from django.conf import settings
    from openpyxl import load_workbook

    limit = settings.XIAOAN_IMPORT_MAX_BYTES
    data = source if isinstance(source, bytes) else source.read(limit + 1)
    if len(data) > limit:
        raise Invalid(_("文件过大：导入文件不能超过 %(n)d MB。") % {"n": limit // (1024 * 1024)})
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise Invalid(_("无法读取该文件：请上传 Excel 工作簿（.xlsx）。")) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        known = _headers(register)
        header: dict[int, SheetColumn] = {}
        header_row = 0
        for number, raw in enumerate(rows, start=1):
            found = {}
            for index, cell in enumerate(raw or ()):
                column = known.get(_text(cell).rstrip("*").strip().lower())
                if column is not None and column not in found.values():
                    found[index] = column
            if any(c.field == "name" for c in found.values()) or (
                register.default_name is not None and _has_required(register, found)
            ):
                header, header_row = found, number
                break
            if number >= 10:
                break
        if not header_row:
            raise Invalid(_("找不到表头：请使用下载的模板，表头须包含“名称”等列。"))
        missing = [
            header_of(register, c)
            for c in register.columns
            if c.required and not c.export_only and c not in header.values()
        ]
        if missing:
            raise Invalid(_("表头缺少必需的列：%(cols)s。") % {"cols": "、".join(missing)})
        out: list[tuple[int, dict[str, Any]]] = []
        for number, raw in enumerate(rows, start=header_row + 1):
            raw = raw or ()
            cells = {c.field: raw[i] if i < len(raw) else None for i, c in header.items()}
            if not any(_text(v) for v in cells.values()):
                continue
            out.append((number, cells))
            if len(out) > MAX_ROWS:
                raise Invalid(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
        return out
    finally:
        book.close()


# ---------------------------------------------------------------- import: checking


def _time(raw: Any, text: str) -> dt.time:
    """A time cell (Excel keeps a time as a fraction of a day) or "8:30" / "08:30:00"."""
    if isinstance(raw, dt.datetime):
        return raw.time().replace(second=0, microsecond=0)
    if isinstance(raw, dt.time):
        return raw.replace(second=0, microsecond=0)
    if isinstance(raw, (int, float)) and 0 <= raw < 1:
        minutes = round(raw * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    match = re.fullmatch(r"(\d{1,2})[:：](\d{2})(?::\d{2})?", text.strip())
    if match is None:
        raise ValueError(text)
    return dt.time(int(match.group(1)), int(match.group(2)))


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = DATE_RE.match(_text(value))
    if not match:
        raise ValueError
    return dt.date(*(int(g) for g in match.groups()))


def _cell(register: Register, column: SheetColumn, raw: Any, context: dict) -> Any:
    """The field's value from a cell; ValueError with the Chinese reason."""
    if column.parse is not None:
        return column.parse(raw)
    model_field = _field(register, column)
    text = _text(raw)
    if column.field == "unit":
        return text  # resolved with the scope below
    if column.field == "place":
        return text
    if text == "":
        if isinstance(model_field, models.BooleanField):
            return False
        return None if model_field.null else ""
    if model_field.choices:
        # Labels compared as cells are (NFKC: full-width brackets read as ASCII ones), and
        # the short form before a bracket ("C级" for "C级（局部危房）").
        choices: dict[str, Any] = {}
        for value, label in model_field.choices:
            label = normalize_name(str(label))
            choices.setdefault(label, value)
            choices.setdefault(label.split("(")[0].strip(), value)
            choices.setdefault(str(value), value)
        if text not in choices:
            labels = "、".join(str(label) for _v, label in model_field.choices)
            raise ValueError(_("“%(v)s”不是可选值（%(l)s）。") % {"v": text[:30], "l": labels})
        return choices[text]
    if isinstance(model_field, models.BooleanField):
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ValueError(_("请填“是”或“否”。"))
    if isinstance(model_field, models.TimeField):
        try:
            return _time(raw, text)
        except (ValueError, TypeError):
            raise ValueError(_("“%(v)s”不是时间（如 08:30）。") % {"v": text[:30]}) from None
    if isinstance(model_field, models.DateField):
        try:
            return _date(raw)
        except (ValueError, TypeError):
            raise ValueError(_("“%(v)s”不是日期（如 2024-05-01）。") % {"v": text[:30]}) from None
    if isinstance(model_field, models.IntegerField):
        try:
            number = Decimal(text) if len(text) <= 20 else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("“%(v)s”不是整数。") % {"v": text[:30]})
        return int(number)
    if isinstance(model_field, models.DecimalField):
        try:
            number = Decimal(text) if len(text) <= 20 else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("“%(v)s”不是数字。") % {"v": text[:30]})
        return number
    if model_field.max_length and len(text) > model_field.max_length:
        raise ValueError(_("不能超过 %(n)d 个字。") % {"n": model_field.max_length})
    return text


@dataclass
class _Plan:
    number: int
    values: dict[str, Any]
    existing: Any = None


def _unit_lookup(register: Register, user: Any) -> tuple[dict[str, list], dict[str, Any]]:
    """Units where the person may add items, by name and by "上级/名称" path."""
    units = list(register.units(user, "add").only("id", "name", "path", "kind"))
    by_name: dict[str, list] = {}
    by_path = {u.path: u for u in units}
    for unit in units:
        by_name.setdefault(unit.name, []).append(unit)
    full: dict[str, Any] = {}
    for unit in units:
        parent = by_path.get(unit.path[:-4])
        if parent is not None:
            full[f"{parent.name}/{unit.name}"] = unit
    return by_name, full


def check_rows(
    register: Register,
    user: Any,
    rows: list[tuple[int, dict[str, Any]]],
    default_unit: Any = None,
):
    from xiaoan.orgs.models import Place

    result = ImportResult(rows=len(rows))
    if not rows:
        result.errors.append(RowError(0, "", _("表格中没有数据行。")))
        return result, []
    extra = _parsed_columns(register)
    by_name, full = _unit_lookup(register, user)
    current = default_unit
    columns = {c.field: c for c in register.columns if not c.export_only}
    plans: list[_Plan] = []
    for number, cells in rows:
        values: dict[str, Any] = {}
        before = len(result.errors)
        for name, raw in cells.items():
            column = columns[name]
            try:
                values[name] = _cell(register, column, raw, {})
            except ValueError as error:
                result.errors.append(RowError(number, header_of(register, column), str(error)))
        unit_text = values.pop("unit", "") or ""
        if unit_text:
            found = [full[unit_text]] if unit_text in full else by_name.get(unit_text, [])
            if len(found) != 1:
                message = (
                    _("单位“%(u)s”有重名，请写“上级/单位”。")
                    if len(found) > 1
                    else _("找不到单位“%(u)s”，或您不能在该单位登记。")
                )
                result.errors.append(
                    RowError(number, str(_("所属单位")), message % {"u": unit_text[:50]})
                )
            else:
                values["unit"] = found[0]
        elif current is not None:
            values["unit"] = current
        else:
            result.errors.append(RowError(number, str(_("所属单位")), _("请填写所属单位。")))
        if not values.get("name") and register.default_name is not None:
            values["name"] = register.default_name(values)
        if not values.get("name"):
            result.errors.append(RowError(number, str(_("名称")), _("名称不能为空。")))
        if len(result.errors) == before:
            plans.append(_Plan(number, values))
    # Places by full name within each unit's school; natural keys within the sheet.
    seen: dict[tuple, int] = {}
    places_cache: dict[int, dict[str, Any]] = {}
    for plan in plans:
        unit = plan.values["unit"]
        place_text = plan.values.pop("place", "") or ""
        plan.values["place"] = None
        if place_text:
            from xiaoan.core.registers import home_unit

            school = home_unit(unit)
            if school.pk not in places_cache:
                places = Place.objects.filter(
                    unit__path__startswith=school.path, is_active=True
                ).select_related("unit", "parent__parent__parent")
                lookup: dict[str, Any] = {}
                for place in places:
                    lookup.setdefault(place.full_name, place)
                    lookup.setdefault(place.name, place)
                places_cache[school.pk] = lookup
            place = places_cache[school.pk].get(place_text)
            if place is None or not place_fits(place, unit):
                result.errors.append(
                    RowError(
                        plan.number,
                        str(_("场所")),
                        _("找不到场所“%(p)s”（须是该单位登记的场所）。") % {"p": place_text[:50]},
                    )
                )
            else:
                plan.values["place"] = place
        code = plan.values.get("code") or ""
        if register.natural_key:
            key = (unit.pk, *(_key_part(plan.values.get(n)) for n in register.natural_key))
            what = header_of(register, _key_column(register))
        else:
            key = (unit.pk, "code", code) if code else (unit.pk, "name", plan.values["name"])
            what = str(_("编号") if code else _("名称"))
        if key in seen:
            result.errors.append(
                RowError(
                    plan.number,
                    what,
                    _("与第 %(n)d 行重复：同一单位的台账不能重复登记。") % {"n": seen[key]},
                )
            )
        seen[key] = plan.number
    # Columns naming other records (keyholders), resolved for the row's unit.
    resolved = [c for c in register.columns if c.resolve is not None and not c.export_only]
    caches: dict[str, dict] = {c.field: {} for c in resolved}
    unresolved: set[int] = set()
    for plan in plans:
        for column in resolved:
            if column.field not in plan.values:
                continue
            text = plan.values[column.field] or ""
            try:
                plan.values[column.field] = (
                    column.resolve(plan.values["unit"], text, caches[column.field])
                    if text
                    else None
                )
            except ValueError as error:
                plan.values.pop(column.field)
                unresolved.add(plan.number)
                result.errors.append(RowError(plan.number, header_of(register, column), str(error)))
    # Existing items matched by natural key (one query), then each item's own rules.
    model = register.model
    unit_ids = {p.values["unit"].pk for p in plans}
    stored = model._default_manager.filter(unit_id__in=unit_ids, retired_at__isnull=True)
    by_code = {(i.unit_id, i.code): i for i in stored if i.code}
    by_key = {
        (i.unit_id, *(_key_part(getattr(i, n)) for n in register.natural_key)): i
        for i in stored
        if register.natural_key
    }
    by_item_name: dict[tuple, list] = {}
    for item in stored:
        by_item_name.setdefault((item.unit_id, item.name), []).append(item)
    changeable = set(
        model._default_manager.restrict(user, "change")
        .filter(unit_id__in=unit_ids)
        .values_list("pk", flat=True)
    )
    for plan in plans:
        unit, code = plan.values["unit"], plan.values.get("code") or ""
        if register.natural_key:
            key = (unit.pk, *(_key_part(plan.values.get(n)) for n in register.natural_key))
            existing = by_key.get(key)
            if existing is None and code and "code" not in register.natural_key:
                # Not found by its natural key (renamed in the sheet): its 编号 finds it.
                existing = by_code.get((unit.pk, code))
        elif code:
            existing = by_code.get((unit.pk, code))
        else:
            named = by_item_name.get((unit.pk, plan.values["name"]), [])
            if len(named) > 1:
                result.errors.append(
                    RowError(
                        plan.number,
                        str(_("名称")),
                        _("该单位有多条同名台账，请填写编号以区分。"),
                    )
                )
                continue
            existing = named[0] if named else None
        if existing is not None and existing.pk not in changeable:
            result.errors.append(RowError(plan.number, "", _("您不能修改该单位已有的这条台账。")))
            continue
        plan.existing = existing
        for name, value in list(plan.values.items()):
            # A masked cell of an exported sheet (an ID number) keeps the stored value.
            if name in extra:
                continue
            if existing is not None and is_masked_field(model._meta.get_field(name)):
                plan.values[name] = unmask(value, getattr(existing, name))
        if plan.number not in unresolved:  # a keyholder not found: said once, per column
            _check_item(register, plan, result)
    result.errors.sort(key=lambda e: e.row)
    return result, plans


def _key_part(value: Any) -> Any:
    return "" if value is None else value


def _key_column(register: Register) -> SheetColumn:
    """The natural key's last column (the number, after its kind) names a duplicate."""
    last = register.natural_key[-1]
    return next(c for c in register.columns if c.field == last)


def _parsed_columns(register: Register) -> set[str]:
    """Columns that are no model field: the register's `parse` reads them."""
    return {c.field for c in register.columns if c.parse is not None}


def _check_item(register: Register, plan: _Plan, result: ImportResult) -> None:
    """The model's own field and cross-field rules on the item the row would make, nothing
    saved and no query per row: unit and place were resolved above, and the natural key
    against the sheet and the items in use (a retired item's code is caught on writing)."""
    import copy

    from django.core.exceptions import ValidationError

    model = register.model
    item = copy.copy(plan.existing) if plan.existing is not None else model()
    extra = _parsed_columns(register)
    for name, value in plan.values.items():
        if name not in extra:
            setattr(item, name, value)
    try:
        item.full_clean(
            exclude=["unit", "place", "retired_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name == "__all__":
                label = ""
            else:
                try:
                    label = str(model._meta.get_field(name).verbose_name)
                except Exception:
                    label = name
            for message in messages:
                result.errors.append(RowError(plan.number, label, str(message)))
        return
    # The values as the model's rules left them (a clean() that normalises a cell, e.g.
    # "张三 T1；李四 T2" into a list): what is compared with the stored item and written.
    for name in plan.values:
        if name not in ("unit", "place") and name not in extra:
            plan.values[name] = getattr(item, name)


def import_items(
    register: Register,
    user: Any,
    source: IO[bytes] | bytes,
    *,
    dry_run: bool = False,
    default_unit: Any = None,
) -> ImportResult:
    """Check every row; then write them all in one transaction, or none. Rows without a
    所属单位 (or a sheet without the column) go to `default_unit`, when it is one where the
    person may add items."""
    if not register.units(user, "add").exists():
        from xiaoan.core.errors import Forbidden

        raise Forbidden()
    rows = read_rows(register, source)
    if default_unit is not None:
        default_unit = register.units(user, "add").filter(pk=default_unit.pk).first()
    result, plans = check_rows(register, user, rows, default_unit)
    if result.errors or dry_run:
        return result
    try:
        _write(register, user, plans, result)
    except ServiceError as error:
        # A rule only the service knows (a refusal inside the transaction): nothing written.
        result.created = result.updated = result.unchanged = 0
        message = str(error.message)
        for name, texts in (error.fields or {}).items():
            message += "；" + "；".join(texts) if name else ""
        result.errors.append(RowError(getattr(error, "row", 0), "", message))
    return result


def _changes(register: Register, plan: _Plan) -> bool:
    """Whether the row differs from the item it updates. A filled cell of a column the
    register parses itself (a team's members) cannot be compared here: it counts as one."""
    item = plan.existing
    extra = _parsed_columns(register)
    same = {c.field: c.same for c in register.columns if c.same is not None}
    for name, value in plan.values.items():
        if name in extra:
            if name in same and same[name](item, value):
                continue
            if value not in (None, "", [], ()):
                return True
            continue
        related = isinstance(type(item)._meta.get_field(name), models.ForeignKey)
        current = getattr(item, f"{name}_id") if related else getattr(item, name)
        if related:
            value = getattr(value, "pk", value)
        if isinstance(current, Decimal) and value is not None:
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                return True
        if current != value:
            return True
    return False


@transaction.atomic
def _write(register: Register, user: Any, plans: list[_Plan], result: ImportResult) -> None:
    for plan in plans:
        try:
            if plan.existing is None:
                create(register, user, plan.values)
                result.created += 1
            elif _changes(register, plan):
                update(register, user, plan.existing.pk, plan.values)
                result.updated += 1
            else:
                result.unchanged += 1  # the same sheet again: no history entry
        except ServiceError as error:
            error.row = plan.number  # type: ignore[attr-defined]
            raise
