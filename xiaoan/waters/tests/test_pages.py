"""The 重点水域 pages: every route served to someone and refused to someone, linked schools
chosen within the unit's subtree, the patrol page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.core import registers
from xiaoan.core.models import RegisterAttachment
from xiaoan.waters.models import Water, WaterPatrol
from xiaoan.waters.registers import WATERS
from xiaoan.waters.tests.support import SCHOOL_A, SCHOOL_B, days, make, patrol, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="河沟")


def url(action, *args):
    return reverse(f"waters:water_{action}", args=args)


def test_it_lists_in_scope(client_for, mine, other):
    client = client_for("school_a_officer")
    body = client.get(url("list")).content.decode()
    assert mine.name in body and "河沟" not in body
    assert client_for("auditor").get(url("list")).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url("list")).status_code == 403


def test_it_shows_the_record_with_its_patrols(client_for, persona, mine, other):
    patrol(persona("school_a_officer"), mine, findings="一切正常")
    client = client_for("school_a_officer")
    page = client.get(url("detail", mine.pk))
    body = page.content.decode()
    assert page.status_code == 200 and "一切正常" in body and "登记巡查" in body
    assert client.get(url("detail", other.pk)).status_code == 404
    assert client_for("expert").get(url("detail", mine.pk)).status_code == 403


def test_it_creates_with_schools_of_the_unit(client_for, units):
    client = client_for("school_a_officer")
    page = client.get(url("add"), {"unit": units[SCHOOL_A].pk})
    assert page.status_code == 200 and SCHOOL_B not in page.content.decode()
    form = {
        "unit": units[SCHOOL_A].pk,
        "name": "校外鱼塘",
        "kind": "pond",
        "location": "校门外",
        "village": "某村",
        "contact_person": "王",
        "contact_phone": "13900000002",
        "sign_count": 0,
    }
    refused = client.post(url("add"), {**form, "schools": [units[SCHOOL_B].pk]})
    assert refused.status_code == 400 and not Water.objects.exists()
    assert client.post(url("add"), {**form, "schools": [units[SCHOOL_A].pk]}).status_code == 302
    assert list(Water.objects.get().schools.all()) == [units[SCHOOL_A]]
    assert client_for("auditor").get(url("add")).status_code == 403


def test_it_edits_and_retires(client_for, mine, other):
    client = client_for("school_a_officer")
    assert client.get(url("edit", mine.pk)).status_code == 200
    form = {
        "unit": mine.unit_id, "name": mine.name, "kind": "pond", "location": "新位置",
        "village": "某村", "contact_person": "王", "contact_phone": "13900001111",
        "has_signs": "on", "sign_count": 2,
    }  # fmt: skip
    assert client.post(url("edit", mine.pk), form).status_code == 302
    mine.refresh_from_db()
    assert mine.location == "新位置"
    assert client.get(url("edit", other.pk)).status_code == 404
    assert client_for("auditor").get(url("edit", mine.pk)).status_code == 403
    assert client.get(url("retire", mine.pk)).status_code == 200
    assert client.post(url("retire", mine.pk), {"reason": "已填埋"}).status_code == 302
    assert client.get(url("retire", other.pk)).status_code == 404


def test_the_patrol_page(client_for, persona, mine, other):
    client = client_for("school_a_officer")
    assert client.get(url("patrol", mine.pk)).status_code == 200
    form = {"patrolled_on": days(0), "patroller": "网格员", "signs_ok": "", "findings": ""}
    refused = client.post(url("patrol", mine.pk), form)
    assert refused.status_code == 400 and not WaterPatrol.objects.exists()
    done = client.post(
        url("patrol", mine.pk), {**form, "findings": "警示牌缺失", "raise_hazard": "on"}
    )
    assert done.status_code == 302 and WaterPatrol.objects.get().hazard_id
    assert client.get(url("patrol", other.pk)).status_code == 404
    assert client_for("auditor").get(url("patrol", mine.pk)).status_code == 403
    registers.retire(WATERS, persona("school_a_officer"), mine.pk, reason="已填埋")
    gone = client.post(url("patrol", mine.pk), {**form, "signs_ok": "on"})
    assert gone.status_code in (400, 409) and WaterPatrol.objects.count() == 1


def test_it_attaches_a_photo_and_serves_it_in_scope(client_for, mine, other):
    client = client_for("school_a_officer")
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    assert client.post(url("attach", mine.pk), {"kind": "photo", "file": photo}).status_code == 302
    row = RegisterAttachment.objects.get()
    assert client.get(url("attachment", row.pk)).status_code == 200
    assert client_for("uni_head").get(url("attachment", row.pk)).status_code in (403, 404)
    assert client.post(url("attach", other.pk), {"kind": "photo"}).status_code == 404
    assert client_for("auditor").post(url("attach", mine.pk), {"kind": "photo"}).status_code == 403


def test_it_exports_imports_and_serves_the_template(client_for, mine):
    client = client_for("school_a_officer")
    assert client.get(url("export")).status_code == 200
    assert client_for("school_b_teacher").get(url("export")).status_code == 403
    assert client.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403
    assert client.get(url("import")).status_code == 200
    good = sheet([[SCHOOL_A, "沟渠一", "沟渠", "校北", "某村", "李", "13900000003", "否", 0, ""]])
    done = client.post(url("import"), {"file": SimpleUploadedFile("w.xlsx", good)})
    assert done.status_code == 302 and Water.objects.filter(name="沟渠一").exists()
    assert client_for("auditor").get(url("import")).status_code == 403
