"""The daily pre-trip check (出车前安全检查) of a school bus, from a phone: every checklist
item 正常 or 异常, a note (required when one failed) and an optional photo. Everything is
checked before anything is written; a retry with the same idempotency key answers with the
first check (a different request with that key is refused, 422). A failed item raises the
bus's hazard (xiaoan.buses.rules) — or links the open one."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.buses import rules
from xiaoan.buses.choices import CHECK_ITEMS, CHECK_KEYS, CheckResult
from xiaoan.buses.models import Bus, BusCheck
from xiaoan.core import item_checks
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.idempotency import clean_key, replay_of, save_once
from xiaoan.core.scoping import has_permission_anywhere

CHECK_PERM = "buses.add_buscheck"
VIEW_CHECK_PERM = "buses.view_buscheck"


def checkable(actor: Any):
    """Buses in use the person may check."""
    return Bus.objects.with_permission(actor, CHECK_PERM).active()


def _load_bus(actor: Any, bus: Any) -> Bus:
    pk = getattr(bus, "pk", bus)
    found = None
    if str(pk).isdigit() and len(str(pk)) <= 18:
        found = checkable(actor).select_related("unit", "place").filter(pk=int(pk)).first()
    if found is None:
        raise Invalid(fields={"bus": [_("校车不存在、已注销或不在您的管理范围内。")]})
    return found


def _clean(results: dict[str, str], note: str, photo: Any) -> tuple[dict, str, Any]:
    from xiaoan.core.photos import clean_photo

    errors: dict[str, list[str]] = {}
    items = {}
    for key, label in CHECK_ITEMS:
        value = (results or {}).get(key, "")
        if value not in CheckResult.values:
            errors[f"item-{key}"] = [_("请选择“%(i)s”正常或异常。") % {"i": label}]
        else:
            items[key] = value
    note = (note or "").strip()
    if any(v == CheckResult.FAILED for v in items.values()) and len(note) < 2:
        errors["note"] = [_("有异常项时须写明异常情况。")]
    if len(note) > 300:
        errors["note"] = [_("说明不能超过 300 字。")]
    cleaned_photo = None
    if photo:
        try:
            cleaned_photo = clean_photo(photo)[0]
        except Invalid as error:
            errors["photo"] = [str(error.message)]
    if errors:
        unanswered = sum(1 for k in errors if k.startswith("item-"))
        first = next(iter(errors.values()))[0]
        message = _("还有 %(n)d 项未选择结果。") % {"n": unanswered} if unanswered > 1 else first
        raise Invalid(message, fields=errors)
    return items, note, cleaned_photo


@transaction.atomic
def record_check(
    actor: Any,
    bus: Any,
    results: dict[str, str],
    *,
    note: str = "",
    photo: Any = None,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> BusCheck:
    """Record one pre-trip check of `bus` (an id or a Bus); a failed item raises (or links)
    the bus's hazard. The bus keeps the check's date and result."""
    if not has_permission_anywhere(actor, CHECK_PERM):
        raise Forbidden()
    key = clean_key(idempotency_key)
    mine = BusCheck.objects.filter(checker_id=actor.pk)
    existing = replay_of(mine, key, fingerprint)
    if existing is not None:
        return existing
    target = _load_bus(actor, bus)
    items, note, cleaned_photo = _clean(results, note, photo)
    failed = [k for k in CHECK_KEYS if items[k] == CheckResult.FAILED]
    today = timezone.localdate()
    check = BusCheck(
        bus=target,
        unit_id=target.unit_id,
        checker=actor,
        checked_on=today,
        items=items,
        result=CheckResult.FAILED if failed else CheckResult.OK,
        note=note,
        idempotency_key=key,
        idempotency_fingerprint=fingerprint or "",
    )
    if cleaned_photo is not None:
        check.photo.save("check.jpg", cleaned_photo, save=False)
    first = save_once(check.save, mine, key, fingerprint)
    if first is not None:
        return first
    if failed:
        labels = "、".join(str(label) for k, label in CHECK_ITEMS if k in failed)
        check.hazard = rules.raise_hazard(
            actor,
            target,
            description=_("校车 %(plate)s 出车前检查异常（%(items)s）：%(note)s")
            % {"plate": target.plate, "items": labels, "note": note},
            note=_("校车出车前安全检查发现异常，整改前不得出车。"),
        )
        check.save(update_fields=["hazard"])
    from xiaoan.buses.registers import BUSES  # the register imports this module

    # Its register's 今日未检 is recounted (only its own tally: no indicator reads it).
    item_checks.mark_checked(BUSES, [target], last_checked_on=today, last_check_result=check.result)
    check.replayed = False
    return check
