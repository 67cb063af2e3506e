"""Operators (作业人员) of an item of special equipment: certificates of the 持证上岗 register
(xiaoan.certificates), linked, not typed.

An operator is a certificate in use of the item's school whose kind fits the item's kind:
a boiler needs 特种设备作业人员证（锅炉作业）, every other kind 特种设备作业人员证 (the
certificates' choices have no finer kinds). An item "has a valid operator" when one of its
certificates is valid today; expired or expiring within 30 days is marked on its page.
The certificate number is shown as the certificates register shows it (only ID numbers are
masked there, not certificate numbers).

Sheets carry the operators in one cell: names or certificate numbers (or the export's
"姓名（证号）") separated by 、 ； or new lines, resolved among the unit's operator
certificates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.certificates.choices import CertificateKind
from xiaoan.certificates.models import Certificate
from xiaoan.core.errors import Invalid
from xiaoan.core.registers import home_unit
from xiaoan.equipment.choices import EquipmentKind

MAX_OPERATORS = 30
WARN_DAYS = 30
# Equipment kind → the certificate kind its operators need (default: the general one).
FITTING_KIND = {EquipmentKind.BOILER: CertificateKind.BOILER}
OPERATOR_KINDS = (CertificateKind.SPECIAL_EQUIPMENT, CertificateKind.BOILER)
_SPLIT = re.compile(r"[\n\r;；、]+")
# "姓名（证号）" as exported, or "姓名 证号" / "姓名：证号" as schools type it.
_NAMED = re.compile(
    r"^(?P<name>[^(（\s:：]+)\s*(?:[(（](?P<code>[^)）]+)[)）]|[\s:：]+(?P<code2>\S+))$"
)


def fitting_kind(equipment_kind: str) -> str:
    return FITTING_KIND.get(equipment_kind, CertificateKind.SPECIAL_EQUIPMENT)


def candidates(unit: Any):
    """The operator certificates in use of the unit's school (either operator kind)."""
    if unit is None:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(
            unit__path__startswith=home_unit(unit).path,
            retired_at__isnull=True,
            kind__in=OPERATOR_KINDS,
        )
        .select_related("unit")
        .order_by("name", "pk")
    )


def valid_q(today: dt.date, prefix: str = "") -> Q:
    """A certificate valid on `today` (in use, begun, not expired)."""
    return (
        Q(**{f"{prefix}retired_at__isnull": True})
        & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": today}))
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today}))
    )


def has_valid_operator(today: dt.date | None = None) -> Exists:
    """For an Equipment queryset: whether one of the item's operators is valid today."""
    from xiaoan.equipment.models import Equipment

    through = Equipment.operators.through
    return Exists(
        through.objects.filter(
            valid_q(today or timezone.localdate(), "certificate__"), equipment_id=OuterRef("pk")
        )
    )


def check(item: Any, certificates: list[Certificate]) -> None:
    """Refuse a certificate of another school, retired, or of a kind unfit for the item."""
    if len(certificates) > MAX_OPERATORS:
        raise Invalid(fields={"operators": [_("作业人员最多 %(n)d 位。") % {"n": MAX_OPERATORS}]})
    school = home_unit(item.unit).path
    need = fitting_kind(item.kind)
    errors = []
    for cert in certificates:
        if not cert.unit.path.startswith(school):
            errors.append(_("证书 %(c)s 不属于本单位。") % {"c": cert.code})
        elif cert.retired_at is not None:
            errors.append(_("%(n)s 的证书 %(c)s 已注销。") % {"n": cert.name, "c": cert.code})
        elif cert.kind != need:
            errors.append(
                _("%(n)s 的证书 %(c)s 是“%(k)s”，%(e)s须持“%(need)s”。")
                % {
                    "n": cert.name,
                    "c": cert.code,
                    "k": cert.get_kind_display(),
                    "e": item.get_kind_display(),
                    "need": CertificateKind(need).label,
                }
            )
    if errors:
        raise Invalid(errors[0], fields={"operators": errors})


def _load(ids: Any) -> list[Certificate]:
    """Certificates from ids or instances; an unknown id is refused as not the unit's."""
    wanted = []
    for value in ids:
        pk = getattr(value, "pk", value)
        if not str(pk).isdigit() or len(str(pk)) > 18:
            raise Invalid(fields={"operators": [_("证书不存在或不属于本单位。")]})
        wanted.append(int(pk))
    wanted = list(dict.fromkeys(wanted))
    found = Certificate.objects.select_related("unit").in_bulk(wanted)
    if len(found) != len(wanted):
        raise Invalid(fields={"operators": [_("证书不存在或不属于本单位。")]})
    return [found[pk] for pk in wanted]


def save_operators(actor: Any, item: Any, data: dict) -> None:
    """The register's `save_related`: the operators given (ids or certificates; None or
    absent keeps them), checked against the item's unit and kind; the kept ones are checked
    again when the item's unit or kind changed."""
    given = data.get("operators")
    current = list(item.operators.select_related("unit"))
    if given is None:
        if current and ("unit" in data or "kind" in data):
            check(item, current)
        return
    certificates = _load(list(given))
    check(item, certificates)
    if {c.pk for c in certificates} != {c.pk for c in current}:
        item.operators.set(certificates)
        # The change log shows who changed the operators (links are not history fields).
        latest = item.history.order_by("-history_id").first()
        if latest is not None:
            text = "、".join(label(c) for c in certificates) or _("无")
            latest.history_change_reason = (_("作业人员：%(t)s") % {"t": text})[:100]
            latest.save(update_fields=["history_change_reason"])


def label(cert: Certificate) -> str:
    return f"{cert.name}（{cert.code}）"


def status(cert: Certificate, today: dt.date) -> str:
    """ "retired", "expired", "not_yet", "expiring" (within 30 days) or "valid"."""
    if cert.retired_at is not None:
        return "retired"
    if cert.valid_until is not None and cert.valid_until < today:
        return "expired"
    if cert.valid_from is not None and cert.valid_from > today:
        return "not_yet"
    if cert.valid_until is not None and cert.valid_until <= today + dt.timedelta(days=WARN_DAYS):
        return "expiring"
    return "valid"


STATUS_LABELS = {
    "retired": "已注销",
    "expired": "已过期",
    "not_yet": "未生效",
    "expiring": "30天内到期",
    "valid": "有效",
}


def rows(item: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The item's operators for its page and the API (prefetched: no query)."""
    today = today or timezone.localdate()
    out = []
    for cert in sorted(item.operators.all(), key=lambda c: (c.name, c.pk)):
        state = status(cert, today)
        out.append(
            {
                "id": cert.pk,
                "name": cert.name,
                "code": cert.code,
                "kind": cert.kind,
                "kind_label": cert.get_kind_display(),
                "valid_until": cert.valid_until,
                "status": state,
                "status_label": _(STATUS_LABELS[state]),
                "warn": state != "valid",
            }
        )
    return out


# ---------------------------------------------------------------- the sheet's cell


def parse_cell(raw: Any) -> list[str] | None:
    """The cell's entries (None when empty: the operators are kept)."""
    if raw is None:
        return None
    parts = [p.strip() for p in _SPLIT.split(str(raw)) if p.strip()]
    if len(parts) > MAX_OPERATORS:
        raise ValueError(_("作业人员最多 %(n)d 位。") % {"n": MAX_OPERATORS})
    return parts or None


def resolve_cell(unit: Any, entries: list[str], cache: dict) -> list[Certificate]:
    """Each entry (证书编号, 姓名 or 姓名（证书编号）) as one operator certificate of the
    unit's school; ValueError naming an unknown or ambiguous one."""
    school = home_unit(unit)
    if school.pk not in cache:
        cache[school.pk] = list(candidates(unit))
    pool = cache[school.pk]
    found: list[Certificate] = []
    for entry in entries:
        named = _NAMED.match(entry)
        if named:
            name, code = named["name"].strip(), (named["code"] or named["code2"]).strip()
            hits = [c for c in pool if c.code == code and c.name == name]
            hits = hits or [c for c in pool if c.code == code]
        else:
            hits = [c for c in pool if c.code == entry] or [c for c in pool if c.name == entry]
        if not hits:
            raise ValueError(
                _("找不到“%(v)s”：须是本单位在用的特种设备（锅炉）作业人员证书的姓名或证书编号。")
                % {"v": entry[:30]}
            )
        if len(hits) > 1:
            raise ValueError(
                _("“%(v)s”对应多张证书，请写证书编号或“姓名（证书编号）”。") % {"v": entry[:30]}
            )
        if hits[0] not in found:
            found.append(hits[0])
    return found


def same_cell(item: Any, value: Any) -> bool:
    """Whether the row's operators are the item's (the same sheet again changes nothing)."""
    if value is None:
        return True
    return {c.pk for c in value} == {c.pk for c in item.operators.all()}


def render_cell(item: Any) -> str | None:
    return (
        "、".join(label(c) for c in sorted(item.operators.all(), key=lambda c: (c.name, c.pk)))
        or None
    )
