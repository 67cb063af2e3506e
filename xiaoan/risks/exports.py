"""风险管控清单 as Excel (streamed) and Word (official layout, landscape): one row per risk
point, its measures one per line in the measure columns. Read in chunks with the measures
and assessments prefetched: a few queries however many rows."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from xiaoan.core import officialdoc
from xiaoan.core.views import attachment
from xiaoan.core.xlsx import Column, Sheet, streamed
from xiaoan.risks.choices import RiskStatus
from xiaoan.risks.models import ControlMeasure, RiskAssessment, RiskPoint

MAX_WORD_ROWS = 2000


def _rows(queryset: QuerySet):
    rows = (
        queryset.filter(status=RiskStatus.ACTIVE)
        .select_related("unit", "place")
        .prefetch_related(
            Prefetch(
                "measures",
                ControlMeasure.objects.filter(active=True).select_related("owner").order_by("pk"),
                to_attr="active_measures",
            ),
            Prefetch(
                "assessments",
                RiskAssessment.objects.order_by("-assessed_at", "-pk"),
                to_attr="assessment_rows",
            ),
        )
        .order_by("unit__path", "name", "pk")
    )
    return rows.iterator(chunk_size=500)


def _place(p: RiskPoint) -> str:
    parts = [str(p.place)] if p.place_id else []
    if p.location:
        parts.append(p.location)
    return " ".join(parts)


def _factors(p: RiskPoint) -> str:
    latest = p.assessment_rows[0] if p.assessment_rows else None
    return latest.factors if latest else ""


def _lines(p: RiskPoint, get) -> str:
    return "\n".join(f"{i}. {get(m)}" for i, m in enumerate(p.active_measures, 1))


def _value(p: RiskPoint) -> str:
    return f"{p.risk_value.normalize():f}" if p.risk_value is not None else ""


FIELDS = [
    (gettext_lazy("风险点"), 16, lambda p: p.name),
    (gettext_lazy("所在场所"), 14, _place),
    (gettext_lazy("危险事件"), 22, lambda p: p.hazardous_event),
    (gettext_lazy("评估方法"), 10, lambda p: p.method.upper() if p.method else ""),
    (gettext_lazy("L/S 或 L/E/C"), 14, _factors),
    (gettext_lazy("风险值"), 8, _value),
    (gettext_lazy("风险等级"), 9, lambda p: str(p.get_grade_display()) if p.grade else _("未评估")),
    (
        gettext_lazy("管控措施（类型）"),
        36,
        lambda p: _lines(p, lambda m: f"{m.text}（{m.get_kind_display()}）"),
    ),
    (gettext_lazy("管控层级"), 12, lambda p: _lines(p, lambda m: m.get_level_display())),
    (gettext_lazy("责任人"), 10, lambda p: _lines(p, lambda m: m.owner.display_name)),
    (gettext_lazy("检查频次"), 9, lambda p: _lines(p, lambda m: m.get_frequency_display())),
]


def _cell(get):
    return lambda point, _context: get(point)


def _title() -> str:
    return _("安全风险分级管控清单")


def write(queryset: QuerySet, handle) -> int:
    workbook = Workbook(write_only=True)
    columns = [Column(gettext_lazy("序号"), 6, lambda p, c: c["seq"])] + [
        Column(header, width, _cell(get)) for header, width, get in FIELDS
    ]
    info = _("导出时间：%(t)s") % {"t": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    sheet = Sheet(workbook, _("风险管控清单"), _title(), columns, above=[info], centered=[0])
    for seq, point in enumerate(_rows(queryset), 1):
        sheet.row(point, {"seq": seq})
    sheet.finish()
    workbook.save(handle)
    return sheet.count


def register_xlsx(queryset: QuerySet):
    name = f"{_('风险管控清单')}-{timezone.localdate():%Y%m%d}.xlsx"
    return streamed(lambda handle: write(queryset, handle), name, "risks")


def document(queryset: QuerySet):
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = officialdoc.new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    officialdoc.paragraph(
        doc,
        _title(),
        font=officialdoc.TITLE_FONT,
        size=officialdoc.TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    officialdoc.paragraph(
        doc,
        _("编制日期：%(d)s") % {"d": officialdoc.date_text(timezone.localdate())},
        size=12,
        indent=False,
    )
    headers = [_("序号")] + [str(h) for h, _w, _g in FIELDS]
    widths = [1.2, 2.8, 2.2, 3.4, 1.4, 1.8, 1.2, 1.6, 5.2, 1.8, 1.6, 1.4]  # 25.6 of 25.7 cm
    rows = []
    for seq, point in enumerate(_rows(queryset), 1):
        if seq > MAX_WORD_ROWS:
            break
        rows.append([str(seq)] + [get(point) for _h, _w, get in FIELDS])
    officialdoc.table(doc, headers, rows, widths)
    return doc


def register_docx(queryset: QuerySet) -> HttpResponse:
    from xiaoan.audit.files import file_served

    data = officialdoc.to_bytes(document(queryset))
    name = officialdoc.file_name(f"{_('风险管控清单')}-{timezone.localdate():%Y%m%d}", "docx")
    file_served("export", "risks", filename=name)
    return attachment(data, officialdoc.DOCX, name)
