"""A real local S3 server for tests: moto's server mode, started in this process on a free
port of 127.0.0.1, and a fresh bucket per test that becomes the default storage.

Use it by importing the fixtures into a test module:

    from xiaoan.core.tests.s3 import s3, s3_server  # noqa: F401

The default storage is built by `xiaoan.core.objectstorage.s3_storage` from XIAOAN_S3_*
values, exactly as settings.py builds it. Changing settings.STORAGES fires Django's
setting_changed signal, which drops the cached `storages` backends and `default_storage`
(django.test.signals.storages_changed), so every FileField writes to the bucket for the
test and to local disk again after it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from xiaoan.core.objectstorage import s3_storage
from xiaoan.envconf import Env

REGION = "us-east-1"
KEY_ID = "xiaoan-test"
SECRET = "xiaoan-test-secret"
PREFIX = "media"


class Server:
    """One moto server; `stop()` takes the endpoint down (for the outage tests)."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        # One log line per S3 request would bury a failing test's own output.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        self.running = True

    def stop(self) -> None:
        if self.running:
            self._server.stop()
            self.running = False


def client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )


def storage_env(endpoint: str, bucket: str, **extra: str) -> Env:
    return Env(
        {
            "XIAOAN_S3_BUCKET": bucket,
            "XIAOAN_S3_ENDPOINT_URL": endpoint,
            "XIAOAN_S3_REGION": REGION,
            "XIAOAN_S3_ACCESS_KEY_ID": KEY_ID,
            "XIAOAN_S3_SECRET_ACCESS_KEY": SECRET,
            "XIAOAN_S3_PREFIX": PREFIX,
            "XIAOAN_S3_CONNECT_TIMEOUT": "1",
            **extra,
        }
    )


@dataclass
class Bucket:
    endpoint: str
    name: str
    client: Any

    def keys(self, under: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=under
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def url(self, key: str) -> str:
        """The object's plain (unsigned) URL, path-style."""
        return f"{self.endpoint}/{self.name}/{key}"


def use_bucket(settings, endpoint: str, **extra: str) -> Bucket:
    """A new bucket on `endpoint`, made the default storage for this test."""
    name = f"xiaoan-{uuid.uuid4().hex[:16]}"
    s3 = client(endpoint)
    s3.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(storage_env(endpoint, name, **extra)),
    }
    return Bucket(endpoint=endpoint, name=name, client=s3)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[Server]:
    server = Server()
    yield server
    server.stop()


@pytest.fixture
def s3(s3_server, settings) -> Bucket:
    """Uploads go to a fresh bucket of the local S3 server during this test."""
    return use_bucket(settings, s3_server.endpoint)
