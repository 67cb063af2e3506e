"""校园车辆's pages: every route served to someone and refused to someone; the gate page
finds by plate and records in one tap; lifting and the rule are the head's."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.core.models import RegisterAttachment
from xiaoan.vehicles.models import BlacklistRule, CampusVehicle, Violation
from xiaoan.vehicles.tests.support import SCHOOL_A, SCHOOL_B, make, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def car(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="鄂GB2222", owner="李家长")


def url(action, *args):
    return reverse(f"campus_vehicles:campusvehicle_{action}", args=args)


GATE = "/campus-vehicles/gate/"


def test_it_lists_in_scope(client_for, car, other, django_assert_max_num_queries):
    client = client_for("school_a_officer")
    client.get(url("list"))
    with django_assert_max_num_queries(25):
        page = client.get(url("list"))
    body = page.content.decode()
    assert page.status_code == 200 and "鄂GA1234" in body and "鄂GB2222" not in body
    assert "违规登记（手机）" in body
    assert client_for("auditor").get(url("list")).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url("list")).status_code == 403


def test_it_shows_the_record_with_its_violations(client_for, persona, car, other):
    from xiaoan.vehicles import services

    for _n in range(3):
        services.record_violation(persona("school_a_officer"), car.pk, kind="parking")
    head = client_for("school_a_head")
    body = head.get(url("detail", car.pk)).content.decode()
    assert "禁止通行" in body and "乱停放" in body and "解除黑名单" in body
    officer = client_for("school_a_officer").get(url("detail", car.pk)).content.decode()
    assert "登记违规" in officer and url("lift", car.pk) not in officer
    assert client_for("school_a_officer").get(url("detail", other.pk)).status_code == 404
    assert client_for("expert").get(url("detail", car.pk)).status_code == 403


def test_it_adds_and_edits(client_for, units, car):
    client = client_for("school_a_officer")
    assert client.get(url("add")).status_code == 200
    form = {"unit": units[SCHOOL_A].pk, "name": "鄂GK1", "vehicle_class": "staff", "owner": "甲"}
    refused = client.post(url("add"), {**form, "allowed_hours": "早上"})
    assert refused.status_code == 400 and "通行时段格式" in refused.content.decode()
    assert client.post(url("add"), form).status_code == 302
    assert CampusVehicle.objects.filter(name="鄂GK1").exists()
    assert client_for("auditor").get(url("add")).status_code == 403
    assert client.get(url("edit", car.pk)).status_code == 200
    edit = {**form, "name": car.name, "phone": "13911112222", "status": "suspended"}
    assert client.post(url("edit", car.pk), edit).status_code == 302
    car.refresh_from_db()
    assert car.phone == "13911112222" and not car.may_enter()
    assert client_for("auditor").get(url("edit", car.pk)).status_code == 403


def test_it_retires_attaches_and_serves_sheets(client_for, car, other):
    client = client_for("school_a_officer")
    upload = SimpleUploadedFile("permit.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert client.post(url("attach", car.pk), {"kind": "permit", "file": upload}).status_code == 302
    row = RegisterAttachment.objects.get()
    assert client.get(url("attachment", row.pk)).status_code == 200
    assert client_for("school_b_teacher").get(url("attachment", row.pk)).status_code == 403
    assert client_for("auditor").post(url("attach", car.pk), {"kind": "permit"}).status_code == 403
    assert client.get(url("export")).status_code == 200
    assert client_for("school_b_teacher").get(url("export")).status_code == 403
    assert client.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403
    assert client.get(url("import")).status_code == 200
    good = sheet([[SCHOOL_A, "鄂GZ9", "教职工车辆", "乙", "", None]])
    done = client.post(url("import"), {"file": SimpleUploadedFile("v.xlsx", good)})
    assert done.status_code == 302 and CampusVehicle.objects.filter(name="鄂GZ9").exists()
    assert client_for("auditor").get(url("import")).status_code == 403
    assert client.get(url("retire", car.pk)).status_code == 200
    assert client.post(url("retire", car.pk), {"reason": "调离"}).status_code == 302
    assert client.post(url("retire", other.pk), {"reason": "调离"}).status_code == 404
    assert client_for("auditor").get(url("retire", car.pk)).status_code == 403


def test_the_gate_finds_by_plate_and_records_in_one_tap(client_for, car, other):
    client = client_for("school_a_officer")
    assert client.get(GATE).status_code == 200
    found = client.get(GATE, {"plate": "a1234"}).content.decode()
    assert "鄂GA1234" in found and 'value="speeding"' in found  # one match: shown at once
    assert "没有找到" in client.get(GATE, {"plate": "B2222"}).content.decode()
    saved = client.post(GATE, {"vehicle": car.pk, "kind": "speeding"})
    assert saved.status_code == 302 and Violation.objects.get().kind == "speeding"
    refused = client.post(GATE, {"vehicle": car.pk, "kind": "other"})
    assert refused.status_code == 400 and "请填写说明" in refused.content.decode()
    assert client.post(GATE, {"vehicle": other.pk, "kind": "parking"}).status_code == 404
    assert client.get(GATE, {"vehicle": "abc"}).status_code == 404
    assert client_for("auditor").get(GATE).status_code == 403
    assert (
        client_for("auditor").post(GATE, {"vehicle": car.pk, "kind": "parking"}).status_code == 403
    )
    assert Violation.objects.count() == 1


def test_the_head_lifts_and_sets_the_rule(client_for, persona, units, car):
    from xiaoan.vehicles import services

    for _n in range(3):
        services.record_violation(persona("school_a_officer"), car.pk, kind="parking")
    head = client_for("school_a_head")
    assert client_for("school_a_officer").get(url("lift", car.pk)).status_code == 403
    assert head.get(url("lift", car.pk)).status_code == 200
    assert head.post(url("lift", car.pk), {"reason": ""}).status_code == 400
    assert head.post(url("lift", car.pk), {"reason": "已接受教育"}).status_code == 302
    car.refresh_from_db()
    assert not car.blacklisted
    again = head.post(url("lift", car.pk), {"reason": "再解除"})
    assert again.status_code == 302  # refused: back to the record with the reason
    rule = "/campus-vehicles/rule/"
    assert client_for("school_a_officer").get(rule).status_code == 403
    assert head.get(rule).status_code == 200
    assert (
        head.post(rule, {"unit": units[SCHOOL_A].pk, "threshold": 0, "window_days": 30}).status_code
        == 400
    )
    done = head.post(rule, {"unit": units[SCHOOL_A].pk, "threshold": 2, "window_days": 90})
    assert done.status_code == 302
    assert BlacklistRule.objects.get(unit=units[SCHOOL_A]).threshold == 2
