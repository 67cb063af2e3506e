"""The monthly check (月检) of fire assets: one submission checks a row of assets (a place's
extinguishers), each 正常 or 异常 with a reason and an optional photo. Everything is checked
before anything is written; a retry with the same idempotency key answers with the first
batch (a different request with that key is refused, 422). A failed check raises the
asset's hazard (xiaoan.fireassets.rules) — or links the open one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core import item_checks
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.idempotency import clean_key, replay_of, save_once
from xiaoan.core.registers import home_unit
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.fireassets import rules
from xiaoan.fireassets.choices import CheckResult
from xiaoan.fireassets.models import FireAsset, FireAssetCheck, FireCheckBatch

CHECK_PERM = "fireassets.add_fireassetcheck"
VIEW_CHECK_PERM = "fireassets.view_fireassetcheck"
MAX_ROWS = 200


@dataclass
class CheckRow:
    asset: Any  # an id
    result: str
    note: str = ""
    photo: Any = None


def checkable(actor: Any):
    """Assets in use the person may check."""
    return FireAsset.objects.with_permission(actor, CHECK_PERM).active()


def _clean(actor: Any, rows: Sequence[CheckRow]) -> list[tuple[CheckRow, FireAsset, Any]]:
    from xiaoan.core.photos import clean_photo

    if not rows:
        raise Invalid(_("请至少勾选一件器材的检查结果。"), fields={"checks": [_("必填。")]})
    if len(rows) > MAX_ROWS:
        raise Invalid(_("一次最多检查 %(n)d 件。") % {"n": MAX_ROWS})
    ids = [str(r.asset) for r in rows]
    if any(not i.isdigit() or len(i) > 18 for i in ids):
        raise Invalid(fields={"checks": [_("器材编号无效。")]})
    assets = {
        a.pk: a
        for a in checkable(actor)
        .select_related("unit", "place")
        .filter(pk__in=[int(i) for i in ids])
    }
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    cleaned = []
    for row in rows:
        pk = int(row.asset)
        key = f"asset-{pk}"
        asset = assets.get(pk)
        if asset is None:
            errors[key] = [_("器材不存在、已注销或不在您的管理范围内。")]
            continue
        if pk in seen:
            errors[key] = [_("同一器材在一次检查中只能填写一次。")]
            continue
        seen.add(pk)
        note = (row.note or "").strip()
        if row.result not in CheckResult.values:
            errors[key] = [_("请选择“正常”或“异常”。")]
            continue
        if row.result == CheckResult.FAILED and len(note) < 2:
            errors[key] = [_("%(name)s：标记异常须写明原因。") % {"name": asset.name}]
            continue
        photo = None
        if row.photo:
            try:
                photo = clean_photo(row.photo)[0]
            except Invalid as error:
                errors[key] = [f"{asset.name}：{error.message}"]
                continue
        row.note = note[:200]
        cleaned.append((row, asset, photo))
    if errors:
        first = next(iter(errors.values()))[0]
        raise Invalid(
            first
            if len(errors) == 1
            else _("有 %(n)d 件器材的检查结果需要修改。") % {"n": len(errors)},
            fields=errors,
        )
    school = home_unit(cleaned[0][1].unit)
    if any(not a.unit.path.startswith(school.path) for _r, a, _p in cleaned):
        raise Invalid(_("一次检查只能包含同一学校的器材。"), fields={"checks": [_("单位不一致。")]})
    return cleaned


@transaction.atomic
def record_checks(
    actor: Any,
    rows: Sequence[CheckRow],
    *,
    place: Any = None,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> FireCheckBatch:
    """Record the checks of `rows` in one batch; the failed ones raise (or link) hazards."""
    if not has_permission_anywhere(actor, CHECK_PERM):
        raise Forbidden()
    key = clean_key(idempotency_key)
    mine = FireCheckBatch.objects.filter(checker_id=actor.pk)
    existing = replay_of(mine, key, fingerprint)
    if existing is not None:
        return existing
    cleaned = _clean(actor, rows)
    school = home_unit(cleaned[0][1].unit)
    place_id = getattr(place, "pk", place) or None
    batch = FireCheckBatch(
        unit=school,
        place_id=place_id,
        checker=actor,
        idempotency_key=key,
        idempotency_fingerprint=fingerprint or "",
    )
    first = save_once(batch.save, mine, key, fingerprint)
    if first is not None:
        return first
    today = timezone.localdate()
    for row, asset, photo in cleaned:
        check = FireAssetCheck(
            batch=batch,
            asset=asset,
            unit_id=asset.unit_id,
            checker=actor,
            checked_on=today,
            result=row.result,
            note=row.note,
        )
        if photo is not None:
            check.photo.save("check.jpg", photo, save=False)
        if row.result == CheckResult.FAILED:
            check.hazard = rules.raise_hazard(
                actor,
                asset,
                description=_("%(name)s（%(where)s）月检异常：%(note)s")
                % {"name": asset.name, "where": rules.where(asset), "note": row.note},
                note=_("消防器材月检发现异常。"),
            )
        check.save()
    from xiaoan.fireassets.registers import FIRE_ASSETS  # the register imports this module

    # Its register's 本月未检查 is recounted (only its own tally: no indicator reads it).
    for result in {row.result for row, _asset, _photo in cleaned}:
        assets = [a for row, a, _p in cleaned if row.result == result]
        item_checks.mark_checked(
            FIRE_ASSETS, assets, last_checked_on=today, last_check_result=result
        )
    batch.replayed = False
    return batch
