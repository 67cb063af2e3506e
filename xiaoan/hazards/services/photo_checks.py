"""Honest closure: each hazard photo's facts (capture time, place, perceptual hash) are
kept, and what they contradict is flagged for the verifier. Flags never block a step: a
camera's clock may be wrong; the verifier and the monthly 销号复核 sample weigh them.

A flag is {"code", "label" (短名), "message" (the sentence)} on HazardPhoto.flags; the
hazard's photo_flagged is set when any of its photos has one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.core.photo_facts import PhotoFacts, distance_m, hamming, informative
from xiaoan.core.registers import home_unit
from xiaoan.hazards.choices import HazardAction
from xiaoan.hazards.models import Hazard, HazardEvent, HazardPhoto

BEFORE_ASSIGNED = "taken_before_assigned"
SAME_AS_BEFORE = "same_as_before"
USED_ELSEWHERE = "used_elsewhere"
FAR_AWAY = "far_from_unit"
FUTURE = "taken_in_future"
OLD = "taken_long_before"
RESENT = "same_upload_within_day"

LABELS = {
    BEFORE_ASSIGNED: gettext_lazy("拍摄时间早于交办"),
    SAME_AS_BEFORE: gettext_lazy("与整改前照片相同"),
    USED_ELSEWHERE: gettext_lazy("照片用于其他隐患"),
    FAR_AWAY: gettext_lazy("拍摄地点不在本单位"),
    FUTURE: gettext_lazy("拍摄时间在未来"),
    OLD: gettext_lazy("旧照片"),
    RESENT: gettext_lazy("重复提交的照片"),
}

# A camera clock a few minutes off (and EXIF's whole seconds) proves nothing either way.
CLOCK_SLACK = dt.timedelta(minutes=10)
# How many look-alikes by hash prefix are compared at most (the index finds them).
CANDIDATES = 50


def make_flag(code: str, message: str) -> dict:
    return {"code": code, "label": str(LABELS[code]), "message": message}


def check(hazard: Hazard, kind: str, facts: PhotoFacts) -> list[dict]:
    """The flags a new photo of `hazard` raises (empty: nothing contradicts it)."""
    flags: list[dict] = []

    def flag(code: str, message: str) -> None:
        flags.append(make_flag(code, message))

    now = timezone.now()
    if facts.taken_at is not None:
        local = timezone.localtime(facts.taken_at)
        if facts.taken_at > now + CLOCK_SLACK:
            flag(FUTURE, _("照片拍摄时间 %(t)s 晚于当前时间。") % {"t": f"{local:%Y-%m-%d %H:%M}"})
        elif kind == HazardPhoto.Kind.AFTER:
            since, what = _work_began(hazard)
            if facts.taken_at < since - CLOCK_SLACK:
                flag(
                    BEFORE_ASSIGNED,
                    _("整改后照片拍摄于 %(t)s，早于隐患%(what)s时间 %(s)s。")
                    % {
                        "t": f"{local:%Y-%m-%d %H:%M}",
                        "what": what,
                        "s": f"{timezone.localtime(since):%Y-%m-%d %H:%M}",
                    },
                )
    if facts.phash and informative(facts.phash):
        if kind == HazardPhoto.Kind.AFTER and _matches_before(hazard, facts.phash):
            flag(SAME_AS_BEFORE, _("整改后照片与该隐患的整改前照片是同一张图片。"))
        others = _used_elsewhere(hazard, facts.phash)
        if others:
            flag(
                USED_ELSEWHERE,
                _("同一张图片已用于其他隐患：%(n)s。") % {"n": "、".join(others)},
            )
    if facts.has_place:
        unit = _located_unit(hazard.unit)
        if unit is not None:
            metres = distance_m(facts.latitude, facts.longitude, unit.latitude, unit.longitude)
            if metres > settings.XIAOAN_PHOTO_MAX_DISTANCE_M:
                flag(
                    FAR_AWAY,
                    _("照片拍摄地点距%(u)s约 %(km).1f 公里，不在本单位范围内。")
                    % {"u": unit.name, "km": metres / 1000},
                )
    return flags


def _work_began(hazard: Hazard) -> tuple[dt.datetime, str]:
    """When the rectification could begin: the last 交办, else the finding."""
    assigned = (
        HazardEvent.objects.filter(hazard=hazard, action=HazardAction.ASSIGN)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if assigned is not None:
        return assigned, _("交办")
    return hazard.found_at, _("发现")


def _matches_before(hazard: Hazard, phash: str) -> bool:
    hashes = HazardPhoto.objects.filter(
        hazard=hazard, kind=HazardPhoto.Kind.BEFORE, phash__gt=""
    ).values_list("phash", flat=True)
    return any(hamming(phash, h) <= settings.XIAOAN_PHOTO_SAME_BITS for h in hashes)


def _used_elsewhere(hazard: Hazard | None, phash: str, within=None) -> list[str]:
    """Numbers of other hazards holding the same picture. The phash index finds the exact
    hash and those sharing its first 16 bits (a prefix match on the same index); the Hamming
    check then keeps the near-identical ones. No scan of all photos."""
    rows = HazardPhoto.objects.filter(phash__startswith=phash[:4])
    if hazard is not None:
        rows = rows.exclude(hazard=hazard)
    if within is not None:
        rows = rows.filter(hazard__unit__path__startswith=within.path)
    rows = rows.values_list("phash", "hazard__number")[:CANDIDATES]
    return sorted(
        {number for h, number in rows if hamming(phash, h) <= settings.XIAOAN_PHOTO_SAME_BITS}
    )[:5]


def _located_unit(of):
    """The unit when it has coordinates, else its school's."""
    for unit in (of, home_unit(of)):
        if unit.latitude is not None and unit.longitude is not None:
            return unit
    return None


# A public report's photo older than this was not taken when the problem was reported.
OLD_AFTER = dt.timedelta(days=30)


def check_report(unit, facts: PhotoFacts, *, resent: bool = False) -> list[dict]:
    """The flags of a photo a member of the public sent about `unit` (a school): taken in
    the future or long before, the same picture as on one of the ledger's hazards, taken far
    from the school, or the same file sent to the school within a day. Shown to the staff who
    accept the report; never a reason to refuse it."""
    flags: list[dict] = []
    now = timezone.now()
    if facts.taken_at is not None:
        local = f"{timezone.localtime(facts.taken_at):%Y-%m-%d %H:%M}"
        if facts.taken_at > now + CLOCK_SLACK:
            flags.append(make_flag(FUTURE, _("照片拍摄时间 %(t)s 晚于当前时间。") % {"t": local}))
        elif facts.taken_at < now - OLD_AFTER:
            flags.append(make_flag(OLD, _("照片拍摄于 %(t)s，早于举报一个月以上。") % {"t": local}))
    if facts.phash and informative(facts.phash):
        # Only the school's own hazards: a match there is most likely the same problem
        # reported again; another unit's hazard numbers are not the school's to read.
        others = _used_elsewhere(None, facts.phash, within=home_unit(unit))
        if others:
            message = _("与本校隐患 %(n)s 的照片相同，可能是重复举报。") % {"n": "、".join(others)}
            flags.append(make_flag(USED_ELSEWHERE, message))
    if facts.has_place:
        located = _located_unit(unit)
        if located is not None:
            metres = distance_m(
                facts.latitude, facts.longitude, located.latitude, located.longitude
            )
            if metres > settings.XIAOAN_PHOTO_MAX_DISTANCE_M:
                flags.append(
                    make_flag(
                        FAR_AWAY,
                        _("照片拍摄地点距%(u)s约 %(km).1f 公里。")
                        % {"u": located.name, "km": metres / 1000},
                    )
                )
    if resent:
        flags.append(make_flag(RESENT, _("同一文件一天内已向该校提交过。")))
    return flags
