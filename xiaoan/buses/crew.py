"""Drivers and escorts (随车照管员) of a school bus: certificates of the 持证上岗 register
(xiaoan.certificates), linked, not typed.

A driver is a certificate in use of the bus's school of kind 机动车驾驶证 (the 校车驾驶资格
is an endorsement on it, so no finer kind exists); an escort one of kind 随车照管员培训合格
证明. A bus "has a valid driver" (escort) when one of its linked certificates of that role
is valid today; the certificates register warns their expiry itself, the bus page marks it.

Sheets carry each role in one cell: names or certificate numbers (or the export's
"姓名（证号）") separated by 、 ； or new lines, resolved among the unit's certificates of
the role's kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.certificates import holders
from xiaoan.certificates.choices import CertificateKind
from xiaoan.certificates.holders import (
    label,
    pick,
    split_cell,
    valid_q,
)
from xiaoan.certificates.models import Certificate
from xiaoan.core import history
from xiaoan.core.errors import Invalid
from xiaoan.core.registers import home_unit

MAX_PER_ROLE = 10


@dataclass(frozen=True)
class Role:
    field: str  # the bus's many-to-many field
    label: Any
    kind: str  # the certificate kind it needs


DRIVERS = Role("drivers", gettext_lazy("驾驶人"), CertificateKind.DRIVING)
ESCORTS = Role("escorts", gettext_lazy("随车照管员"), CertificateKind.BUS_ESCORT)
ROLES = (DRIVERS, ESCORTS)


def candidates(unit: Any, role: Role):
    """The certificates in use of the unit's school that fit the role."""
    if unit is None:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(
            unit__path__startswith=home_unit(unit).path,
            retired_at__isnull=True,
            kind=role.kind,
        )
        .select_related("unit")
        .order_by("name", "pk")
    )


def has_valid(role: Role, today: dt.date | None = None) -> Exists:
    """For a Bus queryset: whether one of the bus's certificates of `role` is valid today."""
    from xiaoan.buses.models import Bus

    through = getattr(Bus, role.field).through
    return Exists(
        through.objects.filter(
            valid_q(today or timezone.localdate(), "certificate__"),
            certificate__kind=role.kind,
            bus_id=OuterRef("pk"),
        )
    )


def check(item: Any, role: Role, certificates: list[Certificate]) -> None:
    """Refuse a certificate of another school, retired, or of a kind unfit for the role."""
    if len(certificates) > MAX_PER_ROLE:
        raise Invalid(
            fields={role.field: [_("%(r)s最多 %(n)d 位。") % {"r": role.label, "n": MAX_PER_ROLE}]}
        )
    school = home_unit(item.unit).path
    errors = []
    for cert in certificates:
        if not cert.unit.path.startswith(school):
            errors.append(_("证书 %(c)s 不属于本单位。") % {"c": cert.code})
        elif cert.retired_at is not None:
            errors.append(_("%(n)s 的证书 %(c)s 已注销。") % {"n": cert.name, "c": cert.code})
        elif cert.kind != role.kind:
            errors.append(
                _("%(n)s 的证书 %(c)s 是“%(k)s”，%(r)s须持“%(need)s”。")
                % {
                    "n": cert.name,
                    "c": cert.code,
                    "k": cert.get_kind_display(),
                    "r": role.label,
                    "need": CertificateKind(role.kind).label,
                }
            )
    if errors:
        raise Invalid(errors[0], fields={role.field: errors})


def _load(role: Role, ids: Any) -> list[Certificate]:
    wanted = []
    for value in ids:
        pk = getattr(value, "pk", value)
        if not str(pk).isdigit() or len(str(pk)) > 18:
            raise Invalid(fields={role.field: [_("证书不存在或不属于本单位。")]})
        wanted.append(int(pk))
    wanted = list(dict.fromkeys(wanted))
    found = Certificate.objects.select_related("unit").in_bulk(wanted)
    if len(found) != len(wanted):
        raise Invalid(fields={role.field: [_("证书不存在或不属于本单位。")]})
    return [found[pk] for pk in wanted]


def save_crew(actor: Any, item: Any, data: dict) -> None:
    """The register's `save_related`: each role given (ids or certificates; None or absent
    keeps it) is checked against the bus's unit and set; the kept ones are checked again
    when the bus moved to another unit."""
    changes = []
    for role in ROLES:
        manager = getattr(item, role.field)
        given = data.get(role.field)
        current = list(manager.select_related("unit"))
        if given is None:
            if current and "unit" in data:
                check(item, role, current)
            continue
        certificates = _load(role, list(given))
        check(item, role, certificates)
        if {c.pk for c in certificates} != {c.pk for c in current}:
            manager.set(certificates)
            text = "、".join(label(c) for c in certificates) or _("无")
            changes.append(f"{role.label}：{text}")
    if changes:
        # The links are set after the bus's save: its counters (无有效驾驶人) and the tallies
        # reading buses are recounted with them.
        from xiaoan.reports import rollups

        rollups.changed(type(item), [item.unit_id])
        history.note_links(item, "；".join(changes))


def rows(item: Any, role: Role, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The bus's certificates of `role` for its page and the API (prefetched: no query)."""
    return holders.rows(getattr(item, role.field).all(), today)


def any_valid(item: Any, role: Role, today: dt.date | None = None) -> bool:
    day = today or timezone.localdate()
    return any(c.valid_on(day) for c in getattr(item, role.field).all())


# ---------------------------------------------------------------- the sheet's cells


def parse_cell(raw: Any) -> list[str] | None:
    """The cell's entries (None when empty: the crew of that role is kept)."""
    return split_cell(raw, MAX_PER_ROLE, _("每个岗位最多 %(n)d 位。") % {"n": MAX_PER_ROLE})


def resolver(role: Role) -> Callable[[Any, list[str], dict], list[Certificate]]:
    def resolve_cell(unit: Any, entries: list[str], cache: dict) -> list[Certificate]:
        """Each entry (证书编号, 姓名 or 姓名（证书编号）) as one certificate of the role
        in the unit's school; ValueError naming an unknown or ambiguous one."""
        school = home_unit(unit)
        if school.pk not in cache:
            cache[school.pk] = list(candidates(unit, role))
        return pick(
            cache[school.pk],
            entries,
            _("找不到“%(v)s”：须是本单位持证上岗台账中在用的“%(k)s”的姓名或证书编号。"),
            k=CertificateKind(role.kind).label,
        )

    return resolve_cell


def same(role: Role) -> Callable[[Any, Any], bool]:
    def same_cell(item: Any, value: Any) -> bool:
        if value is None:
            return True
        return {c.pk for c in value} == {c.pk for c in getattr(item, role.field).all()}

    return same_cell


def render(role: Role) -> Callable[[Any], str | None]:
    def render_cell(item: Any) -> str | None:
        return holders.render(getattr(item, role.field).all())

    return render_cell
