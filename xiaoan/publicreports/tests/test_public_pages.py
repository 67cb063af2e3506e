"""The public pages and endpoints (no account): the form, its limits and abuse cases, the
receipt page; closed and unknown addresses answer 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoan.publicreports import services
from xiaoan.publicreports.models import PublicReport
from xiaoan.publicreports.tests.support import SCHOOL_A, channel, jpeg, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_form(settings):
    settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS = 0


def page(token):
    return reverse("public:report", args=[token])


def form_data(ch, **fields):
    data = {
        "category": "food",
        "description": "食堂后厨地面油污严重，容易滑倒",
        "place": "食堂",
        "phone": "",
        "website": "",
        "form_token": services.form_token(ch),
    }
    data.update(fields)
    return data


def test_it_takes_a_report_from_the_phone_page_without_an_account(units):
    ch = channel(units)
    client = Client(enforce_csrf_checks=True)
    shown = client.get(page(ch.token))
    body = shown.content.decode()
    assert shown.status_code == 200 and units[SCHOOL_A].name in body
    assert 'accept="image/*"' in body and 'capture="environment"' in body
    assert (
        "加密保存" in body and shown["Cache-Control"].startswith("max-age=0")
    ) or "no-store" in (shown["Cache-Control"])
    # CSRF is kept for the HTML form.
    refused = client.post(page(ch.token), form_data(ch))
    assert refused.status_code == 403
    token = client.cookies["csrftoken"].value
    data = form_data(ch, photos=[jpeg(), jpeg("b.jpg", "blue")], csrfmiddlewaretoken=token)
    done = client.post(page(ch.token), data)
    assert done.status_code == 200, done.content.decode()[:2000]
    receipt = done.content.decode().split('id="receipt-code">')[1].split("<")[0]
    report = PublicReport.objects.get()
    assert report.photos.count() == 2 and report.receipt_hash == services.receipt_hash(receipt)
    status = client.post(reverse("public:receipt"), {"code": receipt, "csrfmiddlewaretoken": token})
    assert status.status_code == 200 and "已收到，待学校确认" in status.content.decode()


def test_it_refuses_abuse_on_the_page(units, settings):
    ch = channel(units)
    client = Client()
    url = page(ch.token)
    honeypot = client.post(url, form_data(ch, website="http://spam.example"))
    assert honeypot.status_code == 400
    settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS = 30
    fast = client.post(url, form_data(ch))
    assert fast.status_code == 400 and "提交过快" in fast.content.decode()
    settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS = 0
    not_image = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    assert client.post(url, form_data(ch, photos=[not_image])).status_code == 400
    settings.XIAOAN_PHOTO_MAX_BYTES = 200
    big = client.post(url, form_data(ch, photos=[jpeg()]))
    assert big.status_code == 400 and "照片不能超过" in big.content.decode()
    assert client.post(url, form_data(ch, description="短")).status_code == 400
    settings.XIAOAN_PUBLIC_REPORT_RATE_ADDRESS = "5/hour"  # six attempts so far
    limited = client.post(url, form_data(ch))
    assert limited.status_code == 429 and "频繁" in limited.content.decode()
    assert not PublicReport.objects.exists()


def test_it_limits_per_school_across_addresses(units, settings):
    settings.XIAOAN_PUBLIC_REPORT_RATE_SCHOOL = "2/day"
    ch = channel(units)
    for n in range(2):
        answer = Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(page(ch.token), form_data(ch))
        assert answer.status_code == 200
    over = Client(REMOTE_ADDR="198.51.100.9").post(page(ch.token), form_data(ch))
    assert over.status_code == 429 and "上限" in over.content.decode()


def test_it_answers_404_for_bad_rotated_and_closed_addresses(units, persona):
    ch = channel(units)
    client = Client()
    assert client.get(page("no-such-school")).status_code == 404
    assert client.get(page("x" * 300)).status_code == 404
    old = ch.token
    services.rotate(persona("school_a_officer"), units[SCHOOL_A].pk)
    gone = client.get(page(old))
    assert gone.status_code == 404 and "已关闭" in gone.content.decode()
    assert client.post(page(old), form_data(ch)).status_code == 404
    ch.refresh_from_db()
    services.set_enabled(persona("school_a_officer"), units[SCHOOL_A].pk, enabled=False)
    assert client.get(page(ch.token)).status_code == 404


def test_it_shows_the_reporter_only_a_public_safe_status(units, persona):
    done = submitted(units)
    services.reject(persona("school_a_officer"), done.report.pk, reason="经核实，已清理完毕")
    client = Client()
    url = reverse("public:receipt")
    assert client.get(url).status_code == 200
    answer = client.post(url, {"code": done.receipt})
    body = answer.content.decode()
    assert answer.status_code == 200 and "不予受理" in body and "经核实，已清理完毕" in body
    assert "李安办" not in body and "13912345678" not in body
    wrong = client.post(url, {"code": "ABCDEFGHJK"})
    short = client.post(url, {"code": "AB"})
    assert wrong.status_code == short.status_code == 404
    assert client.post(url, {"code": ""}).status_code == 400


def test_it_limits_receipt_lookups_on_the_page(units, settings):
    settings.XIAOAN_PUBLIC_RECEIPT_RATE = "2/hour"
    client = Client()
    url = reverse("public:receipt")
    for _n in range(2):
        assert client.post(url, {"code": "ABCDEFGHJK"}).status_code == 404
    assert client.post(url, {"code": "ABCDEFGHJK"}).status_code == 429


def test_it_takes_a_report_through_the_public_api(units, settings):
    ch = channel(units)
    api = APIClient()
    form = api.get(reverse("api:public-report-form", args=[ch.token]))
    assert form.status_code == 200 and form.json()["school_name"] == units[SCHOOL_A].name
    assert api.get(reverse("api:public-report-form", args=["nope"])).status_code == 404
    url = reverse("api:public-report-submit", args=[ch.token])
    data = {**form_data(ch, form_token=form.json()["form_token"]), "photos": [jpeg()]}
    made = api.post(url, data, format="multipart")
    assert made.status_code == 201, made.json()
    receipt = made.json()["receipt"]
    assert len(receipt) == 10 and PublicReport.objects.get().photos.count() == 1
    bad = api.post(url, {**form_data(ch), "website": "x"}, format="multipart")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    missing = api.post(url, {"form_token": "x"}, format="multipart")
    assert missing.status_code == 400 and "description" in missing.json()["error"]["fields"]
    nested = api.post(url, {**form_data(ch), "description": {"a": [1, {"b": 2}]}}, format="json")
    assert nested.status_code == 400
    not_image = SimpleUploadedFile("x.png", b"GIF89a-but-not", content_type="image/png")
    assert (
        api.post(url, {**form_data(ch), "photos": [not_image]}, format="multipart").status_code
        == 400
    )
    assert (
        api.post(reverse("api:public-report-submit", args=["nope"]), form_data(ch)).status_code
        == 404
    )
    receipts = reverse("api:public-report-receipt")
    seen = api.post(receipts, {"code": receipt}, format="json")
    assert seen.status_code == 200 and seen.json()["status"] == "new"
    assert set(seen.json()) == {"number", "received_at", "category", "status", "status_label",
                                "reason", "progress"}  # fmt: skip
    assert api.post(receipts, {"code": "ABCDEFGHJK"}, format="json").status_code == 404
    assert api.post(receipts, {"code": {"x": 1}}, format="json").status_code == 400
    settings.XIAOAN_PUBLIC_REPORT_RATE_ADDRESS = "1/hour"
    limited = api.post(url, form_data(ch), format="multipart")
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "throttled"
