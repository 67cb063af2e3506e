"""S3-compatible object storage for uploads (issue 19): the settings read from XIAOAN_S3_*,
in one place so that settings.py and the tests (against a local S3 server) build the very
same storage.

Objects are private: no ACL is sent (the bucket's own policy, private by default, applies),
and nothing links to them directly. Every download goes through a permission-checked view
that reads the object with the storage API and streams it (core.views.photo_response,
evidence_response). Signed URLs, should a caller ever ask `.url()`, expire quickly.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from xiaoan.envconf import Env

BACKEND = "storages.backends.s3.S3Storage"


def s3_storage(env: Env) -> dict[str, Any] | None:
    """The STORAGES["default"] entry for XIAOAN_S3_BUCKET, or None without one (local disk).
    A bad value stops start-up, naming the variable."""
    bucket = env.str("XIAOAN_S3_BUCKET")
    if not bucket:
        return None
    from botocore.config import Config

    key = env.str("XIAOAN_S3_ACCESS_KEY_ID")
    secret = env.str("XIAOAN_S3_SECRET_ACCESS_KEY")
    if bool(key) != bool(secret):
        raise ImproperlyConfigured(
            "XIAOAN_S3_ACCESS_KEY_ID and XIAOAN_S3_SECRET_ACCESS_KEY go together (or neither: "
            "boto3's own credential chain then applies, e.g. an instance role)."
        )
    encryption = env.choice("XIAOAN_S3_ENCRYPTION", "", ("", "AES256", "aws:kms"))
    style = env.choice("XIAOAN_S3_ADDRESSING_STYLE", "path", ("path", "virtual"))
    return {
        "BACKEND": BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.url("XIAOAN_S3_ENDPOINT_URL", "", ("http", "https")) or None,
            "region_name": env.str("XIAOAN_S3_REGION", "us-east-1"),
            "access_key": key or None,
            "secret_key": secret or None,
            "location": env.str("XIAOAN_S3_PREFIX", "media").strip("/"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("XIAOAN_S3_URL_SECONDS", 300, minimum=1),
            # An upload never replaces another object of the same name.
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": encryption} if encryption else {},
            # A short connect timeout and few retries: /readyz answers while S3 is down.
            "client_config": Config(
                s3={"addressing_style": style},
                signature_version="s3v4",
                connect_timeout=env.int("XIAOAN_S3_CONNECT_TIMEOUT", 5, minimum=1),
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }


def is_object_storage(storage: Any) -> bool:
    """Whether `storage` keeps files away from this machine's disk (no `.path`)."""
    from django.core.files.storage import FileSystemStorage

    return not isinstance(storage, FileSystemStorage)


def describe(storage: Any) -> str:
    """Where `storage` keeps the files, for an operator: s3://bucket/prefix for S3, else the
    backend's class path. Never a credential."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        location = getattr(storage, "location", "") or ""
        return f"s3://{bucket}/{location}".rstrip("/")
    kind = type(storage)
    return f"{kind.__module__}.{kind.__qualname__}"
