"""Field encryption at rest (SM4-GCM) and keyed lookup hashes (HMAC-SM3).

Keys come from the environment (read in settings.py):

- `XIAOAN_FIELD_KEYS`: comma-separated `keyid:base64-of-16-bytes`. The first key encrypts new
  values; the others only decrypt, so a key can be rotated without downtime (add the new key
  in front, run `xiaoan rotate-keys`, then drop the old one).
- `XIAOAN_LOOKUP_KEY`: base64 of at least 16 bytes, the HMAC key of the lookup hashes that
  stand in for equality lookups and uniqueness on encrypted columns. Keep it stable: after a
  change, lookups miss until `xiaoan rotate-keys` has recomputed every hash.

Both are required in production; in development and tests they are derived from SECRET_KEY.

A stored value reads `sm4gcm:<keyid>:<base64(nonce | ciphertext | tag)>` with a random 12-byte
nonce. A lookup hash reads `<algorithm>:<hex>`: HMAC-SM3 where OpenSSL offers SM3, HMAC-SHA-256
otherwise. The prefix records which, so a move to a host without SM3 is visible (the hashes
then differ until `xiaoan rotate-keys` recomputes them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ImproperlyConfigured

PREFIX = "sm4gcm"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
DEVELOPMENT_KEY_ID = "dev"


def _hash_algorithm() -> str:
    try:
        hashlib.new("sm3")
    except ValueError:
        return "sha256"
    return "sm3"


# Fixed for the life of the process; the stored prefix tells which one wrote a hash.
HASH_ALGORITHM = _hash_algorithm()


class DecryptionError(ValueError):
    """A stored value cannot be read: unknown key, altered ciphertext or not encrypted."""


@dataclass(frozen=True)
class KeyRing:
    current: str
    keys: dict[str, bytes]


def parse_field_keys(text: str) -> KeyRing:
    """Parse `XIAOAN_FIELD_KEYS`; raise ImproperlyConfigured naming the variable."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                "XIAOAN_FIELD_KEYS must be comma-separated 'keyid:base64key' entries; key ids "
                f"use letters, digits, '-' or '_' (got {key_id!r})."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"XIAOAN_FIELD_KEYS names key id {key_id!r} twice.")
        keys[key_id] = _decode_key(encoded, "XIAOAN_FIELD_KEYS", key_id, exact=True)
    if not keys:
        raise ImproperlyConfigured("XIAOAN_FIELD_KEYS holds no key.")
    return KeyRing(current=next(iter(keys)), keys=keys)


def parse_lookup_key(text: str) -> bytes:
    return _decode_key(text.strip(), "XIAOAN_LOOKUP_KEY", None, exact=False)


def _decode_key(encoded: str, variable: str, key_id: str | None, *, exact: bool) -> bytes:
    where = f"key {key_id!r} of {variable}" if key_id else variable
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{where} is not valid base64.") from None
    if exact and len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{where} must be 16 bytes (SM4-128) encoded in base64, e.g. `openssl rand -base64 16`."
        )
    if not exact and len(raw) < KEY_BYTES:
        raise ImproperlyConfigured(
            f"{where} must be at least 16 random bytes encoded in base64, "
            "e.g. `openssl rand -base64 32`."
        )
    return raw


def _derived(secret_key: str, purpose: str, size: int) -> bytes:
    return hmac.new(secret_key.encode(), f"xiaoan {purpose}".encode(), hashlib.sha256).digest()[
        :size
    ]


def check_keys(field_keys: str, lookup_key: str, *, production: bool) -> None:
    """Called from settings.py so that a bad or missing key stops the start."""
    if production and not field_keys:
        raise ImproperlyConfigured(
            "XIAOAN_FIELD_KEYS is required when XIAOAN_ENV=production "
            "('keyid:base64key', a key from `openssl rand -base64 16`)."
        )
    if production and not lookup_key:
        raise ImproperlyConfigured(
            "XIAOAN_LOOKUP_KEY is required when XIAOAN_ENV=production "
            "(a key from `openssl rand -base64 32`; keep it stable)."
        )
    if field_keys:
        parse_field_keys(field_keys)
    if lookup_key:
        parse_lookup_key(lookup_key)


@lru_cache(maxsize=1)
def key_ring() -> KeyRing:
    from django.conf import settings

    text = getattr(settings, "XIAOAN_FIELD_KEYS", "")
    if text:
        return parse_field_keys(text)
    if getattr(settings, "PRODUCTION", False):
        check_keys("", "x", production=True)
    # Development and tests only: readable as long as SECRET_KEY stays the same.
    key = _derived(settings.SECRET_KEY, "field encryption key", KEY_BYTES)
    return KeyRing(current=DEVELOPMENT_KEY_ID, keys={DEVELOPMENT_KEY_ID: key})


@lru_cache(maxsize=1)
def lookup_key() -> bytes:
    from django.conf import settings

    text = getattr(settings, "XIAOAN_LOOKUP_KEY", "")
    if text:
        return parse_lookup_key(text)
    if getattr(settings, "PRODUCTION", False):
        check_keys("x", "", production=True)
    return _derived(settings.SECRET_KEY, "lookup hash key", 32)


def reset_caches() -> None:
    key_ring.cache_clear()
    lookup_key.cache_clear()


def _on_setting_changed(*, setting: str, **kwargs) -> None:
    if setting in ("XIAOAN_FIELD_KEYS", "XIAOAN_LOOKUP_KEY", "SECRET_KEY", "PRODUCTION"):
        reset_caches()


def _connect_signals() -> None:
    from django.core.signals import setting_changed

    setting_changed.connect(_on_setting_changed, dispatch_uid="xiaoan.core.crypto")


_connect_signals()


def is_encrypted(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ":")


def key_id_of(token: str) -> str:
    """The key id a stored value was written with (no decryption)."""
    if not is_encrypted(token):
        raise DecryptionError("The stored value is not encrypted (expected 'sm4gcm:…').")
    return token.split(":", 2)[1]


def encrypt(plain: str) -> str:
    ring = key_ring()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(ring.keys[ring.current]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plain.encode("utf-8")) + encryptor.finalize()
    blob = base64.b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{PREFIX}:{ring.current}:{blob}"


def decrypt(token: str) -> str:
    key_id = key_id_of(token)
    ring = key_ring()
    key = ring.keys.get(key_id)
    if key is None:
        raise DecryptionError(
            f"The stored value is encrypted with key {key_id!r}, which is not in "
            "XIAOAN_FIELD_KEYS: put that key back after the current one and run "
            "`xiaoan rotate-keys`."
        )
    try:
        blob = base64.b64decode(token.split(":", 2)[2], validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("The stored value is not valid base64.") from None
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("The stored value is too short to be an SM4-GCM ciphertext.")
    nonce, body, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    try:
        plain = decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError(
            f"The stored value failed authentication under key {key_id!r}: it was altered, "
            "or the key with that id is not the one it was written with."
        ) from None
    return plain.decode("utf-8")


def lookup_hash(value: str) -> str:
    """Keyed hash of a plain value for equality lookups and uniqueness on encrypted columns."""
    digest = hmac.new(lookup_key(), value.encode("utf-8"), HASH_ALGORITHM).hexdigest()
    return f"{HASH_ALGORITHM}:{digest}"
