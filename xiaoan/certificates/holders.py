"""Certificates held by the people linked to another register's item (special equipment's
operators, a school bus's drivers and escorts): their validity, their rows on the item's page
and API, and the sheet cell that names them — what every such link shares, whatever the role."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.certificates.models import Certificate

WARN_DAYS = 30
_SPLIT = re.compile(r"[\n\r;；、]+")
# "姓名（证号）" as exported, or "姓名 证号" / "姓名：证号" as schools type it.
_NAMED = re.compile(
    r"^(?P<name>[^(（\s:：]+)\s*(?:[(（](?P<code>[^)）]+)[)）]|[\s:：]+(?P<code2>\S+))$"
)


def valid_q(today: dt.date, prefix: str = "") -> Q:
    """A certificate valid on `today` (in use, begun, not expired)."""
    return (
        Q(**{f"{prefix}retired_at__isnull": True})
        & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": today}))
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today}))
    )


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
    "retired": gettext_lazy("已注销"),
    "expired": gettext_lazy("已过期"),
    "not_yet": gettext_lazy("未生效"),
    "expiring": gettext_lazy("30天内到期"),
    "valid": gettext_lazy("有效"),
}


def rows(certificates: Iterable[Certificate], today: dt.date | None = None) -> list[dict]:
    """The linked certificates for the item's page and the API, by name (prefetched: no
    query)."""
    today = today or timezone.localdate()
    out = []
    for cert in sorted(certificates, key=lambda c: (c.name, c.pk)):
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
                "status_label": str(STATUS_LABELS[state]),
                "warn": state != "valid",
            }
        )
    return out


def render(certificates: Iterable[Certificate]) -> str | None:
    """The sheet cell: "姓名（证号）" by name, joined by 、 (None when there are none)."""
    return "、".join(label(c) for c in sorted(certificates, key=lambda c: (c.name, c.pk))) or None


def split_cell(raw: Any, most: int, too_many: str) -> list[str] | None:
    """The cell's entries (None when empty: the links are kept); ValueError(`too_many`) past
    `most`."""
    if raw is None:
        return None
    parts = [p.strip() for p in _SPLIT.split(str(raw)) if p.strip()]
    if len(parts) > most:
        raise ValueError(too_many)
    return parts or None


def pick(pool: list[Certificate], entries: list[str], missing: str, **names: Any) -> list:
    """Each entry (证书编号, 姓名 or 姓名（证书编号）) as one certificate of `pool`, once;
    ValueError(`missing` % {"v": entry, **names}) for an unknown one, another for an
    ambiguous one."""
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
            raise ValueError(missing % {"v": entry[:30], **names})
        if len(hits) > 1:
            raise ValueError(
                _("“%(v)s”对应多张证书，请写证书编号或“姓名（证书编号）”。") % {"v": entry[:30]}
            )
        if hits[0] not in found:
            found.append(hits[0])
    return found
