"""SM4-GCM field encryption: the stored format, tamper and unknown-key detection, the key ring
from the environment, refused lookups on encrypted columns, and `xiaoan rotate-keys`."""

from __future__ import annotations

import base64
import hashlib
import hmac
from io import StringIO

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from xiaoan.accounts.models import User
from xiaoan.accounts.tests.helpers import PASSWORD
from xiaoan.core import crypto
from xiaoan.core.fields import EncryptedCharField, LookupHashField
from xiaoan.core.tests.test_settings_validation import PRODUCTION, run

KEY_A = base64.b64encode(b"A" * 16).decode()
KEY_B = base64.b64encode(b"B" * 16).decode()
LOOKUP = base64.b64encode(b"L" * 32).decode()


def _raw_mobiles(model) -> list[str]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mobile FROM {table} WHERE mobile IS NOT NULL")
        return [row[0] for row in cursor.fetchall()]


def _development_key() -> str:
    """The key the demo data was written with, as a XIAOAN_FIELD_KEYS entry."""
    ring = crypto.key_ring()
    return f"{ring.current}:{base64.b64encode(ring.keys[ring.current]).decode()}"


def _rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate-keys", *args, stdout=out)
    return out.getvalue()


def test_it_stores_sm4_gcm_with_a_fresh_nonce_each_time(settings):
    settings.XIAOAN_FIELD_KEYS = f"k1:{KEY_A}"
    first, second = crypto.encrypt("13800000000"), crypto.encrypt("13800000000")
    assert first != second
    prefix, key_id, blob = first.split(":")
    assert (prefix, key_id) == ("sm4gcm", "k1")
    assert len(base64.b64decode(blob)) == 12 + len("13800000000") + 16
    assert crypto.decrypt(first) == crypto.decrypt(second) == "13800000000"
    assert crypto.decrypt(crypto.encrypt("张三 ①")) == "张三 ①"


def test_it_detects_a_changed_ciphertext_byte(settings):
    settings.XIAOAN_FIELD_KEYS = f"k1:{KEY_A}"
    token = crypto.encrypt("13800000000")
    prefix, key_id, blob = token.split(":")
    raw = bytearray(base64.b64decode(blob))
    raw[14] ^= 0x01  # a ciphertext byte, after the 12-byte nonce
    altered = f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}"
    with pytest.raises(crypto.DecryptionError, match="failed authentication"):
        crypto.decrypt(altered)


def test_it_names_an_unknown_key_and_how_to_recover(settings):
    settings.XIAOAN_FIELD_KEYS = f"old:{KEY_A}"
    token = crypto.encrypt("13800000000")
    settings.XIAOAN_FIELD_KEYS = f"new:{KEY_B}"
    with pytest.raises(crypto.DecryptionError) as caught:
        crypto.decrypt(token)
    assert "'old'" in str(caught.value)
    assert "XIAOAN_FIELD_KEYS" in str(caught.value)
    assert "rotate-keys" in str(caught.value)


def test_it_writes_with_the_first_key_and_reads_with_the_others(settings):
    settings.XIAOAN_FIELD_KEYS = f"old:{KEY_A}"
    token = crypto.encrypt("13800000000")
    settings.XIAOAN_FIELD_KEYS = f"new:{KEY_B},old:{KEY_A}"
    assert crypto.decrypt(token) == "13800000000"
    assert crypto.key_id_of(crypto.encrypt("x")) == "new"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nokey", "keyid:base64key"),
        (f"k1:{KEY_A},k1:{KEY_B}", "twice"),
        ("k1:not-base64!", "not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "16 bytes"),
        ("bad id:" + KEY_A, "key ids"),
    ],
)
def test_it_refuses_bad_field_keys_naming_the_variable(value, message):
    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        crypto.parse_field_keys(value)
    assert "XIAOAN_FIELD_KEYS" in str(caught.value)


def test_it_refuses_a_short_lookup_key():
    with pytest.raises(ImproperlyConfigured, match="XIAOAN_LOOKUP_KEY"):
        crypto.parse_lookup_key(base64.b64encode(b"short").decode())


def test_it_requires_both_keys_in_production_and_starts_with_them(tmp_path):
    keys = {"XIAOAN_FIELD_KEYS": f"k1:{KEY_A}", "XIAOAN_LOOKUP_KEY": LOOKUP}
    production = {k: v for k, v in PRODUCTION.items() if k not in keys}
    no_field_keys = run(tmp_path, **production, XIAOAN_LOOKUP_KEY=LOOKUP)
    assert no_field_keys.returncode != 0
    assert "XIAOAN_FIELD_KEYS is required" in no_field_keys.stderr
    no_lookup_key = run(tmp_path, **production, XIAOAN_FIELD_KEYS=keys["XIAOAN_FIELD_KEYS"])
    assert no_lookup_key.returncode != 0
    assert "XIAOAN_LOOKUP_KEY is required" in no_lookup_key.stderr
    bad_key = run(tmp_path, **production, **{**keys, "XIAOAN_FIELD_KEYS": "k1:abc"})
    assert "XIAOAN_FIELD_KEYS" in bad_key.stderr.strip().splitlines()[-1]
    good = run(tmp_path, **production, **keys)
    assert good.returncode == 0, good.stderr


def test_it_hashes_lookups_with_hmac_sm3_where_openssl_has_it(settings):
    settings.XIAOAN_LOOKUP_KEY = LOOKUP
    algorithm = "sm3" if "sm3" in hashlib.algorithms_available else "sha256"
    expected = hmac.new(b"L" * 32, b"13800000000", algorithm).hexdigest()
    assert crypto.HASH_ALGORITHM == algorithm
    assert crypto.lookup_hash("13800000000") == f"{algorithm}:{expected}"


def test_it_refuses_lookups_on_an_encrypted_column_and_points_to_the_hash(db):
    for lookup in ({"mobile": "13800000012"}, {"mobile__startswith": "138"}):
        with pytest.raises(FieldError, match="mobile_hash__matches"):
            User.objects.filter(**lookup).exists()
    assert User.objects.filter(mobile__isnull=True).exists()
    assert User.objects.filter(mobile_hash__matches="13800000012").count() == 1


def test_it_deconstructs_the_fields_for_migrations():
    field = User._meta.get_field("mobile")
    _name, path, args, kwargs = field.deconstruct()
    assert path == "xiaoan.core.fields.EncryptedCharField"
    assert EncryptedCharField(*args, **kwargs).max_length == 11
    _name, path, args, kwargs = User._meta.get_field("mobile_hash").deconstruct()
    assert path == "xiaoan.core.fields.LookupHashField"
    rebuilt = LookupHashField(*args, **kwargs)
    assert (rebuilt.source, rebuilt.unique, rebuilt.null) == ("mobile", True, True)


def test_it_rotates_every_encrypted_column_to_the_new_key(settings, demo):
    settings.XIAOAN_FIELD_KEYS = f"old:{KEY_A},{_development_key()}"
    _rotate()  # everything under "old" (the demo was written with the development key)
    history = User.history.model
    settings.XIAOAN_FIELD_KEYS = f"new:{KEY_B},old:{KEY_A}"

    preview = _rotate("--dry-run")
    assert "accounts.User.mobile" in preview and "accounts.HistoricalUser.mobile" in preview
    assert "需重新加密 0 个" not in preview.split("accounts.User.mobile")[1].splitlines()[0]
    assert all(v.startswith("sm4gcm:old:") for v in _raw_mobiles(User) + _raw_mobiles(history))

    report = _rotate("--batch", "3")
    users = len(_raw_mobiles(User))
    assert f"accounts.User.mobile：共 {users} 个值，已重新加密 {users} 个" in report
    assert all(v.startswith("sm4gcm:new:") for v in _raw_mobiles(User) + _raw_mobiles(history))
    assert "已重新加密 0 个" in _rotate().split("accounts.User.mobile")[1].splitlines()[0]

    settings.XIAOAN_FIELD_KEYS = f"new:{KEY_B}"  # the old key is gone: everything still reads
    assert User.objects.get(username="school_a_officer").mobile == "13800000012"
    assert history.objects.filter(mobile__isnull=False).count() > 0
    assert all(h.mobile for h in history.objects.filter(mobile__isnull=False))
    assert Client().login(username="13800000012", password=PASSWORD)


def test_it_recomputes_lookup_hashes_after_a_lookup_key_change(settings, demo):
    settings.XIAOAN_LOOKUP_KEY = LOOKUP
    assert not Client().login(username="13800000012", password=PASSWORD)
    report = _rotate()
    assert "已更新摘要" in report
    assert Client().login(username="13800000012", password=PASSWORD)
    assert "已更新摘要 0 个" in _rotate().split("accounts.User.mobile")[1].splitlines()[0]


def test_it_reports_values_under_an_unknown_key_and_fails(settings, demo):
    settings.XIAOAN_FIELD_KEYS = f"gone:{KEY_A},{_development_key()}"
    _rotate()
    settings.XIAOAN_FIELD_KEYS = f"new:{KEY_B}"
    with pytest.raises(CommandError, match="无法解密"):
        _rotate()
    with pytest.raises(crypto.DecryptionError, match="'gone'"):
        User.objects.get(username="school_a_officer")
