"""Photo facts read from real JPEGs with EXIF, and garbage that must not raise."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from xiaoan.core.photo_facts import distance_m, hamming, informative, read_facts
from xiaoan.core.tests.photo_support import jpeg_bytes, picture

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_it_reads_capture_time_with_offset_and_gps():
    facts = read_facts(
        jpeg_bytes(1, taken_at="2026:11:30 09:15:00", offset="+09:00", gps=(30.5, -114.25))
    )
    assert facts.taken_at == dt.datetime(
        2026, 11, 30, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=9))
    )
    assert facts.latitude == Decimal("30.500000") and facts.longitude == Decimal("-114.250000")
    assert len(facts.phash) == 16 and informative(facts.phash)


def test_it_takes_the_site_time_zone_without_an_offset(settings):
    facts = read_facts(jpeg_bytes(1, taken_at="2026:11:30 09:15:00"))
    assert facts.taken_at == dt.datetime(2026, 11, 30, 9, 15, tzinfo=SHANGHAI)
    assert facts.latitude is None and not facts.has_place


def test_it_survives_garbage():
    assert read_facts(b"not a photo").phash == ""
    bad = read_facts(jpeg_bytes(1, taken_at="yesterday-ish", offset="zz"))
    assert bad.taken_at is None and bad.phash
    assert read_facts(jpeg_bytes(1, gps=(0.0, 0.0))).latitude is None
    assert read_facts(b"").taken_at is None


def test_it_hashes_the_same_picture_alike_and_others_apart():
    a = read_facts(jpeg_bytes(7)).phash
    resized = read_facts(jpeg_bytes(image=picture(7).resize((240, 180)), quality=40)).phash
    other = read_facts(jpeg_bytes(8)).phash
    assert hamming(a, resized) <= 4
    assert hamming(a, other) > 12
    assert hamming(a, "") == 64 and hamming("zz", "zz") == 64


def test_it_measures_distance():
    assert 1100 < distance_m(30.0, 114.0, 30.01, 114.0) < 1125


def test_it_gives_a_flat_picture_no_hash():
    import io

    from PIL import Image

    for colour in ("#c0392b", "#27ae60", "white"):
        out = io.BytesIO()
        Image.new("RGB", (640, 480), colour).save(out, "JPEG")
        assert read_facts(out.getvalue()).phash == "", colour
