"""The bus pages: every route served to someone and refused to someone (route coverage),
out-of-scope ids 404, the crew shown with its validity, the phone check keeping what was
typed when refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.buses.choices import CHECK_KEYS
from xiaoan.buses.models import Bus, BusCheck
from xiaoan.buses.tests.support import SCHOOL_A, SCHOOL_B, cert, check, days, jpeg, make, sheet
from xiaoan.core.models import RegisterAttachment
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def bus(persona, units):
    officer = persona("school_a_officer")
    driver = cert(officer, units[SCHOOL_A], "张国庆", "D-1", valid_until=days(10))
    return make(officer, units[SCHOOL_A], drivers=[driver])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], plate="鄂GC3001")


def test_it_lists_in_scope_with_filters(client_for, bus, other):
    url = reverse("buses:bus_list")
    page = client_for("school_a_officer").get(url).content.decode()
    assert "鄂G12345" in page and "鄂GC3001" not in page
    assert 'href="/buses/check/"' in page
    assert 'href="/buses/check/"' not in client_for("auditor").get(url).content.decode()
    district = client_for("district_officer")
    assert "鄂GC3001" in district.get(url).content.decode()
    for query, shown in (
        ({"has_infrared": "false"}, True),
        ({"has_face_recognition": "false"}, False),
        ({"no_valid_escort": "true"}, True),
        ({"no_valid_driver": "true"}, False),
        ({"no_valid_crew": "true"}, True),
        ({"unchecked": "true"}, True),
        ({"permit_expired": "true"}, False),
        ({"due": "soon"}, False),
    ):
        body = client_for("school_a_officer").get(url, query).content.decode()
        assert ("鄂G12345" in body) is shown, query
    for name in ("school_b_teacher", "expert"):
        assert client_for(name).get(url).status_code == 403


def test_it_creates_edits_and_retires_through_the_pages(client_for, persona, bus, other, units):
    client = client_for("school_a_officer")
    add = reverse("buses:bus_add")
    page = client.get(add).content.decode()
    assert page.count("张国庆") == 1  # offered as a driver only
    form = {"unit": units[SCHOOL_A].pk, "plate": "鄂GA7788", "seats": 200, "route": "学校—沼山"}
    refused = client.post(add, form)
    assert refused.status_code == 400 and "学校—沼山" in refused.content.decode()
    escort = cert(persona("school_a_officer"), units[SCHOOL_A], "王秀英", "Z-1", escort=True)
    done = client.post(add, {**form, "seats": 30, "escorts": [escort.pk], "has_infrared": "on"})
    assert done.status_code == 302
    made = Bus.objects.get(plate="鄂GA7788")
    assert made.has_infrared and list(made.escorts.all()) == [escort]
    assert client_for("auditor").get(add).status_code == 403

    edit = reverse("buses:bus_edit", args=[bus.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {**form, "plate": "鄂G12345", "seats": 40}).status_code == 302
    assert client.get(reverse("buses:bus_edit", args=[other.pk])).status_code == 404

    retire = reverse("buses:bus_retire", args=[made.pk])
    assert client_for("auditor").post(retire, {"reason": "报废"}).status_code == 403
    assert client.get(retire).status_code == 200
    assert client.post(retire, {"reason": "车辆报废"}).status_code == 302


def test_the_record_shows_crew_checks_hazards_and_history(client_for, persona, bus, other):
    check(persona("school_a_officer"), bus, note="刹车偏软", brakes="failed")
    client = client_for("school_a_officer")
    page = client.get(reverse("buses:bus_detail", args=[bus.pk])).content.decode()
    assert "张国庆" in page and 'data-warn="expiring"' in page  # licence ends in 10 days
    assert 'data-crew="none"' in page  # no escort
    assert "出车前检查" in page and "刹车偏软" in page and "变更记录" in page
    assert Hazard.objects.get().number in page and f"check/?bus={bus.pk}" in page
    assert client.get(reverse("buses:bus_detail", args=[other.pk])).status_code == 404
    auditor = client_for("auditor").get(reverse("buses:bus_detail", args=[bus.pk]))
    assert auditor.status_code == 200 and "刹车偏软" in auditor.content.decode()
    assert f"check/?bus={bus.pk}" not in auditor.content.decode()


def test_files_export_template_and_import(client_for, bus, units):
    client = client_for("school_a_officer")
    upload = SimpleUploadedFile("许可证.pdf", b"%PDF-1.4", content_type="application/pdf")
    attach = reverse("buses:bus_attach", args=[bus.pk])
    assert client.post(attach, {"kind": "permit", "file": upload}).status_code == 302
    assert client_for("auditor").post(attach, {"kind": "permit", "file": upload}).status_code == 403
    row = RegisterAttachment.objects.get()
    file_url = reverse("buses:bus_attachment", args=[row.pk])
    assert client.get(file_url).status_code == 200
    assert client_for("expert").get(file_url).status_code == 403
    export = reverse("buses:bus_export")
    assert client.get(export).status_code == 200
    assert client_for("expert").get(export).status_code == 403
    template = reverse("buses:bus_template")
    assert client.get(template).status_code == 200
    assert client_for("auditor").get(template).status_code == 403
    url = reverse("buses:bus_import")
    assert client.get(url).status_code == 200
    good = SimpleUploadedFile(
        "b.xlsx", sheet([[SCHOOL_A, "鄂GA5566", 19, "本校", "2030-01-01", "是", "否", "否"]])
    )
    assert client.post(url, {"file": good}).status_code == 302
    assert Bus.objects.filter(plate="鄂GA5566", has_monitoring=True).exists()
    assert client_for("auditor").get(url).status_code == 403


def test_the_check_page_lists_buses_then_the_checklist(client_for, bus, other):
    client = client_for("school_a_officer")
    url = reverse("buses:check")
    buses = client.get(url).content.decode()
    assert "鄂G12345" in buses and "今日未检" in buses and "鄂GC3001" not in buses
    page = client.get(url, {"bus": bus.pk}).content.decode()
    assert "制动" in page and "其余全部正常" in page and "idempotency_key" in page
    assert client.get(url, {"bus": other.pk}).status_code == 404
    for name in ("auditor", "school_b_teacher"):
        assert client_for(name).get(url).status_code == 403


def test_a_refused_check_keeps_everything_typed(client_for, bus):
    client = client_for("school_a_officer")
    url = reverse("buses:check")
    form = {"bus": bus.pk, "idempotency_key": "key-1", "note": ""}
    form.update({f"item-{key}": "ok" for key in CHECK_KEYS})
    form["item-tyres"] = "failed"
    form["photo"] = jpeg()
    refused = client.post(url, form)
    body = refused.content.decode()
    assert refused.status_code == 400 and "须写明异常情况" in body
    assert 'id="r-item-tyres-failed" value="failed" autocomplete="off" checked' in body
    assert 'id="r-item-brakes-ok" value="ok" autocomplete="off" checked' in body
    assert 'value="key-1"' in body and 'name="kept-photo"' in body
    assert not BusCheck.objects.exists()
    token = body.split('name="kept-photo" value="', 1)[1].split('"', 1)[0]
    form.pop("photo")
    form.update({"note": "左后轮胎压不足", "kept-photo": token})
    done = client.post(url, form)
    made = BusCheck.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/checks/{made.pk}/")
    assert made.photo and made.hazard is not None
    again = client.post(url, form)  # the same submission again: recorded once
    assert again.status_code == 302 and BusCheck.objects.count() == 1
    # The result page and its photo, to those who see the checks only.
    result = client.get(done["Location"]).content.decode()
    assert "左后轮胎压不足" in result and made.hazard.number in result
    photo = reverse("buses:check_photo", args=[made.pk])
    assert client.get(photo).status_code == 200
    assert client_for("auditor").get(done["Location"]).status_code == 200
    for name in ("school_b_teacher", "expert"):
        assert client_for(name).get(done["Location"]).status_code == 403
        assert client_for(name).get(photo).status_code == 403
    assert client_for("school_a_officer").post(url, {"bus": "99999"}).status_code == 404


def test_out_of_scope_checks_are_404(client_for, persona, other):
    done = check(persona("district_officer"), other)
    client = client_for("school_a_officer")
    assert client.get(reverse("buses:check_done", args=[done.pk])).status_code == 404
    assert client.get(reverse("buses:check_photo", args=[done.pk])).status_code == 404
