"""The three registers' pages: every route served to someone and refused to someone, the
phone masked on lists and exports (whole on the record page for those who keep it), the
activities recorded and taken back on the record page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.core import registers
from xiaoan.core.models import RegisterAttachment
from xiaoan.lawsafety.models import Counsellor, LegalActivity, PoliceRoom
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
MODELS = ("legalviceprincipal", "policeroom", "counsellor")


@pytest.fixture
def items(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    return {
        "legalviceprincipal": (
            make_principal(officer, units[SCHOOL_A]),
            make_principal(district, units[SCHOOL_B], name="王丽"),
        ),
        "policeroom": (
            make_room(officer, units[SCHOOL_A]),
            make_room(district, units[SCHOOL_B], name="东沟警务室"),
        ),
        "counsellor": (
            make_counsellor(officer, units[SCHOOL_A]),
            make_counsellor(district, units[SCHOOL_B], name="郑芳", code="X2"),
        ),
    }


def url(model, action, *args):
    return reverse(f"lawsafety:{model}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_it_lists_and_shows_in_scope(client_for, items, model, django_assert_max_num_queries):
    mine, theirs = items[model]
    client = client_for("school_a_officer")
    client.get(url(model, "list"))
    with django_assert_max_num_queries(25):
        page = client.get(url(model, "list"))
    body = page.content.decode()
    assert page.status_code == 200 and mine.name in body and theirs.name not in body
    assert PHONE not in body
    assert client.get(url(model, "detail", mine.pk)).status_code == 200
    assert client.get(url(model, "detail", theirs.pk)).status_code == 404
    assert client_for("auditor").get(url(model, "list")).status_code == 200
    for name in ("school_b_teacher", "expert"):
        assert client_for(name).get(url(model, "list")).status_code == 403
    assert client_for("expert").get(url(model, "detail", mine.pk)).status_code == 403


def test_the_lists_mask_the_phone_and_the_record_shows_it_to_its_keepers(client_for, items):
    mine, _theirs = items["legalviceprincipal"]
    listed = client_for("school_a_officer").get(url("legalviceprincipal", "list"))
    assert MASKED in listed.content.decode()
    record = client_for("school_a_officer").get(url("legalviceprincipal", "detail", mine.pk))
    body = record.content.decode()
    assert PHONE in body and "法治副校长聘期届满" in body and "本学期活动不足" in body
    auditor = client_for("auditor").get(url("legalviceprincipal", "detail", mine.pk))
    assert PHONE not in auditor.content.decode() and MASKED in auditor.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_it_adds_edits_and_retires(client_for, units, items, model):
    mine, theirs = items[model]
    client = client_for("school_a_officer")
    forms = {
        "legalviceprincipal": {
            "unit": units[SCHOOL_A].pk,
            "name": "李文",
            "employer_kind": "court",
            "employer": "法院",
            "phone": "13900001111",
            "appointed_on": str(days(-5)),
        },
        "policeroom": {
            "unit": units[SCHOOL_A].pk,
            "name": "北门警务室",
            "location": "北门",
            "police_station": "梁子派出所",
            "officers": "张警官",
            "duty_hours": "7:00-19:00",
        },
        "counsellor": {"unit": units[SCHOOL_A].pk, "name": "马俊", "employment": "part_time"},
    }
    assert client.get(url(model, "add")).status_code == 200
    done = client.post(url(model, "add"), forms[model])
    assert done.status_code == 302, done.content.decode()[:2000]
    assert client.get(url(model, "edit", mine.pk)).status_code == 200
    assert client.get(url(model, "edit", theirs.pk)).status_code == 404
    assert client_for("auditor").get(url(model, "add")).status_code == 403
    assert client_for("auditor").get(url(model, "edit", mine.pk)).status_code == 403
    assert client.get(url(model, "retire", mine.pk)).status_code == 200
    assert client.post(url(model, "retire", mine.pk), {"reason": "撤销"}).status_code == 302
    assert client.get(url(model, "edit", mine.pk)).status_code == 404  # retired
    assert client.get(url(model, "retire", theirs.pk)).status_code == 404
    assert client_for("auditor").get(url(model, "retire", theirs.pk)).status_code in (403, 404)


def test_the_edit_form_keeps_the_phone_behind_its_mask(client_for, items, units):
    mine, _theirs = items["legalviceprincipal"]
    client = client_for("school_a_officer")
    page = client.get(url("legalviceprincipal", "edit", mine.pk)).content.decode()
    assert MASKED in page and PHONE not in page
    form = {
        "unit": units[SCHOOL_A].pk,
        "name": mine.name,
        "employer_kind": "police_station",
        "employer": "改过的派出所",
        "phone": MASKED,
        "appointed_on": str(mine.appointed_on),
        "term_until": str(mine.term_until),
    }
    assert client.post(url("legalviceprincipal", "edit", mine.pk), form).status_code == 302
    mine.refresh_from_db()
    assert mine.phone == PHONE and mine.employer == "改过的派出所"


def test_it_records_and_removes_an_activity_on_the_record_page(client_for, persona, items):
    mine, theirs = items["legalviceprincipal"]
    client = client_for("school_a_officer")
    add = url("legalviceprincipal", "activity", mine.pk)
    assert client.get(add).status_code == 200
    form = {"held_on": str(days(-2)), "kind": "lecture", "topic": "宪法宣传", "audience": "800"}
    assert client.post(add, form).status_code == 302
    refused = client.post(add, {**form, "held_on": str(days(2))})
    assert refused.status_code == 400 and "活动日期不能晚于今天" in refused.content.decode()
    assert client.get(url("legalviceprincipal", "activity", theirs.pk)).status_code == 404
    assert client_for("auditor").get(add).status_code == 403
    done = LegalActivity.objects.get(principal=mine)
    page = client.get(url("legalviceprincipal", "detail", mine.pk)).content.decode()
    assert "宪法宣传" in page
    remove = reverse("lawsafety:legalactivity_remove", args=[mine.pk, done.pk])
    assert client_for("auditor").post(remove).status_code == 403
    assert client.post(reverse("lawsafety:legalactivity_remove", args=[theirs.pk, done.pk]))
    assert LegalActivity.objects.filter(pk=done.pk).exists()
    assert client.post(remove).status_code == 302
    assert not LegalActivity.objects.filter(pk=done.pk).exists()
    other = activity(persona("district_officer"), theirs)
    missing = reverse("lawsafety:legalactivity_remove", args=[theirs.pk, other.pk])
    assert client.post(missing).status_code == 404
    registers.retire(LEGAL_VICE_PRINCIPALS, persona("school_a_officer"), mine.pk, reason="调离")
    assert client.get(add).status_code == 404


@pytest.mark.parametrize("model", MODELS)
def test_it_exports_serves_the_template_and_attaches(client_for, items, model):
    mine, theirs = items[model]
    client = client_for("school_a_officer")
    export = client.get(url(model, "export"))
    assert export.status_code == 200
    assert PHONE.encode() not in b"".join(export.streaming_content)
    assert client_for("school_b_teacher").get(url(model, "export")).status_code == 403
    assert client.get(url(model, "template")).status_code == 200
    assert client_for("auditor").get(url(model, "template")).status_code == 403
    assert client.get(url(model, "import")).status_code == 200
    assert client_for("auditor").get(url(model, "import")).status_code == 403
    scan = SimpleUploadedFile("a.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    kind = {"legalviceprincipal": "letter", "policeroom": "photo", "counsellor": "certificate"}
    assert client.post(url(model, "attach", mine.pk), {"kind": kind[model], "file": scan})
    row = RegisterAttachment.objects.get()
    assert client.get(url(model, "attachment", row.pk)).status_code == 200
    assert client_for("school_b_teacher").get(url(model, "attachment", row.pk)).status_code in (
        403,
        404,
    )
    again = SimpleUploadedFile("b.pdf", b"%PDF", content_type="application/pdf")
    refused = client.post(url(model, "attach", theirs.pk), {"kind": kind[model], "file": again})
    assert refused.status_code == 404
    auditor = client_for("auditor").post(url(model, "attach", mine.pk), {"kind": kind[model]})
    assert auditor.status_code == 403


def test_it_imports_through_the_page(client_for):
    client = client_for("school_a_officer")
    header = ["所属单位", "姓名", "专兼职", "资格证书", "证书编号", "证书有效期至"]
    good = sheet(header, [[SCHOOL_A, "何静", "专职", "心理健康教育教师资格证（C证）", "C-1", None]])
    done = client.post(url("counsellor", "import"), {"file": SimpleUploadedFile("c.xlsx", good)})
    assert done.status_code == 302 and Counsellor.objects.filter(name="何静").exists()
    assert PoliceRoom.objects.count() == 0
