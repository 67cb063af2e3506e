"""The staff pages and /api/public-reports/: the scoping matrix (other school → 404, no right
→ 403), the phone number masked but for the school's own people, the steps (400, 403, 409),
huge and negative ids, the channel page, QR code and poster, the to-do and the dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.audit.models import AuditEntry
from xiaoan.hazards.choices import HazardSource
from xiaoan.hazards.models import Hazard
from xiaoan.publicreports import services
from xiaoan.publicreports.models import PublicChannel
from xiaoan.publicreports.tests.support import SCHOOL_A, SCHOOL_B, jpeg, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_form(settings):
    settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS = 0
    settings.XIAOAN_PUBLIC_REPORT_RATE_ADDRESS = ""


def url(name, *args):
    return reverse(f"publicreports:{name}", args=args)


def test_it_scopes_the_pages(client_for, units):
    a = submitted(units, photos=[jpeg()]).report
    b = submitted(units, SCHOOL_B).report
    photo = a.photos.get()
    officer = client_for("school_a_officer")
    listing = officer.get(url("publicreport_list"), {"status": "new", "category": "fire"})
    assert listing.status_code == 200
    assert a.number in listing.content.decode() and b.number not in listing.content.decode()
    district = client_for("district_officer").get(url("publicreport_list"))
    assert a.number in district.content.decode() and b.number in district.content.decode()
    filtered = client_for("auditor").get(url("publicreport_list"), {"created_after": "2000-01-01"})
    assert filtered.status_code == 200
    for name in ("school_b_teacher", "expert", "school_a_owner"):
        assert client_for(name).get(url("publicreport_list")).status_code == 403
        assert client_for(name).get(url("publicreport_detail", a.pk)).status_code == 403
        assert client_for(name).get(url("publicreport_photo", a.pk, photo.pk)).status_code == 403
    page = officer.get(url("publicreport_detail", a.pk))
    assert page.status_code == 200 and "13912345678" in page.content.decode()
    assert AuditEntry.objects.filter(object_id=str(a.pk), detail__read="page").exists()
    masked = client_for("district_officer").get(url("publicreport_detail", a.pk)).content.decode()
    assert "13912345678" not in masked and "139****5678" in masked
    assert officer.get(url("publicreport_detail", b.pk)).status_code == 404
    got = officer.get(url("publicreport_photo", a.pk, photo.pk))
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    assert officer.get(url("publicreport_photo", b.pk, photo.pk)).status_code == 404
    assert officer.get(url("publicreport_photo", a.pk, 10**6)).status_code == 404
    assert officer.get(f"/public-reports/{'9' * 30}/").status_code == 404
    assert officer.get("/public-reports/-1/").status_code == 404


def test_it_takes_the_steps_on_the_page(client_for, units):
    a = submitted(units, photos=[jpeg()]).report
    b = submitted(units).report
    c = submitted(units).report
    officer = client_for("school_a_officer")
    refused = officer.post(url("publicreport_reject", a.pk), {"version": a.version, "reason": ""})
    assert refused.status_code == 400
    assert client_for("district_officer").post(
        url("publicreport_accept", a.pk), {"version": a.version}
    ).status_code in (403, 302)
    assert (
        client_for("auditor")
        .post(url("publicreport_accept", a.pk), {"version": a.version})
        .status_code
        == 403
    )
    done = officer.post(url("publicreport_accept", a.pk), {"version": a.version, "note": ""})
    assert done.status_code == 302
    again = officer.post(url("publicreport_accept", a.pk), {"version": a.version})
    assert again.status_code == 302  # 409 on a page: the message on the fresh record
    assert Hazard.objects.filter(source=HazardSource.PUBLIC).count() == 1
    a.refresh_from_db()
    hazard_page = officer.get(reverse("hazards:hazard_detail", args=[a.hazard_id])).content
    assert url("publicreport_detail", a.pk) in hazard_page.decode()
    dup = officer.post(
        url("publicreport_mark_duplicate", b.pk), {"version": b.version, "duplicate_of": a.number}
    )
    assert dup.status_code == 302
    no = officer.post(url("publicreport_reject", c.pk), {"version": c.version, "reason": "不属实"})
    assert no.status_code == 302
    other = submitted(units, SCHOOL_B).report
    assert (
        officer.post(
            url("publicreport_reject", other.pk), {"version": 1, "reason": "x"}
        ).status_code
        == 404
    )


def test_it_scopes_and_runs_the_staff_api(api_for, units):
    a = submitted(units, photos=[jpeg()]).report
    b = submitted(units, SCHOOL_B).report
    api = api_for("school_a_officer")
    listing = api.get("/api/public-reports/", {"status": "new"})
    assert listing.status_code == 200 and [r["id"] for r in listing.json()["results"]] == [a.pk]
    assert api.get("/api/public-reports/", {"unit": "9" * 30}).status_code == 400
    detail = api.get(f"/api/public-reports/{a.pk}/")
    assert detail.status_code == 200 and detail.json()["phone"] == "13912345678"
    assert detail.json()["photos"][0]["url"].endswith(f"/photos/{a.photos.get().pk}/")
    assert "accept" in detail.json()["allowed_actions"]
    district = api_for("district_officer")
    seen = district.get(f"/api/public-reports/{a.pk}/").json()
    assert seen["phone"] == "139****5678" and seen["allowed_actions"] == []
    assert api.get(f"/api/public-reports/{b.pk}/").status_code == 404
    assert api.get(f"/api/public-reports/{'9' * 30}/").status_code in (400, 404)
    assert api.get("/api/public-reports/-5/").status_code == 404
    for name in ("school_b_teacher", "expert"):
        assert api_for(name).get("/api/public-reports/").status_code == 403
        assert api_for(name).get(f"/api/public-reports/{a.pk}/").status_code == 403
        for step in ("accept", "reject", "mark-duplicate"):
            refused = api_for(name).post(f"/api/public-reports/{a.pk}/{step}/", {})
            assert refused.status_code == 403
    assert api_for("auditor").post(f"/api/public-reports/{a.pk}/accept/", {}).status_code == 403
    assert district.post(f"/api/public-reports/{a.pk}/accept/", {}).status_code == 403
    nested = api.post(
        f"/api/public-reports/{a.pk}/reject/", {"reason": {"a": [{"b": 1}]}}, format="json"
    )
    assert nested.status_code == 400
    stale = api.post(f"/api/public-reports/{a.pk}/accept/", {"version": 99}, format="json")
    assert stale.status_code == 409
    ok = api.post(f"/api/public-reports/{a.pk}/accept/", {"version": a.version}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted" and ok.json()["hazard"]
    twice = api.post(f"/api/public-reports/{a.pk}/accept/", {}, format="json")
    assert twice.status_code == 409
    assert api.post(f"/api/public-reports/{b.pk}/reject/", {"reason": "x"}).status_code == 404
    c = submitted(units).report
    dup = api.post(
        f"/api/public-reports/{c.pk}/mark-duplicate/",
        {"hazard": Hazard.objects.get(pk=ok.json()["hazard"]).number},
        format="json",
    )
    assert dup.status_code == 200 and dup.json()["status"] == "duplicate"
    d = submitted(units).report
    assert api.post(f"/api/public-reports/{d.pk}/mark-duplicate/", {}).status_code == 400
    assert api.post(f"/api/public-reports/{d.pk}/reject/", {"reason": "无此事"}).status_code == 200


def test_it_shows_the_channel_qr_and_poster_to_the_school(client_for, units):
    officer = client_for("school_a_officer")
    school = units[SCHOOL_A]
    assert officer.get(url("channel_list")).status_code == 200
    page = officer.get(url("channel_detail", school.pk))
    body = page.content.decode()
    channel = PublicChannel.objects.get(unit=school)
    assert page.status_code == 200 and "data:image/svg+xml;base64," in body
    assert reverse("public:report", args=[channel.token]) in body
    poster = officer.get(url("channel_poster", school.pk))
    assert poster.status_code == 200 and school.name in poster.content.decode()
    assert officer.get(url("channel_detail", units[SCHOOL_B].pk)).status_code == 404
    assert officer.get(url("channel_poster", units[SCHOOL_B].pk)).status_code == 404
    pdf = officer.get(url("channel_poster_pdf", school.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert officer.get(url("channel_poster_pdf", units[SCHOOL_B].pk)).status_code == 404
    assert client_for("expert").get(url("channel_poster_pdf", school.pk)).status_code == 403
    for name in ("auditor", "expert", "school_b_teacher"):
        assert client_for(name).get(url("channel_list")).status_code == 403
        assert client_for(name).get(url("channel_poster", school.pk)).status_code == 403
        assert client_for(name).post(url("channel_rotate", school.pk)).status_code == 403
    assert client_for("district_officer").post(url("channel_rotate", school.pk)).status_code == 403
    rotated = officer.post(url("channel_rotate", school.pk))
    assert rotated.status_code == 302
    channel_before = channel.token
    channel.refresh_from_db()
    assert channel.token != channel_before
    off = officer.post(url("channel_switch", school.pk), {"enabled": "0"})
    assert off.status_code == 302
    channel.refresh_from_db()
    assert channel.enabled is False
    assert (
        officer.post(url("channel_switch", units[SCHOOL_B].pk), {"enabled": "1"}).status_code == 404
    )


def test_it_gives_the_school_a_todo_and_the_district_a_figure(client_for, api_for, units):
    import datetime as dt

    from django.utils import timezone

    from xiaoan.publicreports.models import PublicReport

    old = submitted(units).report
    PublicReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    submitted(units)
    todos = api_for("school_a_officer").get("/api/todos/").json()
    mine = [t for t in todos if t["key"] == "publicreports.new"]
    assert mine and mine[0]["count"] == 2 and mine[0]["late"] == 1
    district = api_for("district_officer").get("/api/todos/").json()
    assert not [t for t in district if t["key"] == "publicreports.new"]
    stale = services.unhandled(PublicReport.objects.all()).count()
    assert stale == 1
    board = client_for("district_officer").get(reverse("reports:dashboard"))
    assert board.status_code == 200 and "群众举报" in board.content.decode()
