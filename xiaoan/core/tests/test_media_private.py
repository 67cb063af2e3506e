"""Uploaded files are reached only through the views that check who may see them."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_media_root_is_not_served_even_in_development(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "hazards").mkdir()
    (tmp_path / "hazards" / "secret.jpg").write_bytes(b"not for everyone")
    import xiaoan.urls

    clear_url_caches()
    importlib.reload(xiaoan.urls)  # the URL list is built at import, under DEBUG here
    try:
        assert client.get("/media/hazards/secret.jpg").status_code == 404
    finally:
        clear_url_caches()
