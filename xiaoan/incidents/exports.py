"""The incident ledger as Excel (streamed, one query however many rows)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from xiaoan.core.xlsx import Column, Sheet, local_time, streamed

COLUMNS = [
    Column(gettext_lazy("编号"), 16, lambda i, _c: i.number),
    Column(gettext_lazy("单位"), 24, lambda i, _c: i.unit.name),
    Column(gettext_lazy("事件类型"), 12, lambda i, _c: str(i.get_kind_display())),
    Column(gettext_lazy("事件等级"), 10, lambda i, _c: str(i.get_severity_display())),
    Column(gettext_lazy("发生时间"), 17, lambda i, _c: local_time(i.occurred_at)),
    Column(gettext_lazy("发生地点"), 20, lambda i, _c: i.place),
    Column(gettext_lazy("受伤人数"), 8, lambda i, _c: i.injured),
    Column(gettext_lazy("死亡人数"), 8, lambda i, _c: i.dead),
    Column(gettext_lazy("首报时间"), 17, lambda i, _c: local_time(i.first_reported_at)),
    Column(gettext_lazy("超时首报"), 8, lambda i, _c: _("是") if i.late else ""),
    Column(gettext_lazy("事件定性"), 12, lambda i, _c: str(i.get_classification_display())),
    Column(gettext_lazy("状态"), 12, lambda i, _c: str(i.get_status_display())),
    Column(gettext_lazy("事件经过"), 40, lambda i, _c: i.summary),
]


def write(queryset: QuerySet, handle) -> int:
    workbook = Workbook(write_only=True)
    title = _("事件台账")
    info = _("导出时间：%(t)s") % {"t": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    sheet = Sheet(workbook, title, title, COLUMNS, above=[info])
    rows = queryset.select_related("unit").order_by("-occurred_at", "-pk")
    for incident in rows.iterator(chunk_size=2000):
        sheet.row(incident)
    sheet.finish()
    workbook.save(handle)
    return sheet.count


def ledger_response(queryset: QuerySet) -> FileResponse:
    name = f"{_('事件台账')}-{timezone.localdate():%Y%m%d}.xlsx"
    return streamed(lambda handle: write(queryset, handle), name, "incidents")
