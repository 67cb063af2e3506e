"""Honest closure: each photo flag raised by a real JPEG carrying EXIF, never blocking,
shown on the hazard page and in the API; a clean photo raises none."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from xiaoan.core.tests.photo_support import jpeg_upload
from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard, HazardPhoto

pytestmark = pytest.mark.django_db

SCHOOL_AT = (30.4000, 114.6000)


@pytest.fixture
def school_a(units):
    school = units["梁子湖高级中学"]
    school.latitude, school.longitude = Decimal("30.400000"), Decimal("114.600000")
    school.save(update_fields=["latitude", "longitude"])
    return school


def _local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y:%m:%d %H:%M:%S}"


def assigned(persona, units, school_a, seed=1, **exif) -> Hazard:
    officer = persona("school_a_officer")
    hazard = services.report(
        officer, school_a, description="宿舍楼灭火器过期", photos=[jpeg_upload(seed, **exif)]
    )
    services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL, domain="fire")
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=persona("school_a_owner"),
        measures="更换灭火器",
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    services.start(persona("school_a_owner"), hazard.pk)
    return hazard


def submit(persona, hazard, upload) -> HazardPhoto:
    services.submit(persona("school_a_owner"), hazard.pk, note="已更换", photos=[upload])
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED  # flags never block
    return hazard.photos.filter(kind=HazardPhoto.Kind.AFTER).latest("pk")


def codes(photo: HazardPhoto) -> list[str]:
    return [f["code"] for f in photo.flags]


def test_it_keeps_a_clean_photo_unflagged_with_its_facts(persona, units, school_a):
    hazard = assigned(persona, units, school_a)
    now = timezone.now()
    photo = submit(persona, hazard, jpeg_upload(2, taken_at=_local(now), gps=(30.4010, 114.6010)))
    assert photo.flags == [] and photo.phash and photo.taken_at is not None
    assert photo.latitude == Decimal("30.401000")
    hazard.refresh_from_db()
    assert hazard.photo_flagged is False


def test_it_flags_an_after_photo_taken_before_assignment(persona, units, school_a):
    hazard = assigned(persona, units, school_a)
    earlier = timezone.now() - dt.timedelta(days=3)
    photo = submit(persona, hazard, jpeg_upload(2, taken_at=_local(earlier)))
    assert codes(photo) == ["taken_before_assigned"]
    assert "早于隐患交办时间" in photo.flags[0]["message"]
    hazard.refresh_from_db()
    assert hazard.photo_flagged is True


def test_it_flags_the_before_photo_reused_as_after(persona, units, school_a):
    hazard = assigned(persona, units, school_a, seed=5)
    photo = submit(persona, hazard, jpeg_upload(5, quality=60))
    assert "same_as_before" in codes(photo)


def test_it_flags_the_same_image_on_another_hazard(persona, units, school_a):
    first = assigned(persona, units, school_a, seed=11)
    second = assigned(persona, units, school_a, seed=12)
    submit(persona, first, jpeg_upload(13))
    photo = submit(persona, second, jpeg_upload(13))
    assert codes(photo) == ["used_elsewhere"]
    assert first.number in photo.flags[0]["message"]


def test_it_flags_a_photo_taken_far_from_the_unit(persona, units, school_a):
    hazard = assigned(persona, units, school_a)
    photo = submit(persona, hazard, jpeg_upload(3, gps=(31.2304, 121.4737)))
    assert codes(photo) == ["far_from_unit"]
    assert "公里" in photo.flags[0]["message"] and photo.flags[0]["label"] == "拍摄地点不在本单位"


def test_it_skips_the_place_check_without_unit_coordinates(persona, units, school_a):
    hazard = assigned(persona, units, school_a)
    type(school_a).objects.filter(pk=school_a.pk).update(latitude=None, longitude=None)
    hazard.unit.refresh_from_db()
    photo = submit(persona, hazard, jpeg_upload(3, gps=(31.2304, 121.4737)))
    assert photo.flags == []


def test_it_flags_a_capture_time_in_the_future(persona, units, school_a):
    hazard = assigned(persona, units, school_a)
    later = timezone.now() + dt.timedelta(days=2)
    photo = submit(persona, hazard, jpeg_upload(4, taken_at=_local(later)))
    assert codes(photo) == ["taken_in_future"]


def test_it_shows_flags_to_the_verifier_on_the_page_and_in_the_api(
    persona, units, school_a, client_for, api_for
):
    hazard = assigned(persona, units, school_a)
    submit(persona, hazard, jpeg_upload(3, gps=(31.2304, 121.4737)))
    page = client_for("school_a_head").get(f"/hazards/{hazard.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "照片存疑" in text
    assert "照片核验提示" in text and "不在本单位范围内" in text
    body = api_for("school_a_head").get(f"/api/hazards/{hazard.pk}/").json()
    assert body["photo_flagged"] is True
    after = next(p for p in body["photos"] if p["kind"] == "after")
    assert after["flags"][0]["code"] == "far_from_unit" and "taken_at" in after
