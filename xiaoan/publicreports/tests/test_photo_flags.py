"""A public report's photos go through the same checks as hazard photos (real JPEGs with
EXIF): what contradicts the report is flagged for the staff who accept it, never refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from xiaoan.core.tests.photo_support import jpeg_upload
from xiaoan.hazards import services as hazard_services
from xiaoan.publicreports.tests.support import SCHOOL_A, SCHOOL_B, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_form(settings):
    settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS = 0


@pytest.fixture
def located(units):
    school = units[SCHOOL_A]
    school.latitude, school.longitude = Decimal("30.400000"), Decimal("114.600000")
    school.save(update_fields=["latitude", "longitude"])
    return school


def _codes(report) -> list[str]:
    return [f["code"] for f in report.photos.get().flags]


def _exif_time(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y:%m:%d %H:%M:%S}"


def test_it_keeps_a_clean_photos_facts_without_a_flag(units, located):
    taken = timezone.now() - dt.timedelta(hours=2)
    report = submitted(
        units, photos=[jpeg_upload(3, taken_at=_exif_time(taken), gps=(30.401, 114.601))]
    ).report
    photo = report.photos.get()
    assert photo.flags == []
    assert photo.latitude == Decimal("30.401000")
    assert abs((photo.taken_at - taken).total_seconds()) < 1
    assert len(photo.phash) == 16


def test_it_flags_an_old_a_future_and_a_far_photo(units, located):
    old = timezone.now() - dt.timedelta(days=90)
    assert _codes(submitted(units, photos=[jpeg_upload(4, taken_at=_exif_time(old))]).report) == [
        "taken_long_before"
    ]
    future = timezone.now() + dt.timedelta(days=2)
    report = submitted(
        units, photos=[jpeg_upload(5, taken_at=_exif_time(future))], address="198.51.100.2"
    ).report
    assert _codes(report) == ["taken_in_future"]
    far = submitted(units, photos=[jpeg_upload(6, gps=(31.2, 121.4))], address="198.51.100.3")
    assert _codes(far.report) == ["far_from_unit"]
    assert "公里" in far.report.photos.get().flags[0]["message"]


def test_it_flags_the_picture_of_one_of_the_schools_hazards_only(units, persona, located):
    officer = persona("school_a_officer")
    hazard = hazard_services.report(
        officer, located, description="宿舍楼灭火器过期", photos=[jpeg_upload(7)]
    )
    again = submitted(units, photos=[jpeg_upload(7, quality=70)]).report
    assert _codes(again) == ["used_elsewhere"]
    assert hazard.number in again.photos.get().flags[0]["message"]
    # Another school's report of the same picture names no hazard of School A.
    other = submitted(
        units, school=SCHOOL_B, photos=[jpeg_upload(7)], address="198.51.100.4"
    ).report
    assert _codes(other) == []


def test_it_shows_the_flags_to_the_staff_on_the_page_and_in_the_api(
    units, located, client_for, api_for
):
    old = timezone.now() - dt.timedelta(days=90)
    report = submitted(units, photos=[jpeg_upload(8, taken_at=_exif_time(old))]).report
    page = client_for("school_a_officer").get(f"/public-reports/{report.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="photo-flags"' in text and "早于举报一个月以上" in text
    body = api_for("school_a_officer").get(f"/api/public-reports/{report.pk}/").json()
    (photo,) = body["photos"]
    assert photo["flags"][0]["code"] == "taken_long_before"
    assert photo["taken_at"]


def test_it_hands_the_photos_facts_on_to_the_accepted_hazard(units, persona, located):
    from xiaoan.publicreports import services

    old = timezone.now() - dt.timedelta(days=90)
    report = submitted(
        units, photos=[jpeg_upload(9, taken_at=_exif_time(old), gps=(30.401, 114.601))]
    ).report
    accepted = services.accept(persona("school_a_officer"), report.pk, version=report.version)
    photo = accepted.hazard.photos.get()
    sent = report.photos.get()
    assert photo.taken_at == sent.taken_at and photo.latitude == Decimal("30.401000")
    assert photo.phash == sent.phash
