"""The case list as Excel. A row shows the student's name, class and guardian's contact in
full only to someone holding the school's role (学生安全专员 / the principal); anyone else
(a named 包保 teacher exporting their own cases) gets them masked (张** style) and no
situation. The export is audited with the numbers it held."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xiaoan.studentcases import services
from xiaoan.studentcases.access import VIEW, role_schools

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def mask_name(value: str) -> str:
    """张** : the family name kept, the rest starred."""
    text = str(value or "")
    return text[:1] + "*" * max(len(text) - 1, 1) if text else ""


def mask_contact(value: str) -> str:
    text = str(value or "")
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


def workbook(actor: Any, cases: list) -> tuple[bytes, bool]:
    """The file and whether any row was masked."""
    full = set(role_schools(actor, VIEW))
    book = Workbook()
    sheet = book.active
    sheet.title = _("学生安全个案")
    sheet.append(
        [
            _("编号"),
            _("学校"),
            _("类别"),
            _("学生姓名"),
            _("班级"),
            _("监护人及联系方式"),
            _("情况说明"),
            _("包保责任人"),
            _("状态"),
            _("登记时间"),
        ]
    )
    masked = False
    for case in cases:
        plain = case.unit_id in full
        masked = masked or not plain
        sheet.append(
            [
                case.number,
                case.unit.name,
                str(case.get_category_display()),
                case.student_name if plain else mask_name(case.student_name),
                case.class_name if plain else mask_name(case.class_name),
                case.guardian_contact if plain else mask_contact(case.guardian_contact),
                case.situation if plain else "",
                case.responsible.display_name,
                str(case.get_status_display()),
                timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), masked


def export_response(actor: Any, queryset) -> HttpResponse:
    cases = list(queryset.select_related("unit", "responsible").order_by("-created_at", "-id"))
    data, masked = workbook(actor, cases)
    services.audit_read(actor, cases, "export_masked" if masked else "export", export=True)
    response = HttpResponse(data, content_type=XLSX)
    name = f"student-cases-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
