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
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.certificates import holders
from xiaoan.certificates.choices import CertificateKind
from xiaoan.certificates.holders import (
    label,
    pick,
    render,
    split_cell,
    valid_q,
)
from xiaoan.certificates.models import Certificate
from xiaoan.core import history
from xiaoan.core.errors import Invalid
from xiaoan.core.registers import home_unit
from xiaoan.equipment.choices import EquipmentKind

MAX_OPERATORS = 30
# Equipment kind → the certificate kind its operators need (default: the general one).
FITTING_KIND = {EquipmentKind.BOILER: CertificateKind.BOILER}
OPERATOR_KINDS = (CertificateKind.SPECIAL_EQUIPMENT, CertificateKind.BOILER)


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
        # Set after the item's save: its counters (无有效持证操作人员) are recounted with them.
        from xiaoan.reports import rollups

        rollups.changed(type(item), [item.unit_id])
        text = "、".join(label(c) for c in certificates) or _("无")
        history.note_links(item, _("作业人员：%(t)s") % {"t": text})


def rows(item: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The item's operators for its page and the API (prefetched: no query)."""
    return holders.rows(item.operators.all(), today)


# ---------------------------------------------------------------- the sheet's cell


def parse_cell(raw: Any) -> list[str] | None:
    """The cell's entries (None when empty: the operators are kept)."""
    return split_cell(raw, MAX_OPERATORS, _("作业人员最多 %(n)d 位。") % {"n": MAX_OPERATORS})


def resolve_cell(unit: Any, entries: list[str], cache: dict) -> list[Certificate]:
    """Each entry (证书编号, 姓名 or 姓名（证书编号）) as one operator certificate of the
    unit's school; ValueError naming an unknown or ambiguous one."""
    school = home_unit(unit)
    if school.pk not in cache:
        cache[school.pk] = list(candidates(unit))
    return pick(
        cache[school.pk],
        entries,
        _("找不到“%(v)s”：须是本单位在用的特种设备（锅炉）作业人员证书的姓名或证书编号。"),
    )


def same_cell(item: Any, value: Any) -> bool:
    """Whether the row's operators are the item's (the same sheet again changes nothing)."""
    if value is None:
        return True
    return {c.pk for c in value} == {c.pk for c in item.operators.all()}


def render_cell(item: Any) -> str | None:
    return render(item.operators.all())
