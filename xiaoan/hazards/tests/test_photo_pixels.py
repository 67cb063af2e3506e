"""A photo declaring more pixels than XIAOAN_PHOTO_MAX_MEGAPIXELS is refused from its header,
before anything is decoded: a decompression bomb is a small file."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xiaoan.core.errors import Invalid
from xiaoan.core.photos import clean_photo
from xiaoan.hazards.models import Hazard

SCHOOL_A = "梁子湖高级中学"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def declared_png(width: int, height: int) -> SimpleUploadedFile:
    """A PNG of a few dozen bytes whose header claims width × height RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")


def test_it_refuses_a_tiny_file_declaring_ten_gigapixels_quickly_without_allocating():
    upload = declared_png(100_000, 100_000)
    assert upload.size < 200
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(Invalid) as refused:
        clean_photo(upload)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "像素过多" in str(refused.value.message)
    assert elapsed < 1
    assert peak < 5 * 1024 * 1024


def test_it_refuses_a_photo_over_the_setting_that_pil_alone_would_decode(settings):
    settings.XIAOAN_PHOTO_MAX_MEGAPIXELS = 40
    # 8,000 × 5,100 = 40.8 megapixels: below PIL's own bomb limit, above ours.
    assert 8_000 * 5_100 < Image.MAX_IMAGE_PIXELS
    with pytest.raises(Invalid) as refused:
        clean_photo(declared_png(8_000, 5_100))
    assert "40 百万像素" in str(refused.value.message)
    assert refused.value.fields == {"photos": ["照片像素过多。"]}


def test_it_takes_a_photo_within_the_limit(settings):
    settings.XIAOAN_PHOTO_MAX_MEGAPIXELS = 1
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 1000), "orange").save(buffer, "JPEG")
    _content, width, height = clean_photo(SimpleUploadedFile("ok.jpg", buffer.getvalue()))
    assert (width, height) == (1000, 1000)
    with pytest.raises(Invalid):
        buffer = io.BytesIO()
        Image.new("RGB", (1001, 1000), "orange").save(buffer, "JPEG")
        clean_photo(SimpleUploadedFile("big.jpg", buffer.getvalue()))


def test_it_refuses_pils_own_bomb_warning_as_too_many_pixels(settings, monkeypatch):
    settings.XIAOAN_PHOTO_MAX_MEGAPIXELS = 10_000  # ours out of the way: PIL's guard decides
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    with pytest.raises(Invalid) as refused:
        clean_photo(declared_png(1_500, 1_000))  # over PIL's limit: a warning, now an error
    assert "像素过多" in str(refused.value.message)


@pytest.mark.django_db
def test_it_answers_the_api_with_the_structured_400_and_records_nothing(api_for, units):
    client = api_for("school_a_officer")
    before = Hazard.objects.count()
    response = client.post(
        "/api/hazards/",
        {
            "unit": units[SCHOOL_A].pk,
            "description": "楼道堆放杂物",
            "photos": [declared_png(100_000, 100_000)],
        },
        format="multipart",
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert "像素过多" in error["message"] and "photos" in error["fields"]
    assert Hazard.objects.count() == before
