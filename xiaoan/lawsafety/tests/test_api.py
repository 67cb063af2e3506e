"""/api/legal-vice-principals/, /api/police-rooms/, /api/counsellors/: scoped like every
register, the phone masked out and full in, activities added and removed through the item's
actions with every refusal."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xiaoan.core import registers
from xiaoan.lawsafety.models import Counsellor, LegalActivity, LegalVicePrincipal, PoliceRoom
from xiaoan.lawsafety.registers import LEGAL_VICE_PRINCIPALS
from xiaoan.lawsafety.tests.support import (
    MASKED,
    PHONE,
    SCHOOL_A,
    SCHOOL_B,
    activity,
    days,
    make_counsellor,
    make_principal,
    make_room,
    sheet,
)

pytestmark = pytest.mark.django_db
LVP = "/api/legal-vice-principals/"
ROOMS = "/api/police-rooms/"
COUNSELLORS = "/api/counsellors/"


@pytest.fixture
def lvp(persona, units):
    item = make_principal(persona("school_a_officer"), units[SCHOOL_A])
    activity(persona("school_a_officer"), item)
    return item


@pytest.fixture
def other(persona, units):
    return make_principal(persona("district_officer"), units[SCHOOL_B], name="王丽")


def test_it_lists_masked_and_in_scope(api_for, lvp, other, django_assert_max_num_queries):
    client = api_for("school_a_officer")
    with django_assert_max_num_queries(14):
        response = client.get(LVP)
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["陈志刚"]
    assert rows[0]["phone"] == MASKED and PHONE not in response.content.decode()
    assert rows[0]["semester_activities"] == 1 and len(rows[0]["activities"]) == 1
    assert api_for("district_officer").get(LVP).json()["count"] == 2
    assert api_for("auditor").get(LVP).status_code == 200
    assert api_for("school_b_teacher").get(LVP).status_code == 403
    assert client.get(f"{LVP}{other.pk}/").status_code == 404
    assert api_for("expert").get(f"{LVP}{lvp.pk}/").status_code == 403


def test_it_creates_updates_and_retires(api_for, units, lvp, other):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "李文",
        "employer_kind": "court",
        "employer": "梁子湖区人民法院",
        "phone": "13900001111",
        "appointed_on": str(days(-10)),
        "term_until": str(days(1000)),
    }
    created = client.post(LVP, body, format="json")
    assert created.status_code == 201, created.json()
    assert LegalVicePrincipal.objects.get(name="李文").phone == "13900001111"
    bad = client.post(LVP, {**body, "term_until": str(days(-20))}, format="json")
    assert bad.status_code == 400 and "term_until" in bad.json()["error"]["fields"]
    outside = client.post(LVP, {**body, "unit": units[SCHOOL_B].pk}, format="json")
    assert outside.status_code == 400
    assert api_for("auditor").post(LVP, body, format="json").status_code == 403
    shown = client.get(f"{LVP}{lvp.pk}/").json()
    kept = client.patch(f"{LVP}{lvp.pk}/", {"phone": shown["phone"], "post": "所长"}, format="json")
    assert kept.status_code == 200
    lvp.refresh_from_db()
    assert lvp.phone == PHONE and lvp.post == "所长"
    assert client.patch(f"{LVP}{other.pk}/", {"post": "x"}, format="json").status_code == 404
    retired = client.post(f"{LVP}{lvp.pk}/retire/", {"reason": "调离"}, format="json")
    assert retired.status_code == 200
    assert client.patch(f"{LVP}{lvp.pk}/", {"post": "x"}, format="json").status_code == 409


def test_it_adds_and_removes_activities(api_for, persona, lvp, other):
    client = api_for("school_a_officer")
    body = {"held_on": str(days(-1)), "kind": "patrol", "topic": "校门巡查", "audience": None}
    added = client.post(f"{LVP}{lvp.pk}/activities/", body, format="json")
    assert added.status_code == 201, added.json()
    assert len(added.json()["activities"]) == 2
    bad = client.post(
        f"{LVP}{lvp.pk}/activities/", {**body, "held_on": str(days(3))}, format="json"
    )
    assert bad.status_code == 400 and "held_on" in bad.json()["error"]["fields"]
    missing = client.post(f"{LVP}{lvp.pk}/activities/", {"kind": "lecture"}, format="json")
    assert missing.status_code == 400
    assert client.post(f"{LVP}{other.pk}/activities/", body, format="json").status_code == 404
    auditor = api_for("auditor").post(f"{LVP}{lvp.pk}/activities/", body, format="json")
    assert auditor.status_code == 403
    first = LegalActivity.objects.filter(principal=lvp).order_by("pk").first()
    removed = client.post(f"{LVP}{lvp.pk}/activities/{first.pk}/remove/")
    assert removed.status_code == 200 and len(removed.json()["activities"]) == 1
    assert client.post(f"{LVP}{lvp.pk}/activities/{first.pk}/remove/").status_code == 404
    gone = api_for("auditor").post(f"{LVP}{lvp.pk}/activities/{first.pk}/remove/")
    assert gone.status_code == 403
    registers.retire(LEGAL_VICE_PRINCIPALS, persona("school_a_officer"), lvp.pk, reason="调离")
    assert client.post(f"{LVP}{lvp.pk}/activities/", body, format="json").status_code == 409
    assert LegalActivity.objects.filter(principal=lvp).count() == 1


def test_it_serves_the_police_rooms_and_counsellors_in_scope(api_for, persona, units):
    room = make_room(persona("school_a_officer"), units[SCHOOL_A])
    theirs = make_room(persona("district_officer"), units[SCHOOL_B])
    counsellor = make_counsellor(persona("school_a_officer"), units[SCHOOL_A])
    client = api_for("school_a_officer")
    rooms = client.get(ROOMS).json()["results"]
    assert [r["id"] for r in rooms] == [room.pk] and rooms[0]["duty_hours"] == "7:00–19:00"
    assert client.get(f"{ROOMS}{theirs.pk}/").status_code == 404
    assert api_for("school_b_teacher").get(ROOMS).status_code == 403
    assert api_for("district_officer").get(ROOMS).json()["count"] == 2
    unstaffed = client.patch(f"{ROOMS}{room.pk}/", {"staffed_dismissal": False}, format="json")
    assert unstaffed.status_code == 200
    assert client.get(ROOMS, {"unstaffed": "true"}).json()["count"] == 1
    bad = client.patch(f"{ROOMS}{room.pk}/", {"duty_hours": "全天"}, format="json")
    assert bad.status_code == 400 and "duty_hours" in bad.json()["error"]["fields"]
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "马俊",
        "employment": "part_time",
        "hours_per_week": 4,
    }
    assert client.post(COUNSELLORS, body, format="json").status_code == 201
    assert client.get(COUNSELLORS, {"employment": "full_time"}).json()["count"] == 1
    assert client.get(f"{COUNSELLORS}{counsellor.pk}/").json()["unit_name"] == SCHOOL_A
    assert api_for("auditor").post(COUNSELLORS, body, format="json").status_code == 403
    assert api_for("school_b_teacher").get(COUNSELLORS).status_code == 403
    assert Counsellor.objects.count() == 2 and PoliceRoom.objects.count() == 2


@pytest.mark.parametrize("url", [LVP, ROOMS, COUNSELLORS])
def test_it_exports_and_serves_the_template(api_for, lvp, url):
    client = api_for("school_a_officer")
    export = client.get(f"{url}export/")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert PHONE not in cells
    if url == LVP:
        assert MASKED in cells
    assert api_for("school_b_teacher").get(f"{url}export/").status_code == 403
    assert client.get(f"{url}template/").status_code == 200
    assert api_for("auditor").get(f"{url}template/").status_code == 403


def test_it_imports_through_the_api(api_for):
    client = api_for("school_a_officer")
    header = ["所属单位", "名称", "位置", "派驻单位", "驻校警员", "值守时间", "上学时段有人值守"]
    good = sheet(header, [[SCHOOL_A, "警务室", "正门", "梁子派出所", "张警官", "7:00-18:30", "是"]])
    done = client.post(
        f"{ROOMS}import/", {"file": SimpleUploadedFile("r.xlsx", good)}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = sheet(header, [[SCHOOL_A, "警务室2", "正门", "梁子派出所", "张警官", "白天", "是"]])
    refused = client.post(
        f"{ROOMS}import/", {"file": SimpleUploadedFile("r.xlsx", bad)}, format="multipart"
    )
    assert refused.status_code == 400 and "值守时间" in str(refused.json())
    auditor = api_for("auditor").post(
        f"{ROOMS}import/", {"file": SimpleUploadedFile("r.xlsx", good)}, format="multipart"
    )
    assert auditor.status_code == 403
    for url in (LVP, COUNSELLORS):
        assert (
            api_for("auditor")
            .post(f"{url}import/", {"file": SimpleUploadedFile("r.xlsx", good)}, format="multipart")
            .status_code
            == 403
        )


@pytest.mark.parametrize("url", [LVP, ROOMS, COUNSELLORS])
def test_every_register_retires_imports_and_hides_out_of_scope(api_for, persona, units, url):
    makers = {LVP: make_principal, ROOMS: make_room, COUNSELLORS: make_counsellor}
    mine = makers[url](persona("school_a_officer"), units[SCHOOL_A])
    theirs = makers[url](persona("district_officer"), units[SCHOOL_B])
    client = api_for("school_a_officer")
    assert client.get(f"{url}{theirs.pk}/").status_code == 404
    assert client.patch(f"{url}{theirs.pk}/", {"note": "x"}, format="json").status_code == 404
    assert client.patch(f"{url}{mine.pk}/", {"note": "备注"}, format="json").status_code == 200
    # Its own export re-imported: the same item, unchanged (the masked phone kept).
    book = b"".join(client.get(f"{url}export/").streaming_content)
    again = client.post(
        f"{url}import/", {"file": SimpleUploadedFile("x.xlsx", book)}, format="multipart"
    )
    assert again.status_code == 200, again.json()
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 1)
    refused = client.post(f"{url}{theirs.pk}/retire/", {"reason": "撤销"}, format="json")
    assert refused.status_code == 404
    auditor = api_for("auditor").post(f"{url}{mine.pk}/retire/", {"reason": "撤销"}, format="json")
    assert auditor.status_code == 403
    empty = client.post(f"{url}{mine.pk}/retire/", {"reason": ""}, format="json")
    assert empty.status_code == 400
    done = client.post(f"{url}{mine.pk}/retire/", {"reason": "撤销"}, format="json")
    assert done.status_code == 200 and done.json()["retired_at"]
    twice = client.post(f"{url}{mine.pk}/retire/", {"reason": "撤销"}, format="json")
    assert twice.status_code == 409


def test_it_publishes_the_schema_and_refuses_huge_ids(api_for, lvp):
    client = api_for("school_a_officer")
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {
        "/api/legal-vice-principals/{id}/activities/",
        "/api/police-rooms/",
        "/api/counsellors/{id}/",
    } <= set(paths)
    huge = "9" * 25
    # Never a server error: refused as bad input or as no such record.
    assert client.post(f"{LVP}{lvp.pk}/activities/{huge[:19]}/remove/").status_code in (400, 404)
    assert client.post(f"{LVP}{huge}/activities/", {}, format="json").status_code in (400, 404)
    assert client.post(f"{LVP}{lvp.pk}/activities/{huge}/remove/").status_code in (400, 404)
