"""The emergency teams' members: the roster kept with a team (from its page, the API and
the Excel sheet) and the staffing flag computed from it. The plans and the teams themselves
are written by the register layer's services (xiaoan.core.registers); this module is its
`save_related` hook for teams and the page/API actions on one member.

Sheets carry the members in two cells (xiaoan.emergency.registers): 队长 and 队员, people
separated by 、 (or ， ； or a new line), each written 姓名, 姓名（职务，手机号）or 姓名 手机号.
A re-import replaces the roster with the cells' people, keeping the post and phone of a
person already on it when the cell gives none; a person whose name is one user's of the
school is linked to that user.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.core.errors import Conflict, Forbidden, Invalid
from xiaoan.core.history import stamp
from xiaoan.core.names import normalize_name
from xiaoan.core.registers import home_unit
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import get_scoped
from xiaoan.emergency.choices import MemberRole
from xiaoan.emergency.models import EmergencyTeam, TeamMember, roster, staffed

MOBILE_RE = re.compile(r"^1\d{10}$")
SEPARATORS = "、,;"  # after NFKC: ， → ,  ； → ;
NAME_MAX = 50
POST_MAX = 50

# ---------------------------------------------------------------- sheet cells


def _split(text: str) -> list[str]:
    """People of a cell: split on the separators outside brackets."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char in SEPARATORS and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_person(text: str) -> dict[str, Any]:
    """ "张三（电工，13800000000）" → {"name", "post", "phone"}; ValueError with the reason."""
    # Digits of one phone may be grouped ("138 0000 0000", "138-0000-0000").
    text = re.sub(r"(?<=\d)[\s-]+(?=\d)", "", text)
    match = re.match(r"^([^()\d]+?)[\s/]*(?:\(([^()]*)\))?[\s/]*(\d+)?$", text)
    if match is None:
        raise ValueError(_("“%(v)s”应写作 姓名（职务，手机号）。") % {"v": text[:30]})
    name, inner, tail = match.group(1).strip(), match.group(2) or "", match.group(3) or ""
    if not name or len(name) > NAME_MAX:
        raise ValueError(_("“%(v)s”不是姓名。") % {"v": name[:30]})
    phone, posts = "", []
    for part in [*re.split(r"[,;/\s]+", inner), tail]:
        part = part.strip()
        if not part:
            continue
        if any(c.isdigit() for c in part):
            if not MOBILE_RE.match(part) or phone:
                raise ValueError(_("%(n)s 的手机号码“%(v)s”有误。") % {"n": name, "v": part[:20]})
            phone = part
        else:
            posts.append(part)
    post = " ".join(posts)
    if len(post) > POST_MAX:
        raise ValueError(_("%(n)s 的职务不能超过 %(m)d 个字。") % {"n": name, "m": POST_MAX})
    return {"name": name, "post": post, "phone": phone}


def parse_people(raw: Any) -> list[dict[str, Any]] | None:
    """The 队员 cell: None when empty (the roster is kept), else the people in it."""
    # A new line separates people too (normalize_name makes it a space).
    text = normalize_name(re.sub(r"[\r\n]+", "、", str(raw))) if raw is not None else ""
    if not text:
        return None
    people = [parse_person(p) for p in _split(text)]
    seen: set[str] = set()
    for person in people:
        if person["name"] in seen:
            raise ValueError(_("%(n)s 重复填写。") % {"n": person["name"]})
        seen.add(person["name"])
    return people


def parse_leader(raw: Any) -> dict[str, Any] | None:
    people = parse_people(raw)
    if people is None:
        return None
    if len(people) > 1:
        raise ValueError(_("队长只填一人。"))
    return people[0]


def _person_text(member: TeamMember) -> str:
    extra = "，".join(x for x in (member.post, member.phone or "") if x)
    return f"{member.name}（{extra}）" if extra else member.name


def render_leader(team: EmergencyTeam) -> str | None:
    leader = next((m for m in roster(team) if m.role == MemberRole.LEADER), None)
    return _person_text(leader) if leader else None


def render_members(team: EmergencyTeam) -> str | None:
    people = [m for m in roster(team) if m.role != MemberRole.LEADER]
    return "、".join(_person_text(m) for m in people) or None


# ---------------------------------------------------------------- the roster


def school_users(team: EmergencyTeam):
    """The active users of the team's school (its departments and campuses included)."""
    from xiaoan.accounts.models import User

    school = home_unit(team.unit)
    return User.objects.filter(unit__path__startswith=school.path, is_active=True).order_by(
        "name", "pk"
    )


def _check_user(team: EmergencyTeam, user: Any, field: str = "user") -> None:
    if user is not None and not school_users(team).filter(pk=user.pk).exists():
        raise Invalid(fields={field: [_("只能选择本校的用户。")]})


def _clean_entry(entry: dict[str, Any], team: EmergencyTeam) -> dict[str, Any]:
    """Name, post and phone from the user when not given; the phone's form checked."""
    user = entry.get("user")
    name = normalize_name(entry.get("name") or (user.display_name if user else ""))[:NAME_MAX]
    if not name:
        raise Invalid(fields={"name": [_("请填写姓名或选择用户。")]})
    phone = (entry.get("phone") or (getattr(user, "mobile", None) if user else "") or "").strip()
    if phone and not MOBILE_RE.match(phone):
        raise Invalid(fields={"phone": [_("请输入11位手机号码。")]})
    post = (entry.get("post") or (getattr(user, "position", "") if user else "") or "").strip()
    role = entry.get("role") or MemberRole.MEMBER
    if role not in MemberRole.values:
        raise Invalid(fields={"role": [_("请选择队内职务。")]})
    return {"user": user, "name": name, "post": post[:POST_MAX], "phone": phone, "role": role}


def refresh(actor: Any, team: EmergencyTeam, reason: str = "", *, force: bool = True) -> None:
    """Recount the team and save it with the staffing flag (one history entry; none when
    nothing changed and not `force`d)."""
    people = list(team.members.all())
    leader = next((m for m in people if m.role == MemberRole.LEADER), None)
    values = (len(people), leader.name if leader else "")
    flag = staffed(team.kind, len(people), leader is not None)
    if not force and (team.member_count, team.leader_name, team.is_staffed) == (*values, flag):
        return
    team.member_count, team.leader_name = values
    team.is_staffed = flag
    stamp(team, actor)
    if reason:
        team._change_reason = reason[:100]
    team.save(update_fields=["member_count", "leader_name", "is_staffed", "updated_at"])


def replace_roster(actor: Any, team: EmergencyTeam, entries: list[dict[str, Any]]) -> None:
    """Make the team's members exactly `entries` (matched to the rows on file by name):
    one leader at most, no name twice, users of the school only."""
    cleaned = [_clean_entry(e, team) for e in entries]
    names = [e["name"] for e in cleaned]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise Invalid(fields={"members": [_("%(n)s 重复填写。") % {"n": twice}]})
    if sum(1 for e in cleaned if e["role"] == MemberRole.LEADER) > 1:
        raise Invalid(fields={"members": [_("一支队伍只有一名队长。")]})
    users = [e["user"] for e in cleaned if e["user"] is not None]
    allowed = set(
        school_users(team).filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True)
    )
    if any(u.pk not in allowed for u in users):
        raise Invalid(fields={"members": [_("只能选择本校的用户。")]})
    # Unlinked names that are exactly one school user's name are linked to that user.
    loose = [e["name"] for e in cleaned if e["user"] is None]
    by_name: dict[str, list] = {}
    if loose:
        for user in school_users(team).filter(name__in=loose):
            by_name.setdefault(user.name, []).append(user)
    current = {m.name: m for m in team.members.all()}
    # The old leader steps down first: the one-leader constraint holds at every write.
    for name, member in current.items():
        if name not in names:
            member.delete()
    for entry in cleaned:
        if entry["user"] is None and len(by_name.get(entry["name"], [])) == 1:
            entry["user"] = by_name[entry["name"]][0]
    demoted = [
        current[e["name"]]
        for e in cleaned
        if e["name"] in current
        and current[e["name"]].role == MemberRole.LEADER
        and e["role"] != MemberRole.LEADER
    ]
    for member in demoted:
        member.role = MemberRole.MEMBER
        member.save(update_fields=["role"])
    for entry in sorted(cleaned, key=lambda e: e["role"] == MemberRole.LEADER):
        member = current.get(entry["name"]) or TeamMember(team=team, name=entry["name"])
        member.user = entry["user"] or member.user
        member.post = entry["post"] or member.post
        member.phone = entry["phone"] or member.phone
        member.role = entry["role"]
        member.save()


def save_roster(actor: Any, team: EmergencyTeam, data: dict[str, Any]) -> None:
    """The teams register's `save_related`: the API's `members` (the whole roster, roles
    given) or the sheet's 队长 / 队员 cells (either may be left empty to keep that part)."""
    if "members" in data and data["members"] is not None:
        replace_roster(actor, team, [dict(e) for e in data["members"]])
    else:
        leader, others = data.get("sheet_leader"), data.get("sheet_members")
        if leader is None and others is None:
            refresh(actor, team, force=False)  # the kind may have changed the rule
            return
        on_file = roster(team)
        entries: list[dict[str, Any]] = []
        if leader is not None:
            entries.append({**leader, "role": MemberRole.LEADER})
        else:
            entries += [_as_entry(m) for m in on_file if m.role == MemberRole.LEADER]
        lead_names = {e["name"] for e in entries}
        if others is not None:
            entries += [
                {**p, "role": _kept_role(on_file, p["name"])}
                for p in others
                if p["name"] not in lead_names
            ]
        else:
            entries += [
                _as_entry(m)
                for m in on_file
                if m.role != MemberRole.LEADER and m.name not in lead_names
            ]
        replace_roster(actor, team, entries)
    refresh(actor, team, _("队员名单变更"))


def _as_entry(member: TeamMember) -> dict[str, Any]:
    return {
        "user": member.user,
        "name": member.name,
        "post": member.post,
        "phone": member.phone,
        "role": member.role,
    }


def _kept_role(on_file: list[TeamMember], name: str) -> str:
    """A deputy named again in the 队员 cell stays deputy; a former leader becomes a member."""
    found = next((m for m in on_file if m.name == name), None)
    return MemberRole.DEPUTY if found and found.role == MemberRole.DEPUTY else MemberRole.MEMBER


# ---------------------------------------------------------------- one member (page, API)


def _team_for_change(actor: Any, team_pk: Any) -> EmergencyTeam:
    if not has_permission_anywhere(actor, "emergency.change_emergencyteam"):
        raise Forbidden()
    team = get_scoped(actor, EmergencyTeam, team_pk, "change")
    team = EmergencyTeam.objects.select_for_update().select_related("unit").get(pk=team.pk)
    if team.is_retired:
        raise Conflict(_("该队伍已注销，不能再修改队员。"))
    return team


@transaction.atomic
def add_member(actor: Any, team_pk: Any, data: dict[str, Any]) -> TeamMember:
    """Add one person to a team the person may change."""
    team = _team_for_change(actor, team_pk)
    _check_user(team, data.get("user"))
    entry = _clean_entry(data, team)
    members = list(team.members.all())
    if any(m.name == entry["name"] for m in members):
        raise Invalid(fields={"name": [_("%(n)s 已在队中。") % {"n": entry["name"]}]})
    if entry["user"] is not None and any(m.user_id == entry["user"].pk for m in members):
        raise Invalid(fields={"user": [_("该用户已在队中。")]})
    if entry["role"] == MemberRole.LEADER and any(m.role == MemberRole.LEADER for m in members):
        raise Invalid(fields={"role": [_("该队已有队长：请先移除原队长。")]})
    member = TeamMember.objects.create(team=team, **entry)
    refresh(actor, team, _("增加队员 %(n)s") % {"n": member.name})
    return member


@transaction.atomic
def remove_member(actor: Any, team_pk: Any, member_pk: Any) -> EmergencyTeam:
    """Take one person off a team the person may change."""
    team = _team_for_change(actor, team_pk)
    member = team.members.filter(pk=member_pk).first() if str(member_pk).isdigit() else None
    if member is None:
        from xiaoan.core.errors import NotFound

        raise NotFound()
    name = member.name
    member.delete()
    refresh(actor, team, _("移除队员 %(n)s") % {"n": name})
    return team


def semester_start(today):
    """The first day of the current semester (of the last one in the summer holiday)."""
    import datetime as dt

    from xiaoan.inspections.schedules import period_of

    period = period_of("semester", today)
    return period.start if period is not None else dt.date(today.year, 2, 1)


def note_drilled(team_ids, on) -> int:
    """Teams took part in a drill evaluated on `on` (xiaoan.drills): their last drill moves
    forward (never back) and their units' tallies are recounted. Returns how many moved."""
    from django.db.models import Q

    from xiaoan.reports import rollups

    teams = EmergencyTeam.objects.filter(pk__in=list(team_ids)).filter(
        Q(last_drilled_on__isnull=True) | Q(last_drilled_on__lt=on)
    )
    units = set(teams.values_list("unit_id", flat=True))
    moved = teams.update(last_drilled_on=on)
    rollups.changed(EmergencyTeam, units)
    return moved
