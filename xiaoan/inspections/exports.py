"""Inspection results as xlsx: one inspection (every item of its checklist version, answered
or not), or the results of a filtered set of inspections (the list page's filters).

Like the hazard lists (`xiaoan.hazards.exports`): rows come from `.values().iterator()` (no
model objects, no query per row) into an openpyxl write-only workbook in a temporary file
that is then streamed, so memory stays flat however many rows are exported. Access is the
caller's: the inspections passed in are already `Inspection.objects.restrict(user)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.db.models import Count, Q, QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

# The hazard lists' cell rules (formula-safe text, local datetimes) and borders: one look
# for every export of the platform.
from xiaoan.core.xlsx import Column, Sheet, local_time, streamed
from xiaoan.hazards.choices import HazardLevel
from xiaoan.inspections.choices import InspectionKind, InspectionStatus, ResultValue
from xiaoan.inspections.models import ChecklistItem, Inspection, ItemResult

CHUNK = 2000


class Labels:
    """Choice labels translated once per export, not once per row."""

    def __init__(self) -> None:
        self.results = {k: str(v) for k, v in ResultValue.choices}
        self.levels = {k: str(v) for k, v in HazardLevel.choices}
        self.kinds = {k: str(v) for k, v in InspectionKind.choices}
        self.statuses = {k: str(v) for k, v in InspectionStatus.choices}
        self.pending_level = _("待定级")
        self.yes = _("是")

    def missed(self, row: dict) -> str:
        return self.yes if row["missed_by_self_check"] else ""


def _level(row: dict, labels: Labels) -> str:
    if not row["hazard__number"]:
        return ""
    return labels.levels.get(row["hazard__level"]) or labels.pending_level


ITEM_COLUMNS = (
    Column(gettext_lazy("检查项序号"), 8, lambda row, lb: row["item__seq"]),
    Column(gettext_lazy("分类"), 14, lambda row, lb: row["item__section"]),
    Column(gettext_lazy("检查项目"), 44, lambda row, lb: row["item__text"]),
    Column(gettext_lazy("重大隐患判定标准"), 14, lambda row, lb: row["item__criterion"]),
    Column(gettext_lazy("结果"), 9, lambda row, lb: lb.results.get(row["result"] or "", "")),
    Column(gettext_lazy("说明"), 32, lambda row, lb: row["note"]),
    Column(gettext_lazy("隐患编号"), 18, lambda row, lb: row["hazard__number"]),
    Column(gettext_lazy("隐患等级"), 10, _level),
    Column(gettext_lazy("自查未发现"), 10, lambda row, lb: lb.missed(row)),
)
RESULT_FIELDS = (
    "item_id",
    "result",
    "note",
    "hazard__number",
    "hazard__level",
    "missed_by_self_check",
)
ITEM_FIELDS = ("id", "seq", "section", "text", "criterion")

SEQ = Column(gettext_lazy("序号"), 6, lambda row, lb: row["_seq"])
INSPECTION_COLUMNS = (
    Column(gettext_lazy("检查编号"), 14, lambda row, lb: row["inspection__number"]),
    Column(gettext_lazy("检查"), 28, lambda row, lb: row["inspection__title"]),
    Column(gettext_lazy("被检查单位"), 22, lambda row, lb: row["inspection__unit__name"]),
    Column(gettext_lazy("检查类型"), 12, lambda row, lb: lb.kinds.get(row["inspection__kind"], "")),
    Column(gettext_lazy("计划日期"), 12, lambda row, lb: row["inspection__scheduled_on"]),
    Column(gettext_lazy("状态"), 9, lambda row, lb: lb.statuses.get(row["inspection__status"], "")),
)
SET_RESULT_FIELDS = (
    "inspection__number",
    "inspection__title",
    "inspection__unit__name",
    "inspection__kind",
    "inspection__scheduled_on",
    "inspection__status",
    "item__seq",
    "item__section",
    "item__text",
    "item__criterion",
    *RESULT_FIELDS[1:],
)

SUMMARY_COLUMNS = (
    SEQ,
    Column(gettext_lazy("检查编号"), 14, lambda row, lb: row["number"]),
    Column(gettext_lazy("检查"), 30, lambda row, lb: row["title"]),
    Column(gettext_lazy("被检查单位"), 22, lambda row, lb: row["unit__name"]),
    Column(gettext_lazy("组织单位"), 22, lambda row, lb: row["organiser__name"]),
    Column(gettext_lazy("检查类型"), 12, lambda row, lb: lb.kinds.get(row["kind"], "")),
    Column(
        gettext_lazy("检查表"),
        24,
        lambda row, lb: (
            _("%(t)s 第%(n)d版")
            % {"t": row["checklist__template__name"], "n": row["checklist__number"]}
        ),
    ),
    Column(gettext_lazy("计划日期"), 12, lambda row, lb: row["scheduled_on"]),
    Column(gettext_lazy("状态"), 9, lambda row, lb: lb.statuses.get(row["status"], "")),
    Column(gettext_lazy("提交时间"), 17, lambda row, lb: local_time(row["submitted_at"])),
    Column(gettext_lazy("符合"), 7, lambda row, lb: row["n_pass"]),
    Column(gettext_lazy("不符合"), 7, lambda row, lb: row["n_fail"]),
    Column(gettext_lazy("不适用"), 7, lambda row, lb: row["n_na"]),
    Column(gettext_lazy("隐患数"), 7, lambda row, lb: row["n_hazards"]),
)


# ---------------------------------------------------------------- sheets


def _sheet(
    workbook: Workbook,
    name: str,
    title: str,
    columns: tuple[Column, ...],
    rows: Iterable[dict],
    labels: Labels,
    info: str = "",
) -> int:
    """One styled sheet: a title row, an optional information row, the header row, then
    one row per dict. Returns the number of data rows."""
    sheet = Sheet(workbook, name, title, columns, above=[info] if info else ())
    for row in rows:
        row["_seq"] = sheet.count + 1
        sheet.row(row, labels)
    sheet.finish()
    return sheet.count


def _info(inspection: Inspection, labels: Labels) -> str:
    parts = [
        _("检查编号：%(v)s") % {"v": inspection.number},
        _("被检查单位：%(v)s") % {"v": inspection.unit.name},
        _("组织单位：%(v)s") % {"v": inspection.organiser.name},
        _("检查类型：%(v)s") % {"v": labels.kinds.get(inspection.kind, "")},
        _("检查表：%(v)s") % {"v": str(inspection.checklist)},
        _("计划日期：%(v)s") % {"v": f"{inspection.scheduled_on:%Y-%m-%d}"},
        _("状态：%(v)s") % {"v": labels.statuses.get(inspection.status, "")},
    ]
    return "　".join(parts)


def write_inspection(inspection: Inspection, fileobj: IO[bytes]) -> int:
    """Every item of the inspection's checklist version with its result (blank when not
    answered yet). Two queries: the results, then the items. Returns the item count."""
    labels = Labels()
    results = {
        r["item_id"]: r
        for r in ItemResult.objects.filter(inspection=inspection).values(*RESULT_FIELDS)
    }
    blank = dict.fromkeys(RESULT_FIELDS, None)

    def rows():
        items = (
            ChecklistItem.objects.filter(version_id=inspection.checklist_id)
            .order_by("seq")
            .values(*ITEM_FIELDS)
            .iterator(chunk_size=CHUNK)
        )
        for item in items:
            row = dict(results.get(item["id"], blank))
            row.update({f"item__{k}": v for k, v in item.items()})
            yield row

    workbook = Workbook(write_only=True)
    count = _sheet(
        workbook,
        _("检查结果"),
        str(inspection.title),
        (SEQ, *ITEM_COLUMNS),
        rows(),
        labels,
        info=_info(inspection, labels),
    )
    workbook.save(fileobj)
    return count


def _result_order(inspections: QuerySet) -> list[str]:
    """The list's order carried over to the results: its sort (if any), then newest first,
    then the items in checklist order."""
    order = [str(o) for o in inspections.query.order_by if isinstance(o, str)]
    if not order:
        order = ["-scheduled_on", "-pk"]
    mapped = []
    for term in order:
        sign = "-" if term.startswith("-") else ""
        name = term.lstrip("-")
        mapped.append(f"{sign}inspection__{'id' if name == 'pk' else name}")
    if not any(m.lstrip("-") == "inspection__id" for m in mapped):
        mapped.append("-inspection__id")
    return [*mapped, "item__seq"]


def write_inspections(inspections: QuerySet, fileobj: IO[bytes]) -> tuple[int, int]:
    """Two sheets for a set of inspections (already scoped and filtered): 检查汇总, one row
    per inspection with its counts, and 检查结果, one row per recorded result. One query per
    sheet. Returns (inspections, results) written."""
    labels = Labels()
    order = list(inspections.query.order_by) or ["-scheduled_on", "-pk"]
    summary = (
        inspections.order_by(*order)
        .annotate(
            n_pass=Count("results", filter=Q(results__result=ResultValue.PASS)),
            n_fail=Count("results", filter=Q(results__result=ResultValue.FAIL)),
            n_na=Count("results", filter=Q(results__result=ResultValue.NA)),
            n_hazards=Count("results", filter=Q(results__hazard__isnull=False)),
        )
        .values(
            "number",
            "title",
            "unit__name",
            "organiser__name",
            "kind",
            "checklist__template__name",
            "checklist__number",
            "scheduled_on",
            "status",
            "submitted_at",
            "n_pass",
            "n_fail",
            "n_na",
            "n_hazards",
        )
        .iterator(chunk_size=CHUNK)
    )
    results = (
        ItemResult.objects.filter(inspection__in=inspections.order_by().values("pk"))
        .order_by(*_result_order(inspections))
        .values(*SET_RESULT_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    workbook = Workbook(write_only=True)
    n_inspections = _sheet(
        workbook, _("检查汇总"), _("检查汇总表"), SUMMARY_COLUMNS, summary, labels
    )
    n_results = _sheet(
        workbook,
        _("检查结果"),
        _("检查结果明细表"),
        (SEQ, *INSPECTION_COLUMNS, *ITEM_COLUMNS),
        results,
        labels,
    )
    workbook.save(fileobj)
    return n_inspections, n_results


# ---------------------------------------------------------------- responses


def inspection_response(inspection: Inspection) -> FileResponse:
    name = f"{_('检查结果')}-{inspection.unit.name}-{inspection.scheduled_on:%Y%m%d}.xlsx"
    return streamed(
        lambda handle: write_inspection(inspection, handle) and None,
        name,
        "inspection-results",
        obj=inspection,
    )


def inspections_response(inspections: QuerySet) -> FileResponse:
    name = f"{_('检查结果汇总')}-{timezone.localdate():%Y%m%d}.xlsx"
    return streamed(
        lambda handle: write_inspections(inspections, handle) and None, name, "inspections-results"
    )
