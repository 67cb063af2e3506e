"""The ledger export in the usual 台账 layout (危险化学品出入库台账): one row per posted
movement — 日期, 名称, 规格, 存放点, 摘要, 入库, 出库, 结存, 领用人, 用途, 经办人, 复核人, 备注 —
grouped by chemical and storage, each group in posting order, so 结存 runs down the column as
on the paper ledger (it is the balance each movement left, written under the balance's lock).
Rows stream from `.values().iterator()` into a write-only workbook (xiaoan.core.xlsx)."""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from xiaoan.chemicals.choices import MeasureUnit, MovementKind
from xiaoan.core.xlsx import Column, Sheet, streamed

FIELDS = (
    "occurred_on",
    "chemical__name",
    "chemical__spec",
    "chemical__measure",
    "storage__name",
    "kind",
    "quantity",
    "balance_after",
    "recipient_name",
    "purpose",
    "disposer_name",
    "disposer_licence",
    "reason",
    "actor__name",
    "actor__username",
    "second_signer__name",
    "second_signer__username",
)


class Context:
    def __init__(self) -> None:
        self.kinds = {k: str(v) for k, v in MovementKind.choices}
        self.measures = {k: str(v) for k, v in MeasureUnit.choices}


def number(value: Decimal | None) -> Any:
    """A quantity as Excel shows it: 3 not 3.000, 0.5 not 0.500."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _person(row: dict, prefix: str) -> str:
    return row[f"{prefix}__name"] or row[f"{prefix}__username"] or ""


def _remark(row: dict, ctx: Context) -> str:
    parts = []
    if row["disposer_name"]:
        parts.append(
            _("处置单位：%(name)s（许可证 %(licence)s）")
            % {"name": row["disposer_name"], "licence": row["disposer_licence"]}
        )
    if row["reason"]:
        parts.append(row["reason"])
    return "；".join(parts)


COLUMNS = (
    Column(gettext_lazy("日期"), 12, lambda r, c: r["occurred_on"]),
    Column(gettext_lazy("名称"), 18, lambda r, c: r["chemical__name"]),
    Column(gettext_lazy("规格"), 14, lambda r, c: r["chemical__spec"]),
    Column(gettext_lazy("存放点"), 14, lambda r, c: r["storage__name"]),
    Column(gettext_lazy("摘要"), 11, lambda r, c: c.kinds.get(r["kind"], r["kind"])),
    Column(
        gettext_lazy("入库"), 9, lambda r, c: number(r["quantity"]) if r["quantity"] > 0 else None
    ),
    Column(
        gettext_lazy("出库"), 9, lambda r, c: number(-r["quantity"]) if r["quantity"] < 0 else None
    ),
    Column(gettext_lazy("结存"), 9, lambda r, c: number(r["balance_after"])),
    Column(gettext_lazy("单位"), 8, lambda r, c: c.measures.get(r["chemical__measure"], "")),
    Column(gettext_lazy("领用人"), 10, lambda r, c: r["recipient_name"]),
    Column(gettext_lazy("用途"), 18, lambda r, c: r["purpose"]),
    Column(gettext_lazy("经办人"), 10, lambda r, c: _person(r, "actor")),
    Column(gettext_lazy("复核人"), 10, lambda r, c: _person(r, "second_signer")),
    Column(gettext_lazy("备注"), 24, _remark),
)


def write_ledger(queryset: QuerySet, fileobj: IO[bytes], above: list[str]) -> int:
    """Write the posted movements of `queryset` (scoped already) as the 台账."""
    workbook = Workbook(write_only=True)
    sheet = Sheet(
        workbook,
        _("出入库台账"),
        _("危险化学品出入库台账"),
        COLUMNS,
        above=above,
        centered=(0, 4),
    )
    ctx = Context()
    rows = queryset.order_by(
        "chemical__name",
        "chemical__spec",
        "chemical_id",
        "storage__name",
        "storage_id",
        "posted_at",
        "pk",
    ).values(*FIELDS)
    for row in rows.iterator(chunk_size=2000):
        sheet.row(row, ctx)
    sheet.line(_("合计：共 %(n)d 笔出入库记录") % {"n": sheet.count})
    blank = "＿" * 8
    sheet.line(_("保管人（签字）：%(b)s　　　　复核人（签字）：%(b)s") % {"b": blank})
    sheet.finish()
    workbook.save(fileobj)
    return sheet.count


def header_lines(unit: str, scope: str, author: str) -> list[str]:
    day = timezone.localdate()
    date = _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
    return [
        _("单位：%(unit)s　　　　导出日期：%(date)s") % {"unit": unit or "—", "date": date},
        _("范围：%(scope)s　　　　制表人：%(author)s") % {"scope": scope, "author": author},
    ]


def ledger_response(queryset: QuerySet, above: list[str]) -> FileResponse:
    filename = f"{_('危险化学品出入库台账')}-{timezone.localdate():%Y%m%d}.xlsx"
    return streamed(
        lambda handle: write_ledger(queryset, handle, above) and None, filename, "chemicals-ledger"
    )
