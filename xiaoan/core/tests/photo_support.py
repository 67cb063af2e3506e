"""Real JPEGs for photo-fact tests: a seeded picture with structure (a flat one has no
informative hash) and EXIF capture time and GPS written the way cameras write them."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def picture(seed: int, size: tuple[int, int] = (480, 360)) -> Image.Image:
    rnd = random.Random(seed)
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
        w, h = rnd.randrange(40, 220), rnd.randrange(40, 220)
        draw.rectangle([x, y, x + w, y + h], fill=tuple(rnd.randrange(256) for _ in range(3)))
    return image


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    return (d, m, round((value - d - m / 60) * 3600, 4))


def jpeg_bytes(
    seed: int = 1,
    *,
    taken_at: dt.datetime | str | None = None,
    offset: str = "",
    gps: tuple[float, float] | None = None,
    image: Image.Image | None = None,
    quality: int = 90,
) -> bytes:
    exif = Image.Exif()
    if taken_at is not None:
        if isinstance(taken_at, dt.datetime):
            taken_at = f"{taken_at:%Y:%m:%d %H:%M:%S}"
        exif.get_ifd(0x8769)[36867] = taken_at
    if offset:
        exif.get_ifd(0x8769)[36881] = offset
    if gps is not None:
        lat, lon = gps
        exif.get_ifd(0x8825).update(
            {1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)}
        )
    out = io.BytesIO()
    (image or picture(seed)).save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def jpeg_upload(seed: int = 1, name: str = "p.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(seed, **kwargs), content_type="image/jpeg")
