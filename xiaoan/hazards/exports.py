"""The three official hazard lists (问题清单, 措施清单, 责任清单) as printable xlsx: a header
block above the table (填报单位, 统计日期, 统计范围, 制表人, 审核人 left blank to sign), the
bordered table with wrapped text and rows as tall as their text, totals below (by level and
by status); A4 landscape, fitted to the width, the header row repeated on every page.

Rows stream from the database with `.values().iterator()` (no model objects, no query per
row) into an openpyxl write-only workbook in a temporary file, which is then streamed to the
client, so memory stays flat however many rows are exported. Pages and the API share
`export_response`; the benchmark calls `write_export` directly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from xiaoan.audit.services import current_request
from xiaoan.core.choices import SafetyDomain
from xiaoan.core.scoping import grants_for, has_permission_anywhere
from xiaoan.core.xlsx import Column, Sheet, local_time, streamed
from xiaoan.hazards.choices import OPEN_STATUSES, HazardLevel, HazardSource, HazardStatus
from xiaoan.hazards.models import Hazard, Supervision
from xiaoan.orgs.choices import UnitKind

CHUNK = 2000
EXPORT_PERMISSION = "hazards.export_hazard"
# Place.full_name joins at most five names; the export reads the same five levels.
PLACE_LEVELS = ["place__" + "parent__" * i + "name" for i in range(5)]


@dataclass(frozen=True)
class Kind:
    title: Any
    sheet: Any
    fields: tuple[str, ...]
    columns: tuple[Column, ...]
    supervisions: bool = False


class Context:
    """Per-export lookups: choice labels translated once, supervising units per chunk."""

    def __init__(self) -> None:
        self.levels = {k: str(v) for k, v in HazardLevel.choices}
        self.statuses = {k: str(v) for k, v in HazardStatus.choices}
        self.sources = {k: str(v) for k, v in HazardSource.choices}
        self.domains = {k: str(v) for k, v in SafetyDomain.choices}
        self.overdue = _("已逾期")
        self.supervising: dict[int, str] = {}


def _person(row: dict, prefix: str) -> str:
    return row[f"{prefix}__name"] or row[f"{prefix}__username"] or ""


def _place(row: dict, _ctx: Context) -> str:
    names = [row[f] for f in reversed(PLACE_LEVELS) if row[f]]
    parts = [" / ".join(names)] if names else []
    if row["place_text"]:
        parts.append(row["place_text"])
    return " · ".join(parts)


def _status(row: dict, ctx: Context) -> str:
    label = ctx.statuses.get(row["status"], row["status"])
    if row["is_overdue"] and row["status"] in OPEN_STATUSES:
        return f"{label}（{ctx.overdue}）"
    return label


SEQ = Column(gettext_lazy("序号"), 6, lambda row, ctx: row["_seq"])
NUMBER = Column(gettext_lazy("编号"), 18, lambda row, ctx: row["number"])
UNIT = Column(gettext_lazy("单位"), 22, lambda row, ctx: row["unit__name"])
DESCRIPTION = Column(gettext_lazy("隐患描述"), 44, lambda row, ctx: row["description"])
DEADLINE = Column(gettext_lazy("整改期限"), 13, lambda row, ctx: row["deadline"])
STATUS = Column(gettext_lazy("状态"), 16, _status)
BASE_FIELDS = ("id", "number", "unit__name", "description", "status", "is_overdue", "level")

KINDS: dict[str, Kind] = {
    "problems": Kind(
        title=gettext_lazy("隐患问题清单"),
        sheet=gettext_lazy("问题清单"),
        fields=(
            *BASE_FIELDS,
            *PLACE_LEVELS,
            "place_text",
            "domain",
            "level",
            "source",
            "found_at",
            "finder__name",
            "finder__username",
        ),
        columns=(
            SEQ,
            NUMBER,
            UNIT,
            Column(gettext_lazy("场所"), 24, _place),
            Column(gettext_lazy("领域"), 14, lambda row, ctx: ctx.domains.get(row["domain"], "")),
            DESCRIPTION,
            Column(gettext_lazy("等级"), 10, lambda row, ctx: ctx.levels.get(row["level"], "")),
            Column(gettext_lazy("来源"), 12, lambda row, ctx: ctx.sources.get(row["source"], "")),
            Column(gettext_lazy("发现时间"), 17, lambda row, ctx: local_time(row["found_at"])),
            Column(gettext_lazy("发现人"), 10, lambda row, ctx: _person(row, "finder")),
            STATUS,
        ),
    ),
    "measures": Kind(
        title=gettext_lazy("隐患整改措施清单"),
        sheet=gettext_lazy("措施清单"),
        fields=(*BASE_FIELDS, "measures", "interim_controls", "budget", "deadline"),
        columns=(
            SEQ,
            NUMBER,
            UNIT,
            DESCRIPTION,
            Column(gettext_lazy("整改措施"), 40, lambda row, ctx: row["measures"]),
            Column(gettext_lazy("临时管控措施"), 32, lambda row, ctx: row["interim_controls"]),
            Column(gettext_lazy("整改资金"), 12, lambda row, ctx: row["budget"]),
            DEADLINE,
            STATUS,
        ),
    ),
    "responsibilities": Kind(
        title=gettext_lazy("隐患整改责任清单"),
        sheet=gettext_lazy("责任清单"),
        fields=(
            *BASE_FIELDS,
            "owner_unit__name",
            "owner__name",
            "owner__username",
            "deadline",
            "closed_by__name",
            "closed_by__username",
            "closed_at",
            "is_supervised",
        ),
        columns=(
            SEQ,
            NUMBER,
            UNIT,
            DESCRIPTION,
            Column(gettext_lazy("整改单位"), 22, lambda row, ctx: row["owner_unit__name"]),
            Column(gettext_lazy("整改责任人"), 12, lambda row, ctx: _person(row, "owner")),
            DEADLINE,
            Column(gettext_lazy("验收人"), 10, lambda row, ctx: _person(row, "closed_by")),
            Column(gettext_lazy("销号时间"), 17, lambda row, ctx: local_time(row["closed_at"])),
            Column(
                gettext_lazy("督办单位"), 30, lambda row, ctx: ctx.supervising.get(row["id"], "")
            ),
        ),
        supervisions=True,
    ),
}
EXPORT_KINDS = tuple(KINDS)


def _batches(rows: Iterator[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _supervising_units(ids: Iterable[int]) -> dict[int, str]:
    """督办单位 with the listing's number for one chunk of hazards: one query per chunk,
    never per row."""
    ids = list(ids)
    if not ids:
        return {}
    names: dict[int, list[str]] = {}
    rows = (
        Supervision.objects.filter(hazard_id__in=ids)
        .order_by("listed_at", "pk")
        .only("hazard_id", "supervising_unit__name", "year", "serial")
        .select_related("supervising_unit")
    )
    for row in rows:
        names.setdefault(row.hazard_id, []).append(f"{row.supervising_unit.name}（{row.number}）")
    return {k: "、".join(v) for k, v in names.items()}


@dataclass(frozen=True)
class Header:
    """The block above the table: who files the list, for which day and selection, who
    made it. 审核人 is always left blank, to be signed on paper."""

    unit: str = ""  # 填报单位
    scope: str = ""  # 统计范围: the filters, in words
    author: str = ""  # 制表人
    date: dt.date | None = None  # 统计日期; today when not given

    def lines(self) -> list[str]:
        day = self.date or timezone.localdate()
        blank = "＿" * 8
        date = _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
        return [
            _("填报单位：%(unit)s　　　　统计日期：%(date)s")
            % {"unit": self.unit or blank, "date": date},
            _("统计范围：%(scope)s") % {"scope": self.scope or _("本人可见的全部隐患")},
            _("制表人：%(author)s　　　　审核人：%(blank)s")
            % {"author": self.author or blank, "blank": blank},
        ]


def _counted(counts: Counter, choices) -> str:
    return "，".join(
        _("%(label)s %(n)d 项") % {"label": label, "n": counts[value]}
        for value, label in choices
        if counts[value]
    )


def totals(count: int, levels: Counter, statuses: Counter, overdue: int) -> list[str]:
    """The lines under the table: the total, then by level and by status."""
    lines = [_("合计：共 %(n)d 项") % {"n": count}]
    if not count:
        return lines
    by_level = _counted(levels, [*HazardLevel.choices, (None, _("未定级"))])
    lines.append(_("按等级：%(list)s") % {"list": by_level})
    by_status = _counted(statuses, HazardStatus.choices)
    if overdue:
        by_status += _("（其中已逾期 %(n)d 项）") % {"n": overdue}
    lines.append(_("按状态：%(list)s") % {"list": by_status})
    return lines


def write_export(
    queryset: QuerySet, kind: str, fileobj: IO[bytes], header: Header | None = None
) -> int:
    """Write the `kind` list ("problems", "measures" or "responsibilities") of `queryset`
    (already scoped, filtered and ordered; it may be sliced) as xlsx into `fileobj`.
    Returns the number of hazard rows written."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"unknown export kind: {kind}")
    columns = spec.columns
    ctx = Context()
    workbook = Workbook(write_only=True)
    sheet = Sheet(
        workbook,
        str(spec.sheet),
        str(spec.title),
        columns,
        above=(header or Header()).lines(),
        centered=(0,),
    )
    levels: Counter = Counter()
    statuses: Counter = Counter()
    overdue = 0
    rows = queryset.values(*spec.fields).iterator(chunk_size=CHUNK)
    for batch in _batches(rows, CHUNK):
        if spec.supervisions:
            ctx.supervising = _supervising_units(r["id"] for r in batch if r["is_supervised"])
        for row in batch:
            row["_seq"] = sheet.count + 1
            sheet.row(row, ctx)
            levels[row["level"] or None] += 1
            statuses[row["status"]] += 1
            overdue += bool(row["is_overdue"] and row["status"] in OPEN_STATUSES)
    for line in totals(sheet.count, levels, statuses, overdue):
        sheet.line(line)
    sheet.finish()
    workbook.save(fileobj)
    return sheet.count


# ---------------------------------------------------------------- the header block


# Parts of an organisation: the list is filed by the bureau or school they belong to.
UNIT_PARTS = {UnitKind.SECTION, UnitKind.DEPARTMENT, UnitKind.CAMPUS}


def filing_unit(user: Any) -> str:
    """填报单位: the bureau or school of the person's own unit (安全股 files for its 教育局),
    else of the highest unit where they may export."""
    from xiaoan.orgs.models import Unit

    unit = getattr(user, "unit", None)
    if unit is None:
        grants = sorted(
            (g for g in grants_for(user) if EXPORT_PERMISSION in g.permissions and g.unit_id),
            key=lambda g: (len(g.unit_path or ""), g.unit_path or ""),
        )
        unit = Unit.objects.filter(pk=grants[0].unit_id).first() if grants else None
    if unit is None:
        return ""
    for node in [unit, *reversed(Unit.objects.get_ancestors(unit))]:
        if node.kind not in UNIT_PARTS:
            return node.name
    return unit.name


def _filter_value(name: str, value: Any, field: Any) -> str:
    if name == "unit":
        from xiaoan.orgs.models import Unit

        unit = Unit.objects.filter(pk=value).values_list("name", flat=True).first()
        return unit or str(value)
    if name == "owner":
        from django.contrib.auth import get_user_model

        person = get_user_model().objects.filter(pk=value).first()
        return str(person) if person else str(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.date):
        return value.isoformat()
    choices = dict(getattr(field, "choices", None) or ())
    if isinstance(value, list | tuple):
        return "、".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


def scope_text(params: Any, request: Any = None) -> str:
    """The ledger filters of `params` (a QueryDict) in words: "等级：重大隐患；…"."""
    from xiaoan.hazards.filtersets import HazardFilterSet

    filterset = HazardFilterSet(params, queryset=Hazard.objects.none(), request=request)
    if not filterset.is_valid():
        return ""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if name == "ordering" or value in (None, "", [], ()):
            continue
        label = filterset.filters[name].label
        parts.append(f"{label}：{_filter_value(name, value, filterset.form.fields[name])}")
    return "；".join(parts)


def header_for(request: Any) -> Header:
    """The header block for the person and the filters of `request`."""
    if request is None or not getattr(request.user, "is_authenticated", False):
        return Header()
    user = request.user
    return Header(
        unit=filing_unit(user),
        scope=scope_text(request.GET, request),
        author=getattr(user, "display_name", "") or str(user),
    )


# ---------------------------------------------------------------- responses


def export_queryset(user: Any) -> QuerySet:
    """What `user` may export: the hazards they see, within the units where they hold the
    export permission."""
    return Hazard.objects.restrict(user, "view").restrict(user, "export")


def ordered(queryset: QuerySet) -> QuerySet:
    """The ledger's order (newest first) unless a sort was asked for; pk breaks ties."""
    order = list(queryset.query.order_by)
    if not order:
        return queryset.order_by("-found_at", "-pk")
    if not any(o.lstrip("-") in ("pk", "id") for o in order):
        return queryset.order_by(*order, "-pk")
    return queryset


def export_filename(kind: str) -> str:
    return f"{KINDS[kind].title}-{timezone.localdate():%Y%m%d}.xlsx"


def export_response(queryset: QuerySet, kind: str, request: Any = None) -> FileResponse:
    """Write the list to a temporary file and stream it; the file goes away when closed.
    The header block names the person and the filters of `request` (by default the
    request being answered, so the API's export has it too)."""
    request = request if request is not None else current_request.get()
    header = header_for(request)
    return streamed(
        lambda handle: write_export(queryset, kind, handle, header) and None,
        export_filename(kind),
        f"hazards-{kind}",
    )


@login_required
@require_GET
def export_view(request, kind: str):
    """The ledger page's export link (URL name `hazards:hazard_export`): the list `kind` of
    the hazards the ledger's filters select."""
    from xiaoan.hazards.filtersets import HazardFilterSet

    if kind not in KINDS:
        raise Http404
    if not has_permission_anywhere(request.user, EXPORT_PERMISSION):
        raise PermissionDenied
    queryset = export_queryset(request.user)
    filterset = HazardFilterSet(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound:
        if not filterset.is_valid():
            return HttpResponseBadRequest(_("筛选条件有误，无法导出。"))
        queryset = filterset.qs
    return export_response(ordered(queryset), kind, request)
