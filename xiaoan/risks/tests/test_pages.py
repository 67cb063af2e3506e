"""The risk pages: every route served to someone and refused to someone (other school → 404,
no right → 403); the list's filters and counts; the detail page; the phone check (a failure
becomes a hazard); the action forms (400 on bad input, 409 → message on a stale version);
the exports open; the 四色图 upload, image and placing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from xiaoan.risks import services
from xiaoan.risks.models import ControlCheck, ControlMeasure, RiskPlan, RiskPoint
from xiaoan.risks.tests.support import SCHOOL_A, SCHOOL_B, assessed, point, teacher, with_measure

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"risks:{name}", args=args)


def jpeg(size=(60, 40), colour=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_it_lists_in_scope_with_counts_and_filters(
    client_for, persona, units, django_assert_max_num_queries
):
    major = assessed(persona, units, likelihood=5, severity=4, name="化学品库")
    low = assessed(persona, units, likelihood=1, severity=2, name="图书馆")
    other = point(persona, units, SCHOOL_B, name="东沟校门口")
    client = client_for("school_a_officer")
    client.get(url("riskpoint_list"))
    with django_assert_max_num_queries(30):
        page = client.get(url("riskpoint_list"))
    body = page.content.decode()
    assert major.name in body and low.name in body and other.name not in body
    body = client.get(url("riskpoint_list"), {"grade": "major"}).content.decode()
    assert major.name in body and low.name not in body
    district = client_for("district_officer").get(url("riskpoint_list")).content.decode()
    assert other.name in district and major.name in district
    assert client_for("school_b_teacher").get(url("riskpoint_list")).status_code == 403
    assert client.get(url("riskpoint_list"), {"unit": "9" * 30}).status_code == 200


def test_it_filters_overdue_checks_and_reassessment(client_for, persona, units):
    made, measure = with_measure(persona, units, name="食堂燃气")
    calm = assessed(persona, units, name="操场看台")
    ControlMeasure.objects.filter(pk=measure.pk).update(
        next_due=timezone.localdate() - dt.timedelta(days=3)
    )
    RiskPoint.objects.filter(pk=calm.pk).update(reassessment_due=True)
    client = client_for("school_a_officer")
    body = client.get(url("riskpoint_list"), {"overdue": "true"}).content.decode()
    assert made.name in body and calm.name not in body
    body = client.get(url("riskpoint_list"), {"reassessment_due": "true"}).content.decode()
    assert calm.name in body and made.name not in body


def test_it_registers_from_the_form(client_for, persona, units):
    client = client_for("school_a_officer")
    assert client.get(url("riskpoint_add")).status_code == 200
    response = client.post(
        url("riskpoint_add"),
        {
            "unit": units[SCHOOL_A].pk,
            "name": "游泳馆",
            "domain": "drowning",
            "hazardous_event": "溺水",
        },
    )
    assert response.status_code == 302
    made = RiskPoint.objects.get(name="游泳馆")
    assert made.unit == units[SCHOOL_A]
    bad = client.post(url("riskpoint_add"), {"unit": units[SCHOOL_A].pk, "name": ""})
    assert bad.status_code == 400
    assert client_for("school_b_teacher").get(url("riskpoint_add")).status_code == 403
    assert client_for("auditor").post(url("riskpoint_add"), {}).status_code == 403


def test_it_shows_the_point_only_in_scope(client_for, persona, units):
    made, measure = with_measure(persona, units)
    page = client_for("school_a_officer").get(url("riskpoint_detail", made.pk))
    body = page.content.decode()
    assert page.status_code == 200 and measure.text in body and "risk-actions" in body
    assert (
        client_for("district_supervisor").get(url("riskpoint_detail", made.pk)).status_code == 200
    )
    assert client_for("uni_security").get(url("riskpoint_detail", made.pk)).status_code == 404
    assert client_for("school_b_teacher").get(url("riskpoint_detail", made.pk)).status_code == 403
    officer = client_for("school_a_officer")
    assert officer.get(f"/risks/{'9' * 25}/").status_code == 404
    assert officer.get(url("riskpoint_detail", 2**62)).status_code == 404


def test_it_shows_a_measures_person_only_their_points(client, persona, units):
    made, _measure = with_measure(persona, units)
    other = assessed(persona, units, name="实验楼危化品")
    client.force_login(teacher(units))
    body = client.get(url("riskpoint_list")).content.decode()
    assert made.name in body and other.name not in body
    assert client.get(url("riskpoint_detail", made.pk)).status_code == 200
    assert client.get(url("riskpoint_detail", other.pk)).status_code == 404
    assert client.get(url("riskpoint_my_checks")).status_code == 200
    # Not theirs to assess.
    assert (
        client.post(url("riskpoint_assess", made.pk), {"version": made.version}).status_code == 403
    )


def test_it_records_a_failed_check_from_the_phone(client, persona, units):
    made, measure = with_measure(persona, units)
    client.force_login(teacher(units))
    page = client.get(url("riskpoint_check", made.pk), {"measure": measure.pk})
    assert page.status_code == 200 and "risk-check-form" in page.content.decode()
    refused = client.post(
        url("riskpoint_check", made.pk),
        {"measure": measure.pk, "result": "failed", "note": "", "version": made.version},
    )
    assert refused.status_code == 400
    response = client.post(
        url("riskpoint_check", made.pk),
        {
            "measure": measure.pk,
            "result": "failed",
            "note": "302 室使用电热毯",
            "photos": jpeg(),
            "version": made.version,
            "idempotency_key": "phone-1",
        },
    )
    assert response.status_code == 302
    check = ControlCheck.objects.get(risk_point=made)
    assert check.hazard is not None and check.photo
    assert check.hazard.photos.count() == 1  # the check's photo is the hazard's before-photo
    # The photo is served to those who see the point, not to another school.
    assert client.get(url("controlcheck_photo", check.pk)).status_code == 200
    assert client_for_photo(persona, "uni_security", check) == 404
    hazard_page = client_for_hazard(persona, check)
    assert f"/risks/{made.pk}/" in hazard_page


def client_for_photo(persona, username, check):
    from django.test import Client

    c = Client()
    c.force_login(persona(username))
    return c.get(url("controlcheck_photo", check.pk)).status_code


def client_for_hazard(persona, check):
    from django.test import Client

    c = Client()
    c.force_login(persona("school_a_head"))
    return c.get(reverse("hazards:hazard_detail", args=[check.hazard_id])).content.decode()


def test_it_refuses_the_check_page_to_others(client, client_for, persona, units):
    made, _measure = with_measure(persona, units)
    assert client_for("uni_security").get(url("riskpoint_check", made.pk)).status_code == 404
    assert client_for("school_b_teacher").get(url("riskpoint_check", made.pk)).status_code == 403
    client.force_login(teacher(units, "idle_teacher"))
    assert client.get(url("riskpoint_my_checks")).status_code == 403
    assert client.get(url("riskpoint_check", made.pk)).status_code == 403
    assert client_for("school_a_officer").get(url("riskpoint_check", made.pk)).status_code == 200


def test_it_runs_the_action_forms(client_for, persona, units):
    made = point(persona, units)
    client = client_for("school_a_officer")
    response = client.post(
        url("riskpoint_assess", made.pk),
        {"likelihood": "4", "severity": "5", "version": made.version},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.grade == "major"
    bad = client.post(
        url("riskpoint_assess", made.pk), {"likelihood": "9", "version": made.version}
    )
    assert bad.status_code == 400
    stale = client.post(
        url("riskpoint_assess", made.pk), {"likelihood": "1", "severity": "1", "version": 0}
    )
    assert stale.status_code == 302
    made.refresh_from_db()
    assert made.grade == "major"  # the stale one did nothing
    owner = persona("school_a_owner")
    assert (
        client.post(
            url("riskpoint_add_measure", made.pk),
            {"kind": "engineering", "text": "安装漏电保护", "level": "department",
             "owner": owner.pk, "frequency": "monthly", "version": made.version},
        ).status_code
        == 302
    )  # fmt: skip
    made.refresh_from_db()
    measure = made.measures.get()
    assert (
        client.post(
            url("riskpoint_record_check", made.pk),
            {"measure": measure.pk, "result": "passed", "version": made.version},
        ).status_code
        == 302
    )
    made.refresh_from_db()
    response = client.post(
        url("riskpoint_change_measure", made.pk),
        {"measure": measure.pk, "owner": persona("school_a_head").pk, "level": "school",
         "frequency": "weekly", "version": made.version},
    )  # fmt: skip
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.owner == persona("school_a_head") and measure.level == "school"
    made.refresh_from_db()
    assert (
        client.post(
            url("riskpoint_remove_measure", made.pk),
            {"measure": measure.pk, "version": made.version},
        ).status_code
        == 302
    )
    made.refresh_from_db()
    assert (
        client.post(
            url("riskpoint_edit", made.pk),
            {"name": "新名", "domain": "fire", "hazardous_event": "火灾", "version": made.version},
        ).status_code
        == 302
    )
    made.refresh_from_db()
    assert made.name == "新名"
    assert (
        client.post(url("riskpoint_retire", made.pk), {"note": "拆除", "version": made.version})
    ).status_code == 302
    made.refresh_from_db()
    assert (
        client.post(url("riskpoint_restore", made.pk), {"version": made.version}).status_code == 302
    )
    # Other school: 404; no right: 403.
    for name in ("assess", "add_measure", "change_measure", "remove_measure", "edit", "retire",
                 "restore", "record_check"):  # fmt: skip
        assert client_for("uni_security").post(
            url(f"riskpoint_{name}", made.pk), {}
        ).status_code in (
            403,
            404,
        )
        assert (
            client_for("school_b_teacher").post(url(f"riskpoint_{name}", made.pk), {}).status_code
            == 403
        )


def test_it_sets_the_units_method(client_for, units):
    client = client_for("school_a_officer")
    assert client.get(url("riskpoint_method")).status_code == 200
    response = client.post(url("riskpoint_method"), {"unit": units[SCHOOL_A].pk, "method": "lec"})
    assert response.status_code == 302
    assert services.method_for(units[SCHOOL_A]) == "lec"
    assert client_for("auditor").get(url("riskpoint_method")).status_code == 403


def test_it_exports_the_register(client_for, persona, units):
    from docx import Document
    from openpyxl import load_workbook

    made, measure = with_measure(persona, units)
    client = client_for("school_a_officer")
    response = client.get(url("riskpoint_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "序号" in cells and made.name in cells and "L=3 S=4" in cells and "一般风险" in cells
    assert any(measure.text in str(c) for c in cells)
    word = client.get(url("riskpoint_word"))
    assert word.status_code == 200
    doc = Document(io.BytesIO(word.content))
    text = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert made.name in text and "风险等级" in text
    # Another school's points are not in School B's… nor in anyone's without the right.
    assert client_for("school_b_teacher").get(url("riskpoint_export")).status_code == 403
    assert client_for("school_b_teacher").get(url("riskpoint_word")).status_code == 403
    uni = client_for("uni_security").get(url("riskpoint_word"))
    doc = Document(io.BytesIO(uni.content))
    assert made.name not in [c.text for t in doc.tables for row in t.rows for c in row.cells]


def test_it_uploads_a_plan_and_places_points(client_for, persona, units):
    made = assessed(persona, units, likelihood=5, severity=5)
    client = client_for("school_a_officer")
    assert client.get(url("riskplan_add")).status_code == 200
    bad = client.post(
        url("riskplan_add"),
        {"unit": units[SCHOOL_A].pk, "title": "总平面图",
         "image": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")},
    )  # fmt: skip
    assert bad.status_code == 400
    response = client.post(
        url("riskplan_add"),
        {"unit": units[SCHOOL_A].pk, "title": "总平面图", "image": jpeg((400, 300))},
    )
    assert response.status_code == 302
    plan = RiskPlan.objects.get(title="总平面图")
    assert client.get(url("riskplan_list")).status_code == 200
    assert client.get(url("riskplan_image", plan.pk)).status_code == 200
    response = client.post(
        url("riskplan_place", plan.pk),
        {"point": made.pk, "x": "0.25", "y": "0.5", "version": made.version},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.plan == plan and str(made.plan_x) == "0.25000"
    page = client.get(url("riskplan_detail", plan.pk)).content.decode()
    assert 'class="risk-marker risk-red"' in page and 'data-x="0.25000"' in page
    # Out of the plan: refused with a message, nothing moved.
    client.post(
        url("riskplan_place", plan.pk),
        {"point": made.pk, "x": "1.5", "y": "0.5", "version": made.version + 1},
    )
    made.refresh_from_db()
    assert str(made.plan_x) == "0.25000"
    for name in ("riskplan_detail", "riskplan_image"):
        assert client_for("uni_security").get(url(name, plan.pk)).status_code == 404
        assert client_for("school_b_teacher").get(url(name, plan.pk)).status_code == 403
    assert (
        client_for("uni_security")
        .post(
            url("riskplan_place", plan.pk), {"point": made.pk, "x": "0.1", "y": "0.1", "version": 9}
        )
        .status_code
        == 404
    )
    assert client_for("school_b_teacher").get(url("riskplan_list")).status_code == 403
    assert client_for("auditor").get(url("riskplan_add")).status_code == 403


def test_it_assesses_by_lec_from_the_form(client_for, persona, units):
    made = point(persona, units)
    client = client_for("school_a_officer")
    services.set_method(persona("school_a_officer"), units[SCHOOL_A], method="lec")
    page = client.get(url("riskpoint_detail", made.pk)).content.decode()
    assert "id_assess_exposure" in page and "id_assess_severity" not in page
    response = client.post(
        url("riskpoint_assess", made.pk),
        {"likelihood": "3", "exposure": "6", "consequence": "15", "version": made.version},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.method, made.risk_value, made.grade) == ("lec", 270, "high")


def test_it_shows_a_full_point_in_bounded_queries(client_for, persona, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made, measure = with_measure(persona, units)
    client = client_for("school_a_officer")
    client.get(url("riskpoint_detail", made.pk))
    with CaptureQueriesContext(connection) as few:
        client.get(url("riskpoint_detail", made.pk))
    checker = teacher(units)
    for n in range(5):
        services.record_check(
            checker, made.pk, measure=measure.pk, result="failed", note=f"问题{n}"
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("riskpoint_detail", made.pk))
    assert page.content.decode().count("问题") >= 5
    assert len(many) <= len(few) + 3  # the hazards' list appears; no query per row
