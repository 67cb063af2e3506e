"""The business rules of training: who a session is for, recording attendance (the one
function every path goes through: the organiser's phone, the QR code at the door, an Excel
sheet, the API), the QR code's token, the attendance sheet, coverage and a person's record.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.models import RoleAssignment, User
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import get_scoped
from xiaoan.orgs.models import Unit
from xiaoan.training.choices import (
    LEADER_POSITIONS,
    LEADER_ROLES,
    AttendanceMethod,
    audience_role_choices,
)
from xiaoan.training.models import Attendance, TrainingSession

VIEW_PERM = "training.view_trainingsession"
CHANGE_PERM = "training.change_trainingsession"
MAX_SHEET_ROWS = 2000

# ---------------------------------------------------------------- who a session is for


def covered_units(session: TrainingSession) -> list[Unit]:
    """The units whose people the session is for: those chosen, else the organiser."""
    chosen = list(session.covers.all())
    return chosen or [session.unit]


def _paths_q(paths: Iterable[str], lookup: str = "unit__path") -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


def people_of(session: TrainingSession) -> QuerySet:
    """Active people of the covered units and their subtrees."""
    paths = [u.path for u in covered_units(session)]
    return (
        User.objects.filter(_paths_q(paths), is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name", "username")
    )


def save_covers(actor: Any, session: TrainingSession, data: dict) -> None:
    """The register's `save_related`: the covered units, each inside the organiser's
    subtree; not given: left as they are (none chosen: the whole subtree)."""
    if "covers" not in data:
        return
    chosen = [
        u if isinstance(u, Unit) else Unit.objects.filter(pk=u).first()
        for u in data["covers"] or []
    ]
    unit = Unit.objects.get(pk=session.unit_id)
    if any(u is None or not u.path.startswith(unit.path) for u in chosen):
        raise Invalid(fields={"covers": [_("覆盖单位须为组织单位或其下级单位。")]})
    session.covers.set(chosen)


# ---------------------------------------------------------------- attendance


@dataclass
class Marked:
    added: int = 0
    removed: int = 0
    outsiders: int = 0
    total: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "added": self.added,
            "removed": self.removed,
            "outsiders": self.outsiders,
            "total": self.total,
        }


def _locked(actor: Any, pk: Any, action: str = "change") -> TrainingSession:
    session = get_scoped(actor, TrainingSession, pk, action)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.is_retired:
        raise Conflict(_("该培训记录已注销，不能再登记参训人员。"))
    return session


def _clean_outsider(raw: dict, index: int) -> dict:
    out = {k: str(raw.get(k) or "").strip() for k in ("name", "employer", "kind", "certificate_no")}
    errors = []
    if not out["name"]:
        errors.append(_("第 %(n)d 位外来人员未填写姓名。") % {"n": index})
    if not out["employer"]:
        errors.append(_("第 %(n)d 位外来人员未填写工作单位。") % {"n": index})
    if len(out["name"]) > 50 or len(out["employer"]) > 100 or len(out["certificate_no"]) > 50:
        errors.append(_("第 %(n)d 位外来人员的信息过长。") % {"n": index})
    if len(out["kind"]) > 30:
        errors.append(_("第 %(n)d 位外来人员的类别过长。") % {"n": index})
    if errors:
        raise Invalid(errors[0], fields={"outsiders": errors})
    return out


def _recount(session: TrainingSession, unit_ids: Iterable[int | None] = ()) -> None:
    """The session's count, and the counters that read attendance at the attendees' units
    (the leader-training indicator of their schools)."""
    from xiaoan.reports import rollups

    session.attendee_count = session.attendances.count()
    session.save(update_fields=["attendee_count", "updated_at"])
    rollups.changed(Attendance, set(unit_ids))


def _write(
    actor: Any,
    session: TrainingSession,
    people: Sequence[User],
    outsiders: Sequence[dict],
    method: str,
    *,
    replace: bool,
) -> Marked:
    result = Marked()
    wanted = {p.pk: p for p in people}
    present = set(session.attendances.filter(user__isnull=False).values_list("user_id", flat=True))
    touched = {p.unit_id for p in people}
    if replace:
        gone = present - set(wanted)
        if gone:
            rows = session.attendances.filter(user_id__in=gone)
            touched |= set(rows.values_list("unit_id", flat=True))
            result.removed = rows.delete()[0]
    now = timezone.now()
    new = [
        Attendance(
            session=session,
            user=person,
            unit_id=person.unit_id,
            name=person.display_name,
            kind=person.position[:30],
            method=method,
            recorded_by=actor,
            recorded_at=now,
        )
        for pk, person in wanted.items()
        if pk not in present
    ]
    Attendance.objects.bulk_create(new)
    result.added = len(new)
    if outsiders:
        known = set(session.attendances.filter(user__isnull=True).values_list("name", "employer"))
        rows = []
        for row in outsiders:
            if (row["name"], row["employer"]) in known:
                continue
            known.add((row["name"], row["employer"]))
            rows.append(
                Attendance(
                    session=session,
                    unit_id=session.unit_id,
                    method=method,
                    recorded_by=actor,
                    recorded_at=now,
                    **row,
                )
            )
        Attendance.objects.bulk_create(rows)
        result.outsiders = len(rows)
    _recount(session, touched)
    result.total = session.attendee_count
    return result


@transaction.atomic
def mark(
    actor: Any,
    pk: Any,
    *,
    users: Iterable[Any] = (),
    outsiders: Iterable[dict] = (),
    method: str = AttendanceMethod.PHONE,
    replace: bool = False,
) -> Marked:
    """Record who attended: `users` (ids of people of the covered units) and `outsiders`
    ({name, employer, kind, certificate_no}). With `replace` the people ticked are the
    session's whole list of platform users (the phone page: unticking removes); outsiders
    are only ever added. The same call again changes nothing (a retried submission)."""
    if not has_permission_anywhere(actor, CHANGE_PERM):
        raise Forbidden()
    session = _locked(actor, pk)
    ids = []
    for raw in users:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            raise Invalid(fields={"users": [_("人员编号有误。")]}) from None
    people = list(people_of(session).filter(pk__in=set(ids)))
    if len(people) != len(set(ids)):
        raise Invalid(
            _("所选人员不在本次培训的覆盖单位内。"),
            fields={"users": [_("所选人员不在本次培训的覆盖单位内。")]},
        )
    cleaned = [_clean_outsider(row, n) for n, row in enumerate(outsiders, 1)]
    return _write(actor, session, people, cleaned, method, replace=replace)


@transaction.atomic
def unmark(actor: Any, pk: Any, attendance_pk: Any) -> None:
    """Take one attendee (an outsider entered by mistake) off the list."""
    if not has_permission_anywhere(actor, CHANGE_PERM):
        raise Forbidden()
    session = _locked(actor, pk)
    row = (
        session.attendances.filter(pk=attendance_pk).first()
        if str(attendance_pk).isdigit()
        else None
    )
    if row is None:
        raise NotFound()
    row.delete()
    _recount(session, [row.unit_id])


def attendance_of(session: TrainingSession) -> QuerySet:
    return session.attendances.select_related("unit", "recorded_by").order_by(
        "unit__path", "employer", "name", "pk"
    )  # within a unit its own people (no employer) before outsiders


# ---------------------------------------------------------------- the QR code at the door


@transaction.atomic
def open_checkin(actor: Any, pk: Any) -> TrainingSession:
    """A new token: the QR code shown before stops working (regenerating closes it)."""
    if not has_permission_anywhere(actor, CHANGE_PERM):
        raise Forbidden()
    session = _locked(actor, pk)
    session.checkin_token = secrets.token_urlsafe(32)
    session.save(update_fields=["checkin_token", "updated_at"])
    return session


@transaction.atomic
def close_checkin(actor: Any, pk: Any) -> TrainingSession:
    if not has_permission_anywhere(actor, CHANGE_PERM):
        raise Forbidden()
    session = _locked(actor, pk)
    session.checkin_token = ""
    session.save(update_fields=["checkin_token", "updated_at"])
    return session


def session_for_token(token: str) -> TrainingSession:
    """The session a scanned code names (404 for a wrong, closed or old code)."""
    token = (token or "").strip()
    if len(token) < 20:
        raise NotFound(_("签到码无效或已关闭，请向培训组织者索取新的签到码。"))
    session = TrainingSession.objects.select_related("unit").filter(checkin_token=token).first()
    if session is None:
        raise NotFound(_("签到码无效或已关闭，请向培训组织者索取新的签到码。"))
    return session


@transaction.atomic
def check_in(user: Any, token: str) -> tuple[TrainingSession, bool]:
    """The person who scanned the code is recorded (True) or was already (False). Only
    people of the covered units; a closed code or a retired session is refused."""
    session = session_for_token(token)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.is_retired or session.checkin_token != token.strip():
        raise Conflict(_("签到已关闭。"))
    if not people_of(session).filter(pk=user.pk).exists():
        raise Invalid(_("您不在本次培训的参训单位范围内，不能签到。如有疑问请联系培训组织者。"))
    if session.attendances.filter(user_id=user.pk).exists():
        return session, False
    _write(user, session, [user], [], AttendanceMethod.QR, replace=False)
    return session, True


# ---------------------------------------------------------------- the Excel sheet

HEADERS = {
    "name": ("姓名", "参训人", "参训人员"),
    "unit": ("单位", "所属单位", "学校", "部门"),
    "employer": ("工作单位", "外来单位", "用工单位"),
    "kind": ("人员类别", "类别", "岗位"),
    "certificate_no": ("证书编号", "证书号", "上岗证编号"),
}


@dataclass
class SheetResult:
    rows: int = 0
    people: int = 0
    outsiders: int = 0
    added: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "people": self.people,
            "outsiders": self.outsiders,
            "added": self.added,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "errors": [{"row": r, "message": m} for r, m in self.errors],
        }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(source: IO[bytes] | bytes) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    data = source if isinstance(source, bytes) else source.read()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise Invalid(_("无法读取该文件：请上传 Excel 工作簿（.xlsx）。")) from None
    rows = book.worksheets[0].iter_rows(values_only=True)
    columns: dict[int, str] = {}
    out: list[tuple[int, dict[str, str]]] = []
    for number, raw in enumerate(rows, start=1):
        cells = [_cell(c) for c in raw]
        if not columns:
            for index, text in enumerate(cells):
                key = next((k for k, words in HEADERS.items() if text.rstrip("*") in words), None)
                if key and key not in columns.values():
                    columns[index] = key
            if "name" not in columns.values():
                columns = {}
            continue
        row = {key: cells[i] if i < len(cells) else "" for i, key in columns.items()}
        if any(row.values()):
            out.append((number, row))
        if len(out) > MAX_SHEET_ROWS:
            raise Invalid(_("一次最多导入 %(n)d 行。") % {"n": MAX_SHEET_ROWS})
    book.close()
    if not columns:
        raise Invalid(_("表格中找不到“姓名”列。"))
    return out


@transaction.atomic
def import_sheet(actor: Any, pk: Any, upload: Any, *, dry_run: bool = False) -> SheetResult:
    """Attendance from a sheet: each row names a person of the covered units (姓名, with
    单位 when two share a name) or an outside trainee (工作单位 filled). Every row is
    checked first; unknown or ambiguous names are reported by row and nothing is written
    unless every row is right."""
    if not has_permission_anywhere(actor, CHANGE_PERM):
        raise Forbidden()
    session = _locked(actor, pk)
    if upload is None:
        raise Invalid(fields={"file": [_("请选择文件。")]})
    rows = read_sheet(upload)
    result = SheetResult(rows=len(rows), dry_run=dry_run)
    if not rows:
        raise Invalid(_("表格中没有参训人员。"))
    by_name: dict[str, list[User]] = {}
    for person in people_of(session):
        by_name.setdefault(person.display_name, []).append(person)
    chosen: dict[int, User] = {}
    outsiders: list[dict] = []
    for number, row in rows:
        name = row.get("name", "")
        if not name:
            result.errors.append((number, _("未填写姓名。")))
            continue
        if row.get("employer"):
            try:
                outsiders.append(_clean_outsider(row, number))
            except Invalid as error:
                result.errors.append((number, str(error.message)))
            continue
        found = by_name.get(name, [])
        if row.get("unit"):
            found = [
                p for p in found if p.unit and row["unit"] in (p.unit.name, *p.unit.alias_list())
            ]
        if not found:
            result.errors.append(
                (
                    number,
                    _("查无此人：“%(n)s”不是本次培训覆盖单位的人员（外来人员请填写工作单位）。")
                    % {"n": name},
                )
            )
        elif len(found) > 1:
            result.errors.append((number, _("“%(n)s”有重名，请填写所属单位。") % {"n": name}))
        elif found[0].pk in chosen:
            result.errors.append((number, _("“%(n)s”重复出现。") % {"n": name}))
        else:
            chosen[found[0].pk] = found[0]
    result.people, result.outsiders = len(chosen), len(outsiders)
    if result.errors or dry_run:
        return result
    marked = _write(
        actor, session, list(chosen.values()), outsiders, AttendanceMethod.SHEET, replace=False
    )
    result.added = marked.added + marked.outsiders
    return result


# ---------------------------------------------------------------- the attendance list sheet


def attendance_response(session: TrainingSession) -> FileResponse:
    """The session's attendance list as a printable, streamed sheet (签到表)."""
    from openpyxl import Workbook

    from xiaoan.core.xlsx import Column, Sheet, local_time, streamed

    methods = dict(AttendanceMethod.choices)
    columns = [
        Column(_("序号"), 6, lambda r, c: r["_seq"]),
        Column(_("姓名"), 12, lambda r, c: r["name"]),
        Column(_("单位"), 22, lambda r, c: r["employer"] or r["unit__name"]),
        Column(_("人员类别/职务"), 14, lambda r, c: r["kind"]),
        Column(_("证书编号"), 16, lambda r, c: r["certificate_no"]),
        Column(_("签到方式"), 10, lambda r, c: str(methods.get(r["method"], r["method"]))),
        Column(_("登记时间"), 17, lambda r, c: local_time(r["recorded_at"])),
    ]

    def write(handle) -> int:
        workbook = Workbook(write_only=True)
        above = [
            _("组织单位：%(u)s　培训日期：%(d)s　授课人：%(t)s　学时：%(h)s")
            % {
                "u": session.unit.name,
                "d": session.held_on,
                "t": session.trainer,
                "h": session.hours,
            }
        ]
        sheet = Sheet(workbook, _("签到表"), f"{session.name} {_('签到表')}", columns, above=above)
        rows = (
            attendance_of(session)
            .values(
                "name", "employer", "unit__name", "kind", "certificate_no", "method", "recorded_at"
            )
            .iterator(chunk_size=500)
        )
        for row in rows:
            row["_seq"] = sheet.count + 1
            sheet.row(row, None)
        sheet.line(_("合计：%(n)d 人") % {"n": sheet.count})
        sheet.finish()
        workbook.save(handle)
        return sheet.count

    filename = f"{session.name}-签到表.xlsx"
    return streamed(write, filename, "training-attendance", obj=session)


# ---------------------------------------------------------------- coverage


LEADERS = "leaders"  # the plans' rule's people, a choice of the coverage page's role


def target_people(paths: Iterable[str], role: str = "", kind: str = "") -> QuerySet:
    """Active people of the units at `paths` (subtrees) who hold `role` (anywhere; LEADERS:
    principals, deputies in charge, 安办主任) or whose 职务 names `kind`; neither: everyone."""
    people = User.objects.filter(_paths_q(paths), is_active=True)
    who = Q()
    if role == LEADERS:
        who |= leaders_q()
    elif role:
        who |= Q(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role__code=role)))
    if kind:
        who |= Q(position__icontains=kind)
    return people.filter(who) if (role or kind) else people


def trained_q(start: dt.date | None, end: dt.date | None) -> Exists:
    rows = Attendance.objects.filter(user=OuterRef("pk"), session__retired_at__isnull=True)
    if start:
        rows = rows.filter(session__held_on__gte=start)
    if end:
        rows = rows.filter(session__held_on__lte=end)
    return Exists(rows)


@dataclass
class CoverageRow:
    unit: Unit
    total: int = 0
    trained: int = 0

    @property
    def untrained(self) -> int:
        return self.total - self.trained

    @property
    def share(self) -> int | None:
        return round(self.trained * 100 / self.total) if self.total else None


@dataclass
class Coverage:
    root: Unit
    rows: list[CoverageRow]
    total: CoverageRow
    untrained: list[dict]


def visible_units(actor: Any) -> QuerySet:
    return Unit.objects.with_permission(actor, VIEW_PERM)


def coverage(
    actor: Any,
    root: Unit,
    *,
    role: str = "",
    kind: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Coverage:
    """Who under `root` has been trained in the period: per child unit (its subtree rolled
    up), in total, and the untrained of the whole. People are read in one query and counted
    here, so the cost does not grow with the number of units."""
    if not has_permission_anywhere(actor, VIEW_PERM):
        raise Forbidden()
    if not visible_units(actor).filter(pk=root.pk).exists():
        raise NotFound()
    if role and role != LEADERS and role not in dict(audience_role_choices()):
        raise Invalid(fields={"role": [_("角色有误。")]})
    children = list(
        visible_units(actor)
        .filter(path__startswith=root.path, depth=root.depth + 1)
        .order_by("path")
    )
    rows = {u.path: CoverageRow(u) for u in children}
    own = CoverageRow(root)
    total = CoverageRow(root)
    untrained = []
    people = (
        target_people([root.path], role, kind)
        .annotate(trained=trained_q(start, end))
        .values("pk", "name", "username", "position", "unit__name", "unit__path", "trained")
        .order_by("unit__path", "name", "pk")
    )
    step = Unit.steplen
    for person in people:
        row = rows.get(person["unit__path"][: len(root.path) + step], own)
        row.total += 1
        total.total += 1
        if person["trained"]:
            row.trained += 1
            total.trained += 1
        else:
            untrained.append(person)
    listed = [own] if own.total else []
    return Coverage(root, listed + list(rows.values()), total, untrained)


# ---------------------------------------------------------------- the plans' rule


def leaders_q() -> Q:
    """Principals, deputies in charge and 安办主任: by their roles or their 职务."""
    who = Q(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role__code__in=LEADER_ROLES)))
    for word in LEADER_POSITIONS:
        who |= Q(position__contains=word)
    return who


# ---------------------------------------------------------------- a person's record


def person_in_scope(actor: Any, pk: Any) -> User:
    """The person whose record `actor` may read: themself, or someone of a unit where they
    may see training (404 otherwise)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if pk == actor.pk:
        return User.objects.select_related("unit").get(pk=pk)
    person = (
        User.objects.select_related("unit").filter(pk=pk, unit__in=visible_units(actor)).first()
    )
    if person is None:
        raise NotFound()
    return person


def record_of(person: User) -> QuerySet:
    return (
        Attendance.objects.filter(user=person, session__retired_at__isnull=True)
        .select_related("session", "session__unit")
        .order_by("-session__held_on", "-pk")
    )
