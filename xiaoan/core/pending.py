"""Photos kept across a refused form (随手拍 without a description, a monthly fire check with
a reason missing): each checked photo is stored once under pending/ and the form carries a
signed token for it, so the person does not photograph it again. The token names the
uploader: nobody else can take the file."""

from __future__ import annotations

import base64
import datetime as dt
import io
import uuid
from collections.abc import Iterable

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image

from xiaoan.core.errors import Invalid
from xiaoan.core.photos import clean_photo

SALT = "xiaoan.hazards.pending-photo"  # its first home's name: tokens in flight stay good
MAX_AGE = 2 * 24 * 3600  # a form left open over a weekend night is still good
PREVIEW_SIDE = 240
# A pending copy no form sent within this is abandoned: the nightly pass (03:40) deletes it,
# so a copy lives one to two days; a token whose file went is simply not shown again.
ABANDONED_AFTER = dt.timedelta(days=1)
ROOT = "pending"


def keep(user, uploads: Iterable) -> list[str]:
    """Store every upload that is a photo; tokens for the form. Non-photos are left out
    (the form says why)."""
    tokens = []
    for upload in uploads:
        if not upload:
            continue
        try:
            upload.seek(0)
            content, _w, _h = clean_photo(upload)
        except (Invalid, OSError, ValueError):
            continue
        name = default_storage.save(f"pending/{user.pk}/{uuid.uuid4().hex}.jpg", content)
        tokens.append(signing.dumps([user.pk, name], salt=SALT))
    return tokens


def _name(user, token: str) -> str | None:
    try:
        owner, name = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if owner != user.pk or not str(name).startswith(f"pending/{user.pk}/"):
        return None
    return name if default_storage.exists(name) else None


def valid(user, tokens: Iterable[str]) -> list[str]:
    return [t for t in dict.fromkeys(tokens) if _name(user, t)]


def previews(user, tokens: Iterable[str]) -> list[dict]:
    """Small inline previews (data: URIs, allowed by the CSP) of the kept photos."""
    shown = []
    for token in tokens:
        name = _name(user, token)
        if name is None:
            continue
        with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
            image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=70)
        src = "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()
        shown.append({"token": token, "src": src})
    return shown


def take(user, tokens: Iterable[str]) -> list[ContentFile]:
    """The kept photos as files for the service (they stay stored until `discard`: a
    refusal keeps them for the next try)."""
    files = []
    for token in tokens:
        name = _name(user, token)
        if name is not None:
            with default_storage.open(name, "rb") as handle:
                files.append(ContentFile(handle.read(), name="photo.jpg"))
    return files


def discard(user, tokens: Iterable[str]) -> None:
    """Once the photos are on the record: their pending copies go (after the commit)."""
    for token in tokens:
        name = _name(user, token)
        if name is not None:
            transaction.on_commit(lambda name=name: default_storage.delete(name))


def sent_or_kept(request, name: str, kept_name: str) -> tuple[ContentFile | None, str]:
    """A one-photo field of a phone form: the photo sent in `name`, or else the one kept from
    the refused try (its token in `kept_name`). Returns it and the kept token it used ("" when
    a new photo was sent: it replaces the kept one)."""
    upload = request.FILES.get(name)
    if upload is not None:
        return upload, ""
    token = next(iter(valid(request.user, [request.POST.get(kept_name, "")])), "")
    if not token:
        return None, ""
    return take(request.user, [token])[0], token


def shown_again(request, name: str, kept: str) -> dict | None:
    """After a refusal, the preview (with its token) of the photo to show again: the one just
    sent, kept now, or the one kept before."""
    upload = request.FILES.get(name)
    if upload is not None:
        kept = next(iter(keep(request.user, [upload])), "")
    return next(iter(previews(request.user, [kept])), None) if kept else None


def clean_abandoned(now: dt.datetime | None = None) -> int:
    """Delete the pending copies older than ABANDONED_AFTER (forms never sent again), and
    the uploaders' folders left empty. How many files went."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    # Listed, not tested with exists(): object storage has no folders, only key prefixes.
    try:
        folders, _files = default_storage.listdir(ROOT)
    except FileNotFoundError:
        return 0
    deleted = 0
    for folder in folders:
        base = f"{ROOT}/{folder}"
        _sub, names = default_storage.listdir(base)
        left = len(names) + len(_sub)
        for name in names:
            path = f"{base}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
                left -= 1
        if not left:
            try:
                default_storage.delete(base)  # object storage: no such key, nothing done
            except OSError:  # a photo kept meanwhile: the folder stays
                pass
    return deleted
