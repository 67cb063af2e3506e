"""The rules of 群众举报: submitting (limits, honeypot, fill time, PII), the receipt, and the
staff steps (accept once into the hazard ledger, reject, duplicate)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.accounts.throttling import TooManyRequests
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.hazards.choices import HazardSource, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.publicreports import services
from xiaoan.publicreports.choices import ReportStatus
from xiaoan.publicreports.models import PublicReport
from xiaoan.publicreports.tests.support import SCHOOL_A, SCHOOL_B, channel, jpeg, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_form(settings):
    settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS = 0


def test_it_stores_a_report_with_encrypted_phone_and_hashed_receipt(units):
    done = submitted(units, photos=[jpeg()])
    report = PublicReport.objects.get(pk=done.report.pk)
    assert report.status == ReportStatus.NEW and report.unit == units[SCHOOL_A]
    assert report.phone == "13912345678" and report.photos.count() == 1
    assert len(done.receipt) == 10 and done.receipt not in report.receipt_hash
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM publicreports_publicreport WHERE id = %s", [report.pk])
        assert "13912345678" not in cursor.fetchone()[0]
    view = services.receipt(done.receipt.lower(), address="198.51.100.1")
    assert view.status == ReportStatus.NEW and view.reason == "" and view.progress == ""


def test_it_masks_personal_data_in_the_text(units):
    text = (
        "张三身份证420102199001011234，电话 138-1234-5678，邮箱 a.b@example.com，"
        "卡号 6222 0212 3456 7890 123，门牌 12 号"
    )
    done = submitted(units, description=text, place="找13812345678")
    report = done.report
    for secret in ("420102199001011234", "138-1234-5678", "a.b@example.com", "6222", "13812345678"):
        assert secret not in report.description + report.place
    assert "〔身份证号已隐去〕" in report.description and "门牌 12 号" in report.description


def test_it_refuses_bad_submissions(units, settings):
    settings.XIAOAN_PUBLIC_REPORT_RATE_ADDRESS = ""
    ch = channel(units)
    with pytest.raises(Invalid):
        submitted(units, website="http://spam")
    with pytest.raises(Invalid):
        submitted(units, form_token="forged")
    with pytest.raises(Invalid):  # the form of another school
        submitted(units, form_token=services.form_token(channel(units, SCHOOL_B)))
    with pytest.raises(Invalid):
        submitted(units, description="短")
    with pytest.raises(Invalid):
        submitted(units, description="很" * 1001)
    with pytest.raises(Invalid):
        submitted(units, category="nuclear")
    with pytest.raises(Invalid):
        submitted(units, phone="12345")
    with pytest.raises(Invalid):
        submitted(units, photos=[jpeg(), jpeg(), jpeg(), jpeg()])
    with pytest.raises(Invalid):
        submitted(units, photos=[SimpleUploadedFile("x.jpg", b"not an image")])
    settings.XIAOAN_PHOTO_MAX_BYTES = 100
    with pytest.raises(Invalid):
        submitted(units, photos=[jpeg()])
    settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS = 60
    with pytest.raises(Invalid):
        submitted(units, form_token=services.form_token(ch))
    assert not PublicReport.objects.exists()


def test_it_limits_per_address_and_per_school(units, settings):
    settings.XIAOAN_PUBLIC_REPORT_RATE_ADDRESS = "2/hour"
    settings.XIAOAN_PUBLIC_REPORT_RATE_SCHOOL = "3/day"
    submitted(units)
    submitted(units)
    with pytest.raises(TooManyRequests):
        submitted(units)
    submitted(units, address="198.51.100.2")
    with pytest.raises(TooManyRequests):  # the school's fourth of the day, from anywhere
        submitted(units, address="198.51.100.3")
    submitted(units, SCHOOL_B, address="198.51.100.4")


def test_it_answers_404_for_unknown_rotated_or_closed_channels(units, persona):
    ch = channel(units)
    old = ch.token
    officer = persona("school_a_officer")
    services.rotate(officer, units[SCHOOL_A].pk)
    with pytest.raises(NotFound):
        services.open_channel(old)
    with pytest.raises(NotFound):
        services.open_channel("nope")
    services.set_enabled(officer, units[SCHOOL_A].pk, enabled=False)
    ch.refresh_from_db()
    with pytest.raises(NotFound):
        services.open_channel(ch.token)
    with pytest.raises(Forbidden):  # the district reads the channel, the school manages it
        services.rotate(persona("auditor"), units[SCHOOL_A].pk)
    with pytest.raises(NotFound):
        services.channel_for(persona("school_a_officer"), units[SCHOOL_B].pk)


def test_it_accepts_once_into_the_hazard_ledger(units, persona):
    done = submitted(units, photos=[jpeg()])
    officer = persona("school_a_officer")
    report = services.accept(officer, done.report.pk, version=done.report.version)
    hazard = Hazard.objects.get(pk=report.hazard_id)
    assert hazard.source == HazardSource.PUBLIC and hazard.status == HazardStatus.REPORTED
    assert hazard.unit == units[SCHOOL_A] and hazard.photos.count() == 1
    with pytest.raises(Conflict):
        services.accept(officer, done.report.pk)
    with pytest.raises(Conflict):
        services.accept(persona("school_a_head"), done.report.pk, version=0)
    assert Hazard.objects.filter(source=HazardSource.PUBLIC, unit=units[SCHOOL_A]).count() == 1
    view = services.receipt(done.receipt, address="198.51.100.1")
    assert view.status == ReportStatus.ACCEPTED and view.progress == "已登记，学校正在核实"
    assert "李安办" not in str(view)


def test_it_rejects_and_marks_duplicates_with_scope(units, persona, settings):
    settings.XIAOAN_PUBLIC_REPORT_RATE_ADDRESS = ""
    officer = persona("school_a_officer")
    first = submitted(units).report
    second = submitted(units)
    other = submitted(units, SCHOOL_B, address="198.51.100.9").report
    with pytest.raises(Forbidden):  # the bureau reads, the school decides
        services.reject(persona("district_officer"), first.pk, reason="不属实")
    with pytest.raises(NotFound):
        services.reject(officer, other.pk, reason="不属实")
    with pytest.raises(Invalid):
        services.reject(officer, first.pk, reason="")
    with pytest.raises(Invalid):  # a report of another school is none of this one's
        services.mark_duplicate(officer, second.report.pk, duplicate_of=str(other.pk))
    services.mark_duplicate(officer, second.report.pk, duplicate_of=first.number)
    services.reject(officer, first.pk, reason="经核实，通道已清理")
    view = services.receipt(second.receipt, address="198.51.100.1")
    assert view.status == ReportStatus.DUPLICATE and "重复" in view.reason
    with pytest.raises(NotFound):
        services.receipt("ABCDEFGHJK", address="198.51.100.1")


def test_it_limits_receipt_lookups(units, settings):
    settings.XIAOAN_PUBLIC_RECEIPT_RATE = "3/hour"
    done = submitted(units)
    for _i in range(2):
        with pytest.raises(NotFound):
            services.receipt("ABCDEFGHJK", address="198.51.100.1")
    services.receipt(done.receipt, address="198.51.100.1")
    with pytest.raises(TooManyRequests):
        services.receipt(done.receipt, address="198.51.100.1")


def test_it_flags_the_same_photo_sent_twice_the_same_day(units):
    first = submitted(units, photos=[jpeg()]).report
    second = submitted(units, photos=[jpeg()], address="198.51.100.5").report
    assert first.photos.get().flags == []
    assert [f["code"] for f in second.photos.get().flags] == ["same_upload_within_day"]
