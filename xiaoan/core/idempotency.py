"""Idempotency keys: a retry with the same key and the same request answers as the first
did; the same key with a different request is refused (422), never silently answered with
the first record. What identifies "the same request" is its fingerprint, stored with the key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from xiaoan.core.errors import ServiceError

# Not part of what was asked: the CSRF token changes per page, the key is the key itself.
_IGNORED = {"csrfmiddlewaretoken", "idempotency_key"}


class IdempotencyMismatch(ServiceError):
    status = 422
    code = "idempotency_mismatch"
    default_message = _(
        "该幂等键（Idempotency-Key）已用于另一内容不同的请求；重试请原样重发，新请求请换一个新的键。"
    )


def _file_digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)  # the view reads it again
    return "sha256:" + digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return _file_digest(value)
    return value


def fingerprint(data: Any, files: Mapping[str, list[UploadedFile]] | None = None) -> str:
    """SHA-256 of the canonical JSON of a request body: a JSON body as parsed; a form or
    multipart body as its fields (every value of each) with each file by its own SHA-256."""
    if hasattr(data, "getlist"):  # QueryDict: forms and multipart, files possibly inside
        body: Any = {k: [_plain(v) for v in data.getlist(k)] for k in data if k not in _IGNORED}
    elif isinstance(data, Mapping):
        body = {k: _plain(v) for k, v in data.items() if k not in _IGNORED}
    else:
        body = data
    for name, uploads in (files or {}).items():
        body[name] = [_file_digest(u) for u in uploads]
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def request_fingerprint(request: Any) -> str:
    """The fingerprint of a DRF request (JSON, form or multipart) or of a page's POST."""
    if hasattr(request, "data"):  # DRF: data holds the files of a multipart body too
        files = {}
        if not hasattr(request.data, "getlist"):
            files = {k: request.FILES.getlist(k) for k in request.FILES}
        return fingerprint(request.data, files)
    return fingerprint(request.POST, {k: request.FILES.getlist(k) for k in request.FILES})


def check_same_request(stored: str | None, given: str | None) -> None:
    """Refuse a reused key whose request differs from the one first made with it. A record
    stored before fingerprints were kept (stored empty) or a caller giving none is taken as
    the same request, as before."""
    if stored and given and stored != given:
        raise IdempotencyMismatch()


def clean_key(raw: Any) -> str | None:
    """The key as stored: trimmed to the column's 64 characters; None when none was given."""
    return (str(raw or "")).strip()[:64] or None


def replay_of(records: Any, key: str | None, given: str | None) -> Any:
    """The record an earlier try with `key` made, marked `replayed`, or None. `records` are
    the person's own (keys are unique per person); 422 when that try asked something else."""
    if key is None:
        return None
    found = records.filter(idempotency_key=key).first()
    if found is not None:
        check_same_request(found.idempotency_fingerprint, given)
        found.replayed = True
    return found


def save_once(save: Callable[[], Any], records: Any, key: str | None, given: str | None) -> Any:
    """Run `save` in a savepoint. When a concurrent retry with the same key committed first,
    our insert waited on the key's unique index and failed: answer with that retry's record
    (read committed, this statement sees it). None when ours was saved."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        winner = replay_of(records, key, given)
        if winner is None:
            raise
        return winner
    return None


def begin_once(
    begin: Callable[[], Any],
    model: Any,
    pk: Any,
    *,
    key: str | None,
    given: str | None,
    key_field: str,
    fingerprint_field: str,
    went_through: Callable[[Any], bool] = lambda obj: True,
    keyless_retry: bool = False,
) -> tuple[Any, bool]:
    """A workflow step taken with an idempotency key: (`begin()`'s locked record, False), or,
    when `begin` refuses with a conflict because this key's step went through already (the
    version it was sent with is now stale), (the record as it is, True); 422 when that step
    asked something else. `keyless_retry`: a retry without a key of a step that went through
    is answered the same way."""
    from xiaoan.core.errors import Conflict

    try:
        return begin(), False
    except Conflict:
        obj = model.objects.get(pk=int(pk))
        if not went_through(obj):
            raise
        if key is None:
            if not keyless_retry:
                raise
            return obj, True
        if getattr(obj, key_field) != key:
            raise
        check_same_request(getattr(obj, fingerprint_field), given)
        return obj, True
