"""Versions of what a unit's pages show, so a page built from many figures (the dashboard)
can be kept in the cache and built again only when something it shows may have changed.

Every write is recorded: the audit trail names the unit of each record written, and the
rollups name the units whose counters they change. Both call `changed(unit ids)`: at once and
again when the transaction commits, the unit and every unit above it get a new token for their
subtree ("sub:<path>"), and the unit a new token for itself ("at:<path>"). A page of unit U
depends on U's subtree and on what its superiors decided for those below them (weights,
targets):
`version(path)` reads U's subtree token and the own tokens of the units above it, one cache
round trip. A recount of everything (the nightly reconcile, a moved unit) changes the token
all pages read (`everywhere`).

Tokens are random, never counted up: a token the cache dropped comes back as a new one, so a
page kept under the old one is never read again. The cache must be shared by every process
that writes (Redis); with the per-process memory cache of a one-machine install, keeping pages
is off (settings.XIAOAN_PAGE_CACHE) except in tests, which run in one process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)

PREFIX = "fresh:"
EVERYWHERE = f"{PREFIX}all"


def enabled() -> bool:
    return bool(getattr(settings, "XIAOAN_PAGE_CACHE", False))


def _token() -> str:
    return secrets.token_hex(6)


def _above(path: str, include_self: bool = True) -> list[str]:
    from xiaoan.orgs.models import ancestor_paths

    return ancestor_paths(path, include_self=include_self)


def changed(unit_ids: Iterable[int | None], paths: dict[int, str] | None = None) -> None:
    """Records of these units changed in the current transaction (`paths`: their tree
    paths, when the caller has them). New tokens at once, so the transaction's own later
    reads see a new version, and again once it commits: a page built in between from what
    was not yet committed is kept under the first token, never read again."""
    if not enabled():
        return
    ids = {pk for pk in unit_ids if pk is not None}
    if not ids:
        return
    try:
        if not connection.in_atomic_block:
            changed_paths(_paths(ids, paths).values())
            return
        # Kept on the connection until the commit; a rolled-back transaction's hook is gone
        # with it, and the next one starts afresh.
        waiting = any(func is _flush for _sids, func, _robust in connection.run_on_commit)
        if not waiting:
            connection._xiaoan_fresh = {}  # type: ignore[attr-defined]
            transaction.on_commit(_flush, robust=True)
        known: dict[int, str] = connection._xiaoan_fresh  # type: ignore[attr-defined]
        new = ids - known.keys()
        if new:
            known.update(_paths(new, paths))
        changed_paths(known[pk] for pk in ids if pk in known)
    except Exception:  # the cache is down: pages are built afresh until it is back
        logger.exception("page versions not changed")


def _paths(ids: set[int], paths: dict[int, str] | None) -> dict[int, str]:
    from xiaoan.orgs.models import Unit

    if paths is not None and ids <= paths.keys():
        return {pk: paths[pk] for pk in ids}
    return dict(Unit.objects.filter(pk__in=sorted(ids)).values_list("pk", "path"))


def _flush() -> None:
    known = getattr(connection, "_xiaoan_fresh", {})
    connection._xiaoan_fresh = {}  # type: ignore[attr-defined]
    changed_paths(known.values())


def changed_paths(paths: Iterable[str]) -> None:
    """New tokens for these units (tree paths) and everything above them, at once."""
    token = _token()
    keys = {}
    for path in paths:
        keys[f"{PREFIX}at:{path}"] = token
        for above in _above(path):
            keys[f"{PREFIX}sub:{above}"] = token
    if keys:
        cache.set_many(keys, timeout=None)


def everywhere() -> None:
    """Every page may show something else (a recount of all counters): at once, and again
    once committed."""
    if not enabled():
        return

    def renew() -> None:
        cache.set(EVERYWHERE, _token(), timeout=None)

    try:
        renew()
    except Exception:
        logger.exception("page versions not changed")
    transaction.on_commit(renew, robust=True)


def version(*paths: str) -> str | None:
    """The version of what the pages of these units show: their subtrees' tokens, their
    superiors' own tokens and the token every page reads, in one cache round trip. None
    when the cache cannot say (keep nothing)."""
    if not enabled():
        return None
    try:
        return _version(paths)
    except Exception:
        logger.exception("page versions not read")
        return None


def _version(paths: tuple[str, ...]) -> str:
    keys = [EVERYWHERE]
    for path in paths:
        keys.append(f"{PREFIX}sub:{path}")
        keys.extend(f"{PREFIX}at:{p}" for p in _above(path, include_self=False))
    keys = list(dict.fromkeys(keys))
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _token(), timeout=None)
        found = cache.get_many(keys)
    return "|".join(str(found.get(key, "")) for key in keys)


def grants_key(user: Any) -> str:
    """What a person may see, as a short digest: two people with the same grants see the
    same page."""
    from xiaoan.core.scoping import grants_for

    grants = sorted(
        (g.unit_id or 0, g.descendants, sorted(g.permissions)) for g in grants_for(user)
    )
    text = json.dumps([bool(getattr(user, "is_superuser", False)), grants])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def read(key: str) -> Any:
    """A kept page, or None (also when the cache is down: it is built instead)."""
    try:
        return cache.get(key)
    except Exception:
        logger.exception("kept page not read")
        return None


def keep(key: str, value: Any, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.exception("page not kept")
