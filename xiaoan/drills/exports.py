"""The drill ledger as Excel (streamed from a temporary file, one query however many rows)
and one drill's record and evaluation as a printable PDF."""

from __future__ import annotations

import io
from pathlib import Path

from django.db.models import Count, Q, QuerySet
from django.http import FileResponse
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from xiaoan.audit.files import file_served
from xiaoan.core.pdf import PDF, pdf_font, write_pdf
from xiaoan.core.xlsx import Column, Sheet, local_time, streamed
from xiaoan.drills.choices import CheckResult
from xiaoan.drills.models import Drill

TEMPLATE = "drills/print/record.html"
STYLESHEET = Path(__file__).resolve().parent / "templates/drills/print/record.css"


def _percent(d: Drill, _c) -> str:
    return f"{d.participation}%" if d.participation is not None else ""


COLUMNS = [
    Column(gettext_lazy("编号"), 16, lambda d, _c: d.number),
    Column(gettext_lazy("单位"), 24, lambda d, _c: d.unit.name),
    Column(gettext_lazy("演练名称"), 26, lambda d, _c: d.title),
    Column(gettext_lazy("演练类型"), 14, lambda d, _c: str(d.get_kind_display())),
    Column(gettext_lazy("计划日期"), 12, lambda d, _c: d.planned_on),
    Column(gettext_lazy("实施日期"), 12, lambda d, _c: d.held_on),
    Column(gettext_lazy("开始时间"), 17, lambda d, _c: local_time(d.started_at)),
    Column(gettext_lazy("结束时间"), 17, lambda d, _c: local_time(d.ended_at)),
    Column(gettext_lazy("应参加人数"), 10, lambda d, _c: d.expected_participants),
    Column(gettext_lazy("实际参加人数"), 10, lambda d, _c: d.participants),
    Column(gettext_lazy("参加率"), 8, _percent),
    Column(gettext_lazy("疏散用时（秒）"), 10, lambda d, _c: d.evacuation_seconds),
    Column(gettext_lazy("总指挥/组织者"), 12, lambda d, _c: d.organiser),
    Column(gettext_lazy("状态"), 12, lambda d, _c: str(d.get_status_display())),
    Column(gettext_lazy("评估问题数"), 10, lambda d, _c: d.problem_count),
    Column(gettext_lazy("登记隐患数"), 10, lambda d, _c: d.hazard_count),
]


def ledger_rows(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related("unit")
        .annotate(
            problem_count=Count("checks", filter=Q(checks__result=CheckResult.PROBLEM)),
            hazard_count=Count("checks__hazard"),
        )
        .order_by("-planned_on", "-pk")
    )


def write(queryset: QuerySet, handle) -> int:
    workbook = Workbook(write_only=True)
    title = _("应急演练台账")
    info = _("导出时间：%(t)s") % {"t": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    sheet = Sheet(workbook, title, title, COLUMNS, above=[info])
    for drill in ledger_rows(queryset).iterator(chunk_size=2000):
        sheet.row(drill)
    sheet.finish()
    workbook.save(handle)
    return sheet.count


def ledger_response(queryset: QuerySet) -> FileResponse:
    name = f"{_('应急演练台账')}-{timezone.localdate():%Y%m%d}.xlsx"
    return streamed(lambda handle: write(queryset, handle), name, "drills")


def render_pdf(drill: Drill) -> bytes:
    """Raises PdfUnavailable when the CJK font is missing."""
    font = pdf_font()
    context = {
        "drill": drill,
        "checks": list(drill.checks.select_related("hazard").order_by("seq")),
        "observers": list(drill.invites.select_related("user__unit").order_by("created_at")),
        "photo_count": drill.photos.count(),
        "printed_at": timezone.localtime(),
    }
    html = get_template(TEMPLATE).render(context)
    return write_pdf(
        html,
        font,
        stylesheet=STYLESHEET.read_text(encoding="utf-8"),
        identifier=f"xiaoan-drill-{drill.pk}".encode(),
    )


def pdf_response(drill: Drill) -> FileResponse:
    name = f"{_('演练记录')}-{drill.number}-{drill.unit.name}.pdf"
    response = FileResponse(io.BytesIO(render_pdf(drill)), content_type=PDF, filename=name)
    response["Cache-Control"] = "private, no-store"
    file_served("export", "drill-pdf", obj=drill, filename=name)
    return response
