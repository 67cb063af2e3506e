"""法治副校长、校园警务室与心理健康教师 on the dashboard (xiaoan.reports.figures): the items on
file, and per school the rules (xiaoan.lawsafety.rules) from the "lawsafety" rollup
(xiaoan.lawsafety.tallies): schools without a legal vice-principal, schools whose legal
vice-principal has too few activities this semester, schools without a police room, and
full-time counsellors required against those on file. Per branch the same for the ranking
(required and on file among its columns); a school's dashboard has its own line as a
table."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.lawsafety import rules
from xiaoan.lawsafety.registers import COUNSELLORS, LEGAL_VICE_PRINCIPALS, POLICE_ROOMS
from xiaoan.lawsafety.tallies import KIND
from xiaoan.reports.figures import (
    Column,
    Figure,
    Scope,
    Section,
    allowed,
    section,
    tallied,
)

TABLE_ROWS = 30


def _schools_table(scope: Scope, see_lvp: bool, see_rooms: bool, see_counsellors: bool) -> dict:
    """The schools in scope with their own counters (one query), those behind the rules
    first."""
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.reports.models import Rollup

    rows = Rollup.objects.filter(kind=KIND, unit__kind=UnitKind.SCHOOL)
    if scope.subtree:
        rows = rows.filter(unit__path__startswith=scope.path)
    else:
        rows = rows.filter(unit=scope.unit)
    found = [(name, own) for name, own in rows.values_list("unit__name", "own") if own]

    def behind(own: dict) -> int:
        return sum(own.get(k, 0) for k in ("no_lvp", "lvp_short", "no_room", "c_short"))

    found.sort(key=lambda r: (-behind(r[1]), r[0]))
    columns, out = [_("学校")], []
    if see_lvp:
        columns += [_("法治副校长"), _("本学期活动")]
    if see_rooms:
        columns.append(_("警务室"))
    if see_counsellors:
        columns.append(_("专职心理教师 实配/应配"))
    for name, own in found[:TABLE_ROWS]:
        row = [name]
        if see_lvp:
            row += [_("无") if own.get("no_lvp") else _("有"), own.get("lvp_done", 0)]
        if see_rooms:
            row.append(_("无") if own.get("no_room") else _("有"))
        if see_counsellors:
            row.append(f"{own.get('c_have', 0)} / {own.get('c_need', 0)}")
        out.append(row)
    return {"key": "schools", "title": _("各校法治与心理健康配备"), "columns": columns, "rows": out}


@section
def lawsafety_section(scope: Scope) -> Section | None:
    see_lvp = allowed(scope, LEGAL_VICE_PRINCIPALS.perm("view"))
    see_rooms = allowed(scope, POLICE_ROOMS.perm("view"))
    see_counsellors = allowed(scope, COUNSELLORS.perm("view"))
    if not (see_lvp or see_rooms or see_counsellors):
        return None
    schools = scope.counters(KIND)
    ranked = scope.ranked(KIND) if scope.subtree else {}
    result = Section(
        key="lawsafety", title=_("法治副校长、警务室与心理健康教师"), order=46, brief=False
    )
    branches: dict[str, dict] = {path: {} for path in ranked}

    def per_branch(*names: str) -> None:
        for path, counters in ranked.items():
            for name in names:
                branches[path][name] = counters.get(name, 0)

    if see_lvp:
        totals = tallied(scope, LEGAL_VICE_PRINCIPALS)
        link = partial(scope.list_url, LEGAL_VICE_PRINCIPALS.url_name("list"))
        result.figures += [
            Figure("lvp", _("法治副校长"), totals["total"], link(), suffix=_("人")),
            Figure(
                "no_lvp",
                _("未聘法治副校长的学校"),
                schools.get("no_lvp", 0),
                bad=schools.get("no_lvp", 0) > 0,
                suffix=_("所"),
            ),
            Figure(
                "lvp_short",
                _("本学期活动不足%(n)d次的学校") % {"n": rules.MIN_ACTIVITIES_PER_SEMESTER},
                schools.get("lvp_short", 0),
                bad=schools.get("lvp_short", 0) > 0,
                suffix=_("所"),
            ),
            Figure(
                "lvp_term_over",
                _("聘期已满"),
                totals["term_over"],
                link(term_over="true"),
                bad=totals["term_over"] > 0,
                suffix=_("人"),
            ),
        ]
        result.columns += [
            Column("no_lvp", _("未聘法治副校长"), weight=2),
            Column("lvp_short", _("法治副校长活动不足"), weight=1),
        ]
        per_branch("no_lvp", "lvp_short")
    if see_rooms:
        totals = tallied(scope, POLICE_ROOMS)
        link = partial(scope.list_url, POLICE_ROOMS.url_name("list"))
        result.figures += [
            Figure("rooms", _("校园警务室"), totals["total"], link(), suffix=_("个")),
            Figure(
                "no_room",
                _("未设警务室的学校"),
                schools.get("no_room", 0),
                bad=schools.get("no_room", 0) > 0,
                suffix=_("所"),
            ),
            Figure(
                "rooms_unstaffed",
                _("上放学时段未全部值守"),
                totals["unstaffed"],
                link(unstaffed="true"),
                bad=totals["unstaffed"] > 0,
                suffix=_("个"),
            ),
        ]
        result.columns.append(Column("no_room", _("未设警务室"), weight=1))
        per_branch("no_room")
    if see_counsellors:
        totals = tallied(scope, COUNSELLORS)
        link = partial(scope.list_url, COUNSELLORS.url_name("list"))
        have, need = schools.get("c_have", 0), schools.get("c_need", 0)
        result.figures += [
            Figure("counsellors", _("心理健康教师"), totals["total"], link(), suffix=_("人")),
            Figure(
                "counsellor_ratio",
                _("专职心理教师 实配/应配"),
                f"{have} / {need}",
                link(employment="full_time"),
                bad=schools.get("c_short", 0) > 0,
            ),
            Figure(
                "c_short",
                _("专职心理教师未配足的学校"),
                schools.get("c_short", 0),
                bad=schools.get("c_short", 0) > 0,
                suffix=_("所"),
            ),
        ]
        # Each school's (or branch's) requirement and what it has, beside its shortfall.
        result.columns += [
            Column("c_short", _("心理教师未配足"), weight=2),
            Column("c_need", _("专职心理教师应配")),
            Column("c_have", _("专职心理教师实配")),
        ]
        per_branch("c_short", "c_need", "c_have")
    if not scope.subtree or scope.unit.kind == "school":
        # A school (or a unit seen alone): its own line. A district reads its schools' in the
        # ranking's columns (a table of every school would add a printed page).
        result.tables = [_schools_table(scope, see_lvp, see_rooms, see_counsellors)]
    if scope.subtree:
        result.branches = branches
    return result
