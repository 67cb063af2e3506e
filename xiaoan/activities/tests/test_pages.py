"""Every page, served and refused: the ledger and its export, the phone record page (photos
kept across a refusal, a retry recorded once), an activity's page, edit and photos, the
calendar, who did and who did not and its export."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiaoan.activities.models import Activity
from xiaoan.activities.tests.support import (
    DISTRICT,
    SCHOOL_A,
    SCHOOL_B,
    UNIVERSITY,
    at,
    photo,
    record,
)
from xiaoan.core.testing import LOGIN, check_page

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def spread(persona, units, monkeypatch):
    """Fire month 2026: School A (with a photo), School B, the university."""
    at(monkeypatch, D(2026, 11, 20))
    a = record(persona, units, SCHOOL_A, photos=[photo()])
    b = record(persona, units, SCHOOL_B, who="district_officer", title="东沟119演练观摩")
    u = record(persona, units, UNIVERSITY, who="uni_security", title="大学消防讲座")
    return {"a": a, "b": b, "u": u}


def _xlsx(response):
    body = b"".join(response.streaming_content)
    return [list(r) for r in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)]


def test_the_ledger_lists_what_the_person_sees_with_filters(spread, client_for, client):
    page = client_for("district_officer").get(reverse("activities:activity_list"))
    text = page.content.decode()
    assert page.status_code == 200 and "东沟119演练观摩" in text and "大学消防讲座" not in text
    mine = client_for("school_a_officer").get(reverse("activities:activity_list")).content
    assert "东沟119演练观摩" not in mine.decode()
    filtered = client_for("district_officer").get(
        reverse("activities:activity_list"), {"unit": spread["a"].unit_id, "event": "fire_month"}
    )
    assert "东沟119演练观摩" not in filtered.content.decode()
    check_page(client_for("school_b_teacher").get(reverse("activities:activity_list")), 403)
    check_page(client.get(reverse("activities:activity_list")), LOGIN)


def test_the_ledger_exports_as_excel(spread, client_for):
    response = client_for("district_officer").get(
        reverse("activities:activity_export"), {"event": "fire_month"}
    )
    assert response.status_code == 200
    rows = _xlsx(response)
    titles = {r[4] for r in rows if r and isinstance(r[0], int)}
    assert titles == {"消防安全主题班会", "东沟119演练观摩"}
    assert any(r[0] and "合计：活动 2 次" in str(r[0]) for r in rows)
    check_page(client_for("school_b_teacher").get(reverse("activities:activity_export")), 403)
    bad = client_for("district_officer").get(reverse("activities:activity_export"), {"year": "x"})
    assert bad.status_code == 302


def test_the_phone_page_keeps_the_photos_across_a_refusal(persona, units, client_for, monkeypatch):
    at(monkeypatch, D(2026, 11, 20))
    client = client_for("school_a_officer")
    page = client.get(reverse("activities:activity_record"), {"event": "fire_month"})
    assert page.status_code == 200 and 'value="fire_month" selected' in page.content.decode()
    key = re.search(r'name="idempotency_key" value="(\w+)"', page.content.decode())[1]
    data = {
        "unit": units[SCHOOL_A].pk,
        "event": "fire_month",
        "kind": "lecture",
        "title": "消防讲座",
        "held_on": "2026-10-20",  # outside November: refused
        "classes": "高一年级",
        "participants": "500",
        "summary": "请消防员讲解。",
        "idempotency_key": key,
    }
    refused = client.post(
        reverse("activities:activity_record"), {**data, "photos": [photo(), photo("b.jpg")]}
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "活动时段" in text and text.count('name="kept_photo"') == 2
    tokens = re.findall(r'name="kept_photo" value="([^"]+)"', text)
    assert not Activity.objects.exists()
    done = client.post(
        reverse("activities:activity_record"),
        {**data, "held_on": "2026-11-19", "kept_photo": tokens},
    )
    activity = Activity.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "activities:activity_detail", args=[activity.pk]
    )
    assert activity.photos.count() == 2
    # The same submission again (a double tap, a retry): no second activity.
    again = client.post(
        reverse("activities:activity_record"),
        {**data, "held_on": "2026-11-19", "kept_photo": tokens},
    )
    assert again.status_code == 302 and Activity.objects.count() == 1
    check_page(client_for("auditor").get(reverse("activities:activity_record")), 403)


def test_an_activity_page_its_photos_and_edit(spread, client_for, units):
    a = spread["a"]
    client = client_for("school_a_officer")
    page = client.get(reverse("activities:activity_detail", args=[a.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "变更记录" in text and "修改或补充照片" in text
    photo_url = reverse("activities:activity_photo", args=[a.photos.get().pk])
    assert photo_url in text
    assert client.get(photo_url).status_code == 200
    # Another school's, the university's: out of scope.
    check_page(client.get(reverse("activities:activity_detail", args=[spread["b"].pk])), 404)
    check_page(
        client_for("uni_security").get(reverse("activities:activity_detail", args=[a.pk])), 404
    )
    check_page(client_for("uni_security").get(photo_url), 404)
    check_page(client_for("school_b_teacher").get(photo_url), 403)
    # The auditor reads, never edits.
    auditor = client_for("auditor")
    assert auditor.get(reverse("activities:activity_detail", args=[a.pk])).status_code == 200
    check_page(auditor.get(reverse("activities:activity_edit", args=[a.pk])), 403)
    edit = reverse("activities:activity_edit", args=[a.pk])
    assert client.get(edit).status_code == 200
    check_page(client.get(reverse("activities:activity_edit", args=[spread["b"].pk])), 404)
    form = {
        "event": "fire_month",
        "kind": "class_meeting",
        "title": "消防主题班会（修订）",
        "held_on": "2026-11-09",
        "classes": "全校",
        "participants": "888",
        "summary": "改。",
        "version": str(a.version),
    }
    saved = client.post(edit, {**form, "photos": [photo("c.jpg")]})
    assert saved.status_code == 302
    a.refresh_from_db()
    assert (a.participants, a.photos.count(), a.version) == (888, 2, 2)
    stale = client.post(edit, form)  # the version read before the save
    assert stale.status_code == 400
    after = client.get(reverse("activities:activity_detail", args=[a.pk])).content.decode()
    assert "888" in after


def test_the_calendar_page(client_for, monkeypatch):
    at(monkeypatch, D(2026, 11, 20))
    page = client_for("school_a_officer").get(reverse("activities:calendar"))
    text = page.content.decode()
    assert page.status_code == 200 and "全国中小学生安全教育日" in text and "进行中" in text
    assert "?event=fire_month" in text
    check_page(client_for("school_b_teacher").get(reverse("activities:calendar")), 403)


def test_who_did_and_who_did_not_and_its_export(spread, client_for, units, persona):
    client = client_for("district_officer")
    url = reverse("activities:coverage")
    page = client.get(url, {"event": "fire_month", "window": "2026", "unit": units[DISTRICT].pk})
    text = page.content.decode()
    assert page.status_code == 200 and "已开展 2 所" in text and "东沟119演练观摩" in text
    missing = client.get(url, {"event": "fire_month", "window": "2026", "state": "missing"})
    assert SCHOOL_A not in missing.content.decode().split("coverage-schools")[1]
    assert client.get(url).status_code == 200  # defaults: the latest event, one's top unit
    assert client.get(url, {"window": "2026-winter", "event": "fire_month"}).status_code == 302
    school = client_for("school_a_officer")
    check_page(school.get(url, {"event": "fire_month", "unit": units[DISTRICT].pk}), 404)
    check_page(client_for("school_b_teacher").get(url), 403)
    export = reverse("activities:coverage_export")
    response = client.get(export, {"event": "fire_month", "window": "2026"})
    assert response.status_code == 200
    rows = _xlsx(response)
    body = [r for r in rows if r and isinstance(r[0], int)]
    schools = {r[1]: r for r in body}
    assert schools[SCHOOL_A][2] == "已开展" and schools[SCHOOL_B][2] == "已开展"
    assert sum(1 for r in body if r[2] == "未开展") == len(body) - 2
    assert "东沟119演练观摩" in schools[SCHOOL_B][5]
    check_page(school.get(export, {"event": "fire_month", "unit": units[DISTRICT].pk}), 404)
    check_page(client_for("school_b_teacher").get(export), 403)
    assert client.get(export, {"event": "nonsense"}).status_code == 302


def test_the_coverage_page_reads_a_constant_number_of_queries(
    spread, client_for, units, django_assert_max_num_queries, persona, monkeypatch
):
    client = client_for("district_officer")
    url = reverse("activities:coverage")
    params = {"event": "fire_month", "window": "2026", "unit": units[DISTRICT].pk}
    client.get(url, params)  # warm the session and caches
    with django_assert_max_num_queries(30) as first:
        client.get(url, params)
    for school in ("太和镇中心学校", "涂家垴镇中心小学", "沼山镇中心学校"):
        record(persona, units, school, who="district_officer")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url, params)


def test_the_ledger_and_its_api_read_no_query_per_row(
    spread, client_for, api_for, units, persona, django_assert_max_num_queries
):
    page, api = client_for("district_officer"), api_for("district_officer")
    url = reverse("activities:activity_list")
    page.get(url)
    api.get("/api/activities/")
    with django_assert_max_num_queries(40) as first_page:
        assert page.get(url).status_code == 200
    with django_assert_max_num_queries(20) as first_api:
        assert api.get("/api/activities/").status_code == 200
    for school in ("太和镇中心学校", "涂家垴镇中心小学", "沼山镇中心学校"):
        record(persona, units, school, who="district_officer", photos=[photo()])
    with django_assert_max_num_queries(len(first_page.captured_queries)):
        page.get(url)
    with django_assert_max_num_queries(len(first_api.captured_queries)):
        api.get("/api/activities/")
