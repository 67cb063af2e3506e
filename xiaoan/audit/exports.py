"""The audit trail as Excel (openpyxl write-only, streamed from a temporary file)."""

from __future__ import annotations

import json

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from xiaoan.core.xlsx import Column, Sheet, local_time, streamed

COLUMNS = [
    Column(gettext_lazy("编号"), 10, lambda e, _c: e.id),
    Column(gettext_lazy("时间"), 18, lambda e, _c: local_time(e.at)),
    Column(gettext_lazy("操作"), 12, lambda e, _c: str(e.get_action_display())),
    Column(gettext_lazy("操作人"), 22, lambda e, _c: e.actor_name),
    Column(gettext_lazy("单位"), 24, lambda e, _c: e.unit.name if e.unit_id and e.unit else ""),
    Column(gettext_lazy("对象类型"), 18, lambda e, _c: e.object_type),
    Column(gettext_lazy("对象编号"), 10, lambda e, _c: e.object_id),
    Column(gettext_lazy("对象"), 30, lambda e, _c: e.object_repr),
    Column(gettext_lazy("来源地址"), 16, lambda e, _c: e.ip or ""),
    Column(gettext_lazy("客户端"), 30, lambda e, _c: e.user_agent),
    Column(gettext_lazy("详情"), 40, lambda e, _c: _detail(e.detail)),
    Column(gettext_lazy("校验值"), 20, lambda e, _c: e.hash),
]


def _detail(detail: dict) -> str:
    return json.dumps(detail, ensure_ascii=False) if detail else ""


def write(queryset: QuerySet, handle) -> int:
    workbook = Workbook(write_only=True)
    title = _("安全审计记录")
    info = _("导出时间：%(t)s") % {"t": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    sheet = Sheet(workbook, title, title, COLUMNS, above=[info])
    for entry in queryset.select_related("unit").order_by("-id").iterator(chunk_size=2000):
        sheet.row(entry)
    sheet.finish()
    workbook.save(handle)
    return sheet.count


def response(queryset: QuerySet) -> FileResponse:
    name = f"{_('安全审计记录')}-{timezone.localdate():%Y%m%d}.xlsx"
    return streamed(lambda handle: write(queryset, handle), name, "audit-entries")
