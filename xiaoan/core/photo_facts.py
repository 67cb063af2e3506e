"""What a photo itself tells (honest closure): its capture time and place from EXIF, and a
perceptual hash, read from the uploaded bytes before core.photos.clean_photo re-encodes the
photo and drops its EXIF.

The hash is a DCT pHash (the classic one: 32×32 greyscale, the 8×8 lowest frequencies,
each bit "above the median"), written here on Pillow alone: imagehash would bring numpy,
scipy and PyWavelets for one 32×32 transform. Two photos of the same picture, re-encoded
or resized, differ in a few bits (`hamming`); different pictures in about 32.

Nothing here raises on a bad file: EXIF is often garbage; missing facts are None / "".
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from PIL import Image, ImageOps, ImageStat

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881
HASH_SIZE = 8
DCT_SIZE = 32


@dataclass(frozen=True)
class PhotoFacts:
    taken_at: dt.datetime | None = None  # aware
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    phash: str = ""  # 16 hex digits, "" when the picture could not be read

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def read_facts(data: bytes) -> PhotoFacts:
    """The capture time (EXIF DateTimeOriginal, with OffsetTimeOriginal, else the site's
    time zone), the GPS position and the perceptual hash of an uploaded photo."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                taken_at, lat, lon = _exif_facts(image)
                return PhotoFacts(taken_at, lat, lon, _phash(image))
    except Exception:
        return PhotoFacts()


def read_upload_facts(upload) -> PhotoFacts:
    """`read_facts` of an uploaded file already read by clean_photo (read again from the
    start; a file that cannot be re-read has no facts)."""
    try:
        upload.seek(0)
        data = upload.read()
    except (AttributeError, OSError, ValueError):
        return PhotoFacts()
    return read_facts(data)


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hashes (64 when either is missing)."""
    if not a or not b or len(a) != len(b):
        return 64
    try:
        return (int(a, 16) ^ int(b, 16)).bit_count()
    except ValueError:
        return 64


def informative(phash: str) -> bool:
    """A flat picture (all black, a lens cap) hashes to almost no bits: it matches every
    other flat picture and proves nothing."""
    try:
        bits = int(phash, 16).bit_count()
    except ValueError:
        return False
    return 4 <= bits <= 60


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(h)))


# ---------------------------------------------------------------- EXIF


def _exif_facts(image: Image.Image):
    try:
        exif = image.getexif()
    except Exception:
        return None, None, None
    taken_at = lat = lon = None
    try:
        taken_at = _taken_at(exif.get_ifd(EXIF_IFD))
    except Exception:
        taken_at = None
    try:
        lat, lon = _position(exif.get_ifd(GPS_IFD))
    except Exception:
        lat = lon = None
    return taken_at, lat, lon


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    return str(value or "").strip("\x00 ").strip()


def _taken_at(ifd) -> dt.datetime | None:
    raw = _text(ifd.get(DATETIME_ORIGINAL))
    if not raw:
        return None
    naive = dt.datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
    offset = _text(ifd.get(OFFSET_TIME_ORIGINAL))
    if offset:
        try:
            return dt.datetime.strptime(f"{raw[:19]}{offset}", "%Y:%m:%d %H:%M:%S%z")
        except ValueError:
            pass
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def _degrees(value) -> float:
    d, m, s = (float(part) for part in value)
    result = d + m / 60 + s / 3600
    if math.isnan(result) or math.isinf(result):
        raise ValueError("bad rational")
    return result


def _position(gps) -> tuple[Decimal | None, Decimal | None]:
    if not gps or 2 not in gps or 4 not in gps:
        return None, None
    lat, lon = _degrees(gps[2]), _degrees(gps[4])
    if _text(gps.get(1)).upper() == "S":
        lat = -lat
    if _text(gps.get(3)).upper() == "W":
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None, None
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


# ---------------------------------------------------------------- perceptual hash


# Grey levels' spread below which a picture counts as flat (JPEG noise on one colour is ~1).
FLAT_STDDEV = 4.0


@cache
def _cosines() -> tuple[tuple[float, ...], ...]:
    n = DCT_SIZE
    return tuple(
        tuple(math.cos(math.pi * (2 * x + 1) * k / (2 * n)) for x in range(n))
        for k in range(HASH_SIZE)
    )


def _phash(image: Image.Image) -> str:
    width, height = image.size
    if width * height > settings.XIAOAN_PHOTO_MAX_MEGAPIXELS * 1_000_000:
        return ""  # clean_photo refuses it; decoding it here would be the bomb
    image.draft("L", (DCT_SIZE * 4, DCT_SIZE * 4))  # JPEG: decode at a fraction of the size
    small = (
        ImageOps.exif_transpose(image)
        .convert("L")
        .resize((DCT_SIZE, DCT_SIZE), Image.Resampling.LANCZOS)
    )
    if ImageStat.Stat(small).stddev[0] < FLAT_STDDEV:
        return ""  # a flat picture (a wall, a lens cap): its hash would match any other
    pixels = list(small.getdata())
    rows = [pixels[y * DCT_SIZE : (y + 1) * DCT_SIZE] for y in range(DCT_SIZE)]
    cos = _cosines()
    # Separable 2-D DCT-II, only the 8 lowest frequencies on each axis.
    across = [
        [sum(c * p for c, p in zip(cos[k], row, strict=True)) for k in range(HASH_SIZE)]
        for row in rows
    ]
    coeffs = [
        sum(cos[v][y] * across[y][u] for y in range(DCT_SIZE))
        for v in range(HASH_SIZE)
        for u in range(HASH_SIZE)
    ]
    median = sorted(coeffs)[len(coeffs) // 2 - 1 : len(coeffs) // 2 + 1]
    threshold = sum(median) / 2
    bits = 0
    for value in coeffs:
        bits = (bits << 1) | (value > threshold)
    return f"{bits:016x}"
