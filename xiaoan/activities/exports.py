"""The activities' Excel sheets, streamed (xiaoan.core.xlsx): the ledger of activities, and
who did and who did not for an event's window (every school below a unit, done or not done,
with its activities). Rows come from `.values().iterator()`; the coverage sheet merges the
schools and their activities, both read in tree order, so nothing per school is queried."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from xiaoan.activities import calendar, services
from xiaoan.activities.choices import ActivityKind
from xiaoan.activities.models import Activity
from xiaoan.core.xlsx import Column, Sheet, streamed

CHUNK = 2000
KINDS = {k: str(v) for k, v in ActivityKind.choices}


def _event(code: str) -> str:
    found = calendar.event(code)
    return str(found.name) if found else _("学校自主活动")


LEDGER_FIELDS = (
    "unit__name", "event", "kind", "title", "held_on", "classes", "participants", "summary",
    "recorded_by__name", "recorded_by__username",
)  # fmt: skip
LEDGER_COLUMNS = (
    Column(gettext_lazy("序号"), 6, lambda r, c: r["_seq"]),
    Column(gettext_lazy("学校"), 22, lambda r, c: r["unit__name"]),
    Column(gettext_lazy("教育日（月）"), 18, lambda r, c: _event(r["event"])),
    Column(gettext_lazy("活动形式"), 12, lambda r, c: KINDS.get(r["kind"], r["kind"])),
    Column(gettext_lazy("活动主题"), 24, lambda r, c: r["title"]),
    Column(gettext_lazy("活动日期"), 12, lambda r, c: r["held_on"]),
    Column(gettext_lazy("参加年级（班级）"), 16, lambda r, c: r["classes"]),
    Column(gettext_lazy("参加人数"), 10, lambda r, c: r["participants"]),
    Column(gettext_lazy("活动简述"), 40, lambda r, c: r["summary"]),
    Column(
        gettext_lazy("登记人"),
        10,
        lambda r, c: r["recorded_by__name"] or r["recorded_by__username"],
    ),
)


def write_ledger(queryset: QuerySet[Activity], fileobj: Any) -> int:
    workbook = Workbook(write_only=True)
    sheet = Sheet(
        workbook, _("活动台账"), _("安全教育活动台账"), LEDGER_COLUMNS, centered=(0, 5, 7)
    )
    total = 0
    for row in queryset.values(*LEDGER_FIELDS).iterator(chunk_size=CHUNK):
        row["_seq"] = sheet.count + 1
        sheet.row(row)
        total += row["participants"] or 0
    sheet.line(_("合计：活动 %(n)d 次，参加 %(p)d 人次") % {"n": sheet.count, "p": total})
    sheet.finish()
    workbook.save(fileobj)
    return sheet.count


COVERAGE_COLUMNS = (
    Column(gettext_lazy("序号"), 6, lambda r, c: r["_seq"]),
    Column(gettext_lazy("学校"), 24, lambda r, c: r["name"]),
    Column(gettext_lazy("开展情况"), 10, lambda r, c: _("已开展") if r["done"] else _("未开展")),
    Column(gettext_lazy("活动次数"), 10, lambda r, c: r["activity_count"]),
    Column(gettext_lazy("参加人数"), 10, lambda r, c: sum(a["participants"] for a in r["_acts"])),
    Column(
        gettext_lazy("活动（日期 形式 主题）"),
        60,
        lambda r, c: "\n".join(
            f"{a['held_on']:%Y-%m-%d} {KINDS.get(a['kind'], a['kind'])} {a['title']}"
            for a in r["_acts"]
        ),
    ),
)


def _merged(schools: Iterator[dict], activities: Iterator[dict]) -> Iterator[dict]:
    """Each school with its activities: both streams are in tree-path order."""
    pending = next(activities, None)
    for school in schools:
        acts = []
        while pending is not None and pending["unit__path"] < school["path"]:
            pending = next(activities, None)
        while pending is not None and pending["unit__path"] == school["path"]:
            acts.append(pending)
            pending = next(activities, None)
        school["_acts"] = acts
        yield school


def write_coverage(actor: Any, cover: services.Coverage, fileobj: Any) -> int:
    schools = services.schools_of(actor, cover.root, cover.event, cover.window)
    activities = (
        Activity.objects.filter(
            unit__in=schools.values("pk"),
            event=cover.event.code,
            held_on__gte=cover.window.start,
            held_on__lte=cover.window.end,
        )
        .order_by("unit__path", "held_on", "pk")
        .values("unit__path", "held_on", "kind", "title", "participants")
        .iterator(chunk_size=CHUNK)
    )
    rows = schools.values("pk", "path", "name", "done", "activity_count").iterator(chunk_size=CHUNK)
    workbook = Workbook(write_only=True)
    title = _("%(event)s开展情况") % {"event": cover.event.name}
    sheet = Sheet(
        workbook,
        _("开展情况"),
        title,
        COVERAGE_COLUMNS,
        above=[
            _("统计范围：%(unit)s　　活动时段：%(window)s")
            % {"unit": cover.root.name, "window": cover.window.label}
        ],
        centered=(0, 2, 3, 4),
    )
    for school in _merged(rows, activities):
        school["_seq"] = sheet.count + 1
        sheet.row(school)
    sheet.line(
        _("合计：学校 %(t)d 所，已开展 %(d)d 所，未开展 %(m)d 所，开展率 %(r)d%%")
        % {"t": cover.total, "d": cover.done, "m": cover.missing, "r": cover.rate}
    )
    sheet.finish()
    workbook.save(fileobj)
    return sheet.count


def ledger_response(queryset: QuerySet[Activity]) -> FileResponse:
    name = f"{_('安全教育活动台账')}-{timezone.localdate():%Y%m%d}.xlsx"
    ordered = queryset.select_related(None).order_by("-held_on", "-pk")
    return streamed(lambda f: write_ledger(ordered, f), name, "activities")


def coverage_response(actor: Any, cover: services.Coverage) -> FileResponse:
    name = f"{cover.event.name}-{cover.window.key}-{_('开展情况')}.xlsx"
    return streamed(lambda f: write_coverage(actor, cover, f), name, "activities-coverage")
