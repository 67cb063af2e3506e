"""The drill's rules (应急演练), shared by the pages, the API, the demo and the to-dos.

- Plan: a unit where the person holds `drills.add_drill`, a kind, a date, the scenario, the
  organiser and the roles (name + role rows, at most `MAX_ROLES`), the expected participants
  (by default the school's enrolment plus its staff) and, for an evacuation, the target time.
  A planned drill may be changed or cancelled (with a reason).
- Record (planned → recorded): start and end (the end after the start, neither in the
  future, at most a day apart), participants counted (the all-pupils rule is their share of
  the expected), evacuation time, photos and video links. A retry with the same key answers
  the drill as recorded; with the same key but another request, 422.
- Evaluate (recorded → evaluated): every item of the kind's checklist (xiaoan.drills.
  checklists) marked 良好 or 存在问题, a problem with a note; each problem becomes a hazard of
  the drill's unit through `record_finding` (keyed by the drill and item: never twice), then
  the unit's pending drill obligations are decided at once (xiaoan.drills.proof).
- Observers: a superior's person or an outside expert (inspections' `invitable_people`, and
  the people of the units above the drill's), invited to see that drill only.
Every step is an event of the drill's history (xiaoan.drills.workflow)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.models import User
from xiaoan.core.errors import Forbidden, NotFound, field_error
from xiaoan.core.history import stamp
from xiaoan.core.idempotency import begin_once, clean_key
from xiaoan.core.registers import home_unit
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import ensure_in_scope
from xiaoan.core.workflow import begin, require_note
from xiaoan.drills.checklists import DOMAINS, TARGET_SECONDS, checklist
from xiaoan.drills.choices import CheckResult, DrillAction, DrillKind
from xiaoan.drills.models import Drill, DrillCheck, DrillEvent, DrillInvite, DrillPhoto
from xiaoan.orgs.models import Unit, ancestor_paths

ADD, CHANGE, RECORD, EVALUATE = (
    "drills.add_drill",
    "drills.change_drill",
    "drills.record_drill",
    "drills.evaluate_drill",
)
MAX_ROLES = 30
MAX_LINKS = 10
MAX_PARTICIPANTS = 100_000
MAX_DURATION = dt.timedelta(hours=24)
LATE_MARGIN = dt.timedelta(minutes=10)  # a phone's clock a little ahead is not the future


def _workflow():
    from xiaoan.drills.workflow import DRILL

    return DRILL


# ---------------------------------------------------------------- planning


def planning_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD).filter(is_active=True)


def default_expected(unit: Unit) -> int:
    """The school's pupils and staff (a campus or department without its own figures takes
    its school's)."""
    for candidate in (unit, home_unit(unit)):
        if candidate.enrolment is not None or candidate.staff_count is not None:
            return (candidate.enrolment or 0) + (candidate.staff_count or 0)
    return 0


def clean_roles(rows: Iterable[Any]) -> list[dict[str, str]]:
    """[{"name", "role"}] trimmed, blank rows dropped; a row missing one half is refused."""
    out = []
    for row in rows or ():
        if not isinstance(row, Mapping):
            raise field_error(_("分工须为“职责 + 姓名”的行。"), "roles")
        name = " ".join(str(row.get("name") or "").split())
        role = " ".join(str(row.get("role") or "").split())
        if not name and not role:
            continue
        if not name or not role:
            raise field_error(_("每行分工须同时写明职责和姓名。"), "roles")
        if len(name) > 50 or len(role) > 50:
            raise field_error(_("职责和姓名各不超过 50 个字。"), "roles")
        out.append({"role": role, "name": name})
    if len(out) > MAX_ROLES:
        raise field_error(_("分工最多 %(n)d 行。") % {"n": MAX_ROLES}, "roles")
    return out


def _plan_fields(
    *,
    kind: str,
    planned_on: Any,
    title: str,
    scenario: str,
    organiser: str,
    roles: Iterable[Any],
    target_seconds: Any,
) -> dict[str, Any]:
    if kind not in DrillKind.values:
        raise field_error(_("请选择演练类型。"), "kind")
    if not isinstance(planned_on, dt.date):
        raise field_error(_("请填写计划日期。"), "planned_on")
    organiser = " ".join(str(organiser or "").split())
    if not organiser:
        raise field_error(_("请填写总指挥/组织者。"), "organiser")
    if len(organiser) > 50:
        raise field_error(_("总指挥/组织者不超过 50 个字。"), "organiser")
    title = " ".join(str(title or "").split())[:200] or _("%(k)s演练") % {
        "k": DrillKind(kind).label
    }
    if target_seconds in ("", None):
        target_seconds = TARGET_SECONDS.get(kind)
    elif not 1 <= int(target_seconds) <= 86_400:
        raise field_error(_("目标疏散用时须在 1 到 86400 秒之间。"), "target_seconds")
    return {
        "kind": kind,
        "planned_on": planned_on,
        "title": title,
        "scenario": (scenario or "").strip(),
        "organiser": organiser,
        "roles": clean_roles(roles),
        "target_seconds": target_seconds,
    }


def _teams(unit: Unit, ids: Iterable[Any] | None) -> list:
    """The school's own teams (not retired) among `ids`; any other is refused."""
    from xiaoan.emergency.models import EmergencyTeam

    wanted = set()
    for value in ids or ():
        pk = getattr(value, "pk", value)
        if not str(pk).isdigit() or int(pk) > 2**31 - 1:
            raise field_error(_("参演队伍须为本校的应急队伍。"), "teams")
        wanted.add(int(pk))
    if not wanted:
        return []
    found = list(
        EmergencyTeam.objects.filter(
            pk__in=wanted,
            unit__path__startswith=home_unit(unit).path,
            retired_at__isnull=True,
        )
    )
    if len(found) != len(wanted):
        raise field_error(_("参演队伍须为本校的应急队伍。"), "teams")
    return found


def team_choices(actor: Any):
    """The teams a plan's form offers: those of the units the person may plan drills for."""
    from xiaoan.emergency.models import EmergencyTeam

    return (
        EmergencyTeam.objects.filter(
            unit__in=planning_units(actor).values("pk"), retired_at__isnull=True
        )
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def _expected(value: Any, unit: Unit) -> int:
    if value in ("", None):
        return default_expected(unit)
    value = int(value)
    if not 0 <= value <= MAX_PARTICIPANTS:
        raise field_error(_("应参加人数须在 0 到 100000 之间。"), "expected_participants")
    return value


@transaction.atomic
def plan(
    actor: Any,
    *,
    unit: Any,
    kind: str,
    planned_on: dt.date,
    organiser: str,
    title: str = "",
    scenario: str = "",
    roles: Iterable[Any] = (),
    expected_participants: int | None = None,
    target_seconds: int | None = None,
    teams: Iterable[Any] | None = None,
) -> Drill:
    if not has_permission_anywhere(actor, ADD):
        raise Forbidden()
    unit_id = getattr(unit, "pk", unit)
    found = (
        planning_units(actor).filter(pk=unit_id).first() if str(unit_id or "").isdigit() else None
    )
    if found is None:
        raise field_error(_("单位不存在或不在您的管理范围内。"), "unit")
    fields = _plan_fields(
        kind=kind,
        planned_on=planned_on,
        title=title,
        scenario=scenario,
        organiser=organiser,
        roles=roles,
        target_seconds=target_seconds,
    )
    taking_part = _teams(found, teams)
    drill = Drill(
        unit=found,
        expected_participants=_expected(expected_participants, found),
        created_by=actor,
        **fields,
    )
    stamp(drill, actor)
    _workflow().advance(drill, actor, DrillAction.PLAN, to=None, created=True)
    drill.teams.set(taking_part)
    ensure_in_scope(actor, drill, "add")
    return drill


@transaction.atomic
def update_plan(
    actor: Any,
    pk: Any,
    *,
    kind: str,
    planned_on: dt.date,
    organiser: str,
    title: str = "",
    scenario: str = "",
    roles: Iterable[Any] = (),
    expected_participants: int | None = None,
    target_seconds: int | None = None,
    teams: Iterable[Any] | None = None,
    version: int | None = None,
) -> Drill:
    """Change a planned drill (its unit stays; `teams` None leaves its teams as they are)."""
    drill = begin(actor, Drill, pk, "edit", version)
    taking_part = None if teams is None else _teams(drill.unit, teams)
    fields = _plan_fields(
        kind=kind,
        planned_on=planned_on,
        title=title,
        scenario=scenario,
        organiser=organiser,
        roles=roles,
        target_seconds=target_seconds,
    )
    for name, value in fields.items():
        setattr(drill, name, value)
    drill.expected_participants = _expected(expected_participants, drill.unit)
    stamp(drill, actor)
    _workflow().advance(drill, actor, DrillAction.EDIT)
    if taking_part is not None:
        drill.teams.set(taking_part)
    ensure_in_scope(actor, drill, "change")
    return drill


@transaction.atomic
def cancel(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Drill:
    drill = begin(actor, Drill, pk, "cancel", version)
    note = require_note(note, _("取消原因"))
    stamp(drill, actor)
    _workflow().advance(drill, actor, DrillAction.CANCEL, note=note)
    return drill


# ---------------------------------------------------------------- recording


def clean_links(text: str) -> str:
    links = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        raise field_error(_("视频链接最多 %(n)d 条。") % {"n": MAX_LINKS}, "video_links")
    for link in links:
        if not link.lower().startswith(("https://", "http://")) or len(link) > 500 or " " in link:
            raise field_error(
                _("视频链接须以 http:// 或 https:// 开头，每行一条：%(l)s") % {"l": link[:60]},
                "video_links",
            )
    return "\n".join(links)


def _check_times(started_at: Any, ended_at: Any) -> None:
    if not isinstance(started_at, dt.datetime):
        raise field_error(_("请填写开始时间。"), "started_at")
    if not isinstance(ended_at, dt.datetime):
        raise field_error(_("请填写结束时间。"), "ended_at")
    if ended_at <= started_at:
        raise field_error(_("结束时间须晚于开始时间。"), "ended_at")
    if ended_at > timezone.now() + LATE_MARGIN:
        raise field_error(_("结束时间不能晚于现在：演练结束后再记录。"), "ended_at")
    if ended_at - started_at > MAX_DURATION:
        raise field_error(_("一次演练不超过 24 小时，请检查时间。"), "ended_at")


def _save_photos(drill: Drill, actor: Any, photos: Sequence) -> None:
    from xiaoan.core.photos import clean_photo

    if len(photos) > settings.XIAOAN_PHOTO_MAX_COUNT:
        raise field_error(
            _("一次最多上传 %(n)d 张照片。") % {"n": settings.XIAOAN_PHOTO_MAX_COUNT}, "photos"
        )
    cleaned = [clean_photo(upload) for upload in photos]  # all checked before any is saved
    for content, width, height in cleaned:
        photo = DrillPhoto(drill=drill, uploaded_by=actor, width=width, height=height)
        photo.image.save(content.name, content, save=False)
        photo.save()


@transaction.atomic
def record(
    actor: Any,
    pk: Any,
    *,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    participants: int,
    evacuation_seconds: int | None = None,
    video_links: str = "",
    note: str = "",
    photos: Sequence = (),
    idempotency_key: str | None = None,
    fingerprint: str = "",
    version: int | None = None,
) -> Drill:
    key = clean_key(idempotency_key)
    drill, replayed = begin_once(
        lambda: begin(actor, Drill, pk, "record", version),
        Drill,
        pk,
        key=key,
        given=fingerprint,
        key_field="record_key",
        fingerprint_field="record_fingerprint",
    )
    if replayed:
        return drill
    _check_times(started_at, ended_at)
    if participants in ("", None):
        raise field_error(_("请填写实际参加人数。"), "participants")
    if not 0 <= int(participants) <= MAX_PARTICIPANTS:
        raise field_error(_("实际参加人数须在 0 到 100000 之间。"), "participants")
    if evacuation_seconds not in ("", None) and not 1 <= int(evacuation_seconds) <= 86_400:
        raise field_error(_("疏散用时须在 1 到 86400 秒之间。"), "evacuation_seconds")
    drill.video_links = clean_links(video_links)
    _save_photos(drill, actor, list(photos or ()))
    drill.started_at, drill.ended_at = started_at, ended_at
    drill.held_on = timezone.localtime(started_at).date()
    drill.participants = int(participants)
    drill.evacuation_seconds = int(evacuation_seconds) if evacuation_seconds else None
    drill.record_note = (note or "").strip()
    drill.recorded_by, drill.recorded_at = actor, timezone.now()
    drill.record_key = key or ""
    drill.record_fingerprint = fingerprint if key else ""
    stamp(drill, actor)
    _workflow().advance(
        drill,
        actor,
        DrillAction.RECORD,
        data={"participants": drill.participants, "participation": drill.participation},
    )
    return drill


# ---------------------------------------------------------------- evaluating


def _answers(drill: Drill, results: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, str]]:
    items = checklist(drill.kind)
    known = {item.code for item in items}
    answers: dict[str, tuple[str, str]] = {}
    for row in results or ():
        code = str(row.get("code") or "")
        if code not in known:
            raise field_error(
                _("评估项 %(c)s 不在本类演练的评估表中。") % {"c": code[:30]}, "results"
            )
        result = row.get("result") or ""
        if result not in CheckResult.values:
            raise field_error(_("请为每个评估项选择良好或存在问题。"), "results")
        answers[code] = (result, (row.get("note") or "").strip())
    missing = [item for item in items if item.code not in answers]
    if missing:
        raise field_error(
            _("还有 %(n)d 个评估项未评：%(items)s。")
            % {"n": len(missing), "items": "、".join(str(i.text) for i in missing[:5])},
            "results",
        )
    unexplained = [item for item in items if answers[item.code] == (CheckResult.PROBLEM, "")]
    if unexplained:
        raise field_error(
            _("存在问题的评估项须写明问题：%(items)s。")
            % {"items": "、".join(str(i.text) for i in unexplained[:5])},
            "results",
        )
    return answers


def _hazard_text(drill: Drill, text: str, note: str) -> str:
    return _("%(note)s（%(drill)s %(d)s 评估项：%(text)s）") % {
        "note": note,
        "drill": drill.title,
        "d": f"{drill.held_on or drill.planned_on:%Y-%m-%d}",
        "text": text,
    }


TIME_ITEM = "time"  # the checklists' item on the evacuation time


def suggested_answers(drill: Drill) -> dict[str, tuple[str, str]]:
    """What the record already says of the checklist: the time item from the recorded
    evacuation time against the target (the evaluator may still change it)."""
    within = drill.within_target
    if within is None or TIME_ITEM not in {item.code for item in checklist(drill.kind)}:
        return {}
    if within:
        return {TIME_ITEM: (CheckResult.OK, "")}
    note = _("疏散用时 %(s)d 秒，超过目标 %(t)d 秒。") % {
        "s": drill.evacuation_seconds,
        "t": drill.target_seconds,
    }
    return {TIME_ITEM: (CheckResult.PROBLEM, note)}


@transaction.atomic
def evaluate(
    actor: Any,
    pk: Any,
    *,
    results: Iterable[Mapping[str, Any]] = (),
    summary: str = "",
    idempotency_key: str | None = None,
    fingerprint: str = "",
    version: int | None = None,
) -> Drill:
    key = clean_key(idempotency_key)
    drill, replayed = begin_once(
        lambda: begin(actor, Drill, pk, "evaluate", version),
        Drill,
        pk,
        key=key,
        given=fingerprint,
        key_field="evaluate_key",
        fingerprint_field="evaluate_fingerprint",
    )
    if replayed:
        return drill
    answers = _answers(drill, results)
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.choices import HazardSource

    now = timezone.now()
    have = {c.code: c for c in drill.checks.all()}
    problems = 0
    for seq, item in enumerate(checklist(drill.kind), start=1):
        result, note = answers[item.code]
        check = have.get(item.code) or DrillCheck(drill=drill, code=item.code)
        check.seq, check.text, check.result, check.note = seq, str(item.text), result, note
        if result == CheckResult.PROBLEM:
            problems += 1
            if check.hazard_id is None:
                # The drill is the authority: whoever may evaluate it records its findings in
                # the unit's ledger, once per drill and item (the key).
                check.hazard = hazard_services.record_finding(
                    actor,
                    drill.unit,
                    description=_hazard_text(drill, str(item.text), note),
                    source=HazardSource.DRILL,
                    domain=DOMAINS.get(drill.kind, ""),
                    category=str(DrillKind(drill.kind).label)[:60],
                    idempotency_key=f"drill-{drill.pk}-{item.code}",
                    found_at=now,
                )
        check.save()
    drill.evaluation_summary = (summary or "").strip()
    drill.evaluated_by, drill.evaluated_at = actor, now
    drill.evaluate_key = key or ""
    drill.evaluate_fingerprint = fingerprint if key else ""
    stamp(drill, actor)
    _workflow().advance(drill, actor, DrillAction.EVALUATE, data={"problems": problems})
    decide_obligations(drill)
    from xiaoan.emergency.services import note_drilled

    note_drilled(drill.teams.values_list("pk", flat=True), drill.held_on or drill.planned_on)
    return drill


def decide_obligations(drill: Drill) -> None:
    """The pending drill obligations of the drill's unit and the units above it, decided now
    (xiaoan.drills.proof counts this drill for them)."""
    from xiaoan.duties import services as duty_services
    from xiaoan.duties.choices import ObligationStatus, ProofKind
    from xiaoan.duties.models import Obligation

    paths = ancestor_paths(drill.unit.path)
    duty_services.evaluate(
        Obligation.objects.filter(
            unit__path__in=paths, duty__proof=ProofKind.DRILL, status=ObligationStatus.PENDING
        )
    )


# ---------------------------------------------------------------- observers


def observer_people(actor: Any, drill: Drill):
    """Whom `actor` may invite to observe `drill`: the people they may see and the expert pool
    (as for inspections), and the people of the units above the drill's (its superiors)."""
    from xiaoan.accounts.models import RoleAssignment
    from xiaoan.inspections.team import invitable_people

    above = ancestor_paths(drill.unit.path, include_self=False)
    # A superior's person: a member of a unit above, or one holding a role there (a bureau's
    # safety officer belongs to its 安全股).
    holders = RoleAssignment.objects.filter(unit__path__in=above, role__is_active=True)
    return User.objects.filter(
        Q(pk__in=invitable_people(actor).values("pk"))
        | Q(unit__path__in=above)
        | Q(pk__in=holders.values("user_id")),
        is_active=True,
    )


def observer_choices(actor: Any, drill: Drill, limit: int = 200) -> list[User]:
    people = observer_people(actor, drill).exclude(drill_invites__drill=drill)
    # Outside experts (no unit) first, then the units above by their tree.
    order = (F("unit__path").asc(nulls_first=True), "username")
    return list(people.select_related("unit").order_by(*order)[:limit])


@transaction.atomic
def invite(
    actor: Any, pk: Any, *, user: Any = None, who: str = "", version: int | None = None
) -> DrillInvite:
    """Open the drill to an observer (`user`, or `who`: a mobile number or username typed
    for someone the list does not hold); the version stays (an invitation changes nothing of
    the drill a phone may be recording)."""
    from xiaoan.inspections.team import find_user
    from xiaoan.notifications.models import Notification
    from xiaoan.notifications.services import notify

    drill = begin(actor, Drill, pk, "invite", None)
    typed = str(who or "").strip()
    person = find_user(typed or getattr(user, "pk", user), observer_people(actor, drill))
    if person is None:
        raise field_error(_("找不到此人，请从列表中选择。"), "user")
    invitation, created = DrillInvite.objects.get_or_create(
        drill=drill, user=person, defaults={"invited_by": actor}
    )
    if not created:
        return invitation
    notify(
        [person],
        Notification.Kind.OTHER,
        _("您受邀观摩演练：%(t)s") % {"t": drill.title},
        _("演练单位：%(u)s；计划日期：%(d)s。")
        % {"u": drill.unit.name, "d": f"{drill.planned_on:%Y-%m-%d}"},
        reverse("drills:drill_detail", args=[drill.pk]),
        actor=actor,
    )
    _note(drill, actor, DrillAction.INVITE, person)
    return invitation


@transaction.atomic
def uninvite(actor: Any, pk: Any, *, user: Any, version: int | None = None) -> None:
    drill = begin(actor, Drill, pk, "uninvite", None)
    person_pk = getattr(user, "pk", user)
    for invitation in DrillInvite.objects.filter(drill=drill, user_id=person_pk).select_related(
        "user"
    ):
        invitation.delete()
        _note(drill, actor, DrillAction.UNINVITE, invitation.user)


def _note(drill: Drill, actor: Any, event: str, person: User) -> None:
    _workflow().record_event(
        drill, event, actor, person.display_name, drill.status, drill.status, {"user": person.pk}
    )


# ---------------------------------------------------------------- reading


def load(actor: Any, pk: Any) -> Drill:
    drill = (
        Drill.objects.restrict(actor, "view")
        .select_related("unit", "created_by", "recorded_by", "evaluated_by")
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if drill is None:
        raise NotFound()
    return drill


def load_photo(actor: Any, pk: Any, photo_pk: Any) -> DrillPhoto:
    visible = Drill.objects.restrict(actor, "view").filter(pk=pk)
    photo = (
        DrillPhoto.objects.filter(drill__in=visible, pk=photo_pk).first()
        if str(photo_pk).isdigit() and str(pk).isdigit()
        else None
    )
    if photo is None:
        raise NotFound()
    return photo


def checks_of(drill: Drill) -> list[DrillCheck]:
    return list(drill.checks.select_related("hazard").order_by("seq"))


def events_of(drill: Drill) -> list[DrillEvent]:
    return list(drill.events.select_related("actor"))


def observers_of(drill: Drill) -> list[DrillInvite]:
    return list(drill.invites.select_related("user__unit").order_by("created_at", "pk"))
