"""XIAOAN_S3_*: local disk without a bucket; with one, a private S3 storage; a bad value
stops start-up naming the variable (without echoing a secret)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from xiaoan.core.objectstorage import BACKEND, describe, s3_storage
from xiaoan.envconf import Env

ROOT = Path(__file__).resolve().parents[3]


def test_it_keeps_files_on_local_disk_without_a_bucket():
    assert s3_storage(Env({})) is None
    assert s3_storage(Env({"XIAOAN_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})) is None


def test_it_builds_a_private_s3_storage_from_the_variables():
    entry = s3_storage(
        Env(
            {
                "XIAOAN_S3_BUCKET": "xiaoan-files",
                "XIAOAN_S3_ENDPOINT_URL": "https://s3.example.edu.cn",
                "XIAOAN_S3_ACCESS_KEY_ID": "id",
                "XIAOAN_S3_SECRET_ACCESS_KEY": "secret",
                "XIAOAN_S3_PREFIX": "/province/media/",
                "XIAOAN_S3_ADDRESSING_STYLE": "virtual",
                "XIAOAN_S3_ENCRYPTION": "AES256",
                "XIAOAN_S3_URL_SECONDS": "60",
            }
        )
    )
    assert entry is not None and entry["BACKEND"] == BACKEND
    options = entry["OPTIONS"]
    assert options["bucket_name"] == "xiaoan-files"
    assert options["endpoint_url"] == "https://s3.example.edu.cn"
    assert options["region_name"] == "us-east-1"
    assert options["location"] == "province/media"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False and options["querystring_expire"] == 60
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    config = options["client_config"]
    assert config.s3 == {"addressing_style": "virtual"} and config.connect_timeout == 5


def test_it_defaults_to_path_style_under_media_with_boto3s_own_credentials():
    options = s3_storage(Env({"XIAOAN_S3_BUCKET": "b1"}))["OPTIONS"]
    assert options["location"] == "media" and options["endpoint_url"] is None
    assert options["access_key"] is None and options["secret_key"] is None
    assert options["client_config"].s3 == {"addressing_style": "path"}
    assert options["object_parameters"] == {}


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"XIAOAN_S3_ENDPOINT_URL": "ftp://x"}, "XIAOAN_S3_ENDPOINT_URL"),
        ({"XIAOAN_S3_ADDRESSING_STYLE": "auto"}, "XIAOAN_S3_ADDRESSING_STYLE"),
        ({"XIAOAN_S3_ACCESS_KEY_ID": "only-the-id"}, "XIAOAN_S3_SECRET_ACCESS_KEY"),
        ({"XIAOAN_S3_SECRET_ACCESS_KEY": "only-the-secret"}, "XIAOAN_S3_ACCESS_KEY_ID"),
        ({"XIAOAN_S3_ENCRYPTION": "yes"}, "XIAOAN_S3_ENCRYPTION"),
        ({"XIAOAN_S3_URL_SECONDS": "0"}, "XIAOAN_S3_URL_SECONDS"),
    ],
)
def test_it_refuses_a_bad_value_naming_the_variable(variables, named):
    with pytest.raises(ImproperlyConfigured) as error:
        s3_storage(Env({"XIAOAN_S3_BUCKET": "b1", **variables}))
    assert named in str(error.value)
    assert "only-the-secret" not in str(error.value)


def test_it_stops_start_up_on_a_bad_value_and_uses_the_bucket_on_a_good_one(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("XIAOAN_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(DJANGO_SETTINGS_MODULE="xiaoan.settings", XIAOAN_DATA_DIR=str(tmp_path / "v"))
    probe = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"

    def run(**variables: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {probe}"],
            cwd=ROOT,
            env={**env, **variables},
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run().stdout.strip() == "django.core.files.storage.FileSystemStorage"
    assert run(XIAOAN_S3_BUCKET="b1").stdout.strip() == BACKEND
    bad = run(XIAOAN_S3_BUCKET="b1", XIAOAN_S3_ADDRESSING_STYLE="auto")
    assert bad.returncode != 0 and "XIAOAN_S3_ADDRESSING_STYLE" in bad.stderr


def test_it_describes_where_files_are_kept_without_credentials():
    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        **s3_storage(
            Env(
                {
                    "XIAOAN_S3_BUCKET": "b1",
                    "XIAOAN_S3_ACCESS_KEY_ID": "id",
                    "XIAOAN_S3_SECRET_ACCESS_KEY": "pw",
                }
            )
        )["OPTIONS"]
    )
    assert describe(storage) == "s3://b1/media"
