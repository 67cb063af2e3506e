"""Reads audited, fields encrypted at rest, masked exports, follow-ups and closing, creating
cases (pages and API) and who may."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from xiaoan.audit.models import AuditEntry
from xiaoan.studentcases.models import FollowUp, StudentCase
from xiaoan.studentcases.tests.conftest import SCHOOL_A, SCHOOL_B


def _reads(user):
    return AuditEntry.objects.filter(actor_id=user.pk, action__in=["other", "export"])


def test_it_audits_every_read_of_a_case(client_for, api_for, persona, cases):
    head = persona("school_a_head")
    case = cases["a1"]
    before = _reads(head).count()
    api = api_for("school_a_head")
    assert api.get(f"/api/student-cases/{case.pk}/").status_code == 200
    assert api.get("/api/student-cases/").status_code == 200
    client = client_for("school_a_head")
    assert client.get(reverse("studentcases:studentcase_detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("studentcases:studentcase_list")).status_code == 200
    assert client.get(reverse("studentcases:studentcase_export")).status_code == 200
    entries = list(_reads(head).order_by("id"))[before:]
    assert [e.detail["read"] for e in entries] == [
        "api",
        "api_list",
        "page",
        "page_list",
        "export",
    ]
    assert entries[0].object_id == str(case.pk) and entries[0].object_repr == case.number
    assert entries[-1].action == "export"
    assert case.number in entries[1].detail["records"]
    # The trail names records by number, never the student.
    for entry in entries:
        text = f"{entry.object_repr} {entry.detail}"
        assert "陈小雨" not in text and "李明轩" not in text


def test_it_keeps_personal_fields_encrypted_in_the_database(cases):
    case = cases["a1"]
    FollowUp.objects.create(case=case, author=case.responsible, text="家访：祖母身体不好")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT student_name, class_name, guardian_contact, situation "
            "FROM studentcases_studentcase WHERE id = %s",
            [case.pk],
        )
        row = cursor.fetchone()
        cursor.execute("SELECT text FROM studentcases_followup WHERE case_id = %s", [case.pk])
        note = cursor.fetchone()[0]
    for raw, plain in zip(
        row, ["陈小雨", "高一(2)班", "祖母 13900000001", "随祖母生活"], strict=True
    ):
        assert raw.startswith("sm4gcm:")
        assert plain not in raw
    assert note.startswith("sm4gcm:") and "祖母" not in note
    assert StudentCase.objects.get(pk=case.pk).student_name == "陈小雨"


def _rows(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                    if response.streaming else response.content))  # fmt: skip
    return [list(r) for r in book.active.iter_rows(values_only=True)][1:]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("school_a_head", {"陈小雨", "李明轩"}),  # the role: names in full
        ("school_a_officer", {"陈**"}),  # named on a1 only, no role: masked
        ("school_b_teacher", {"赵**"}),
    ],
)
def test_it_masks_names_in_exports_unless_the_exporter_holds_the_role(
    client_for, cases, who, expected
):
    response = client_for(who).get(reverse("studentcases:studentcase_export"))
    assert response.status_code == 200
    rows = _rows(response)
    assert {r[3] for r in rows} == expected
    if who != "school_a_head":
        assert all(r[6] in ("", None) for r in rows)  # no situation either


@pytest.mark.parametrize("who", ["district_officer", "school_a_owner", "expert", "auditor",
                                 "sysadmin"])  # fmt: skip
def test_it_refuses_the_export_to_who_is_named_nowhere(client_for, cases, who):
    assert client_for(who).get(reverse("studentcases:studentcase_export")).status_code == 403


def test_it_lets_the_named_person_add_follow_ups_and_only_the_role_close(
    client_for, api_for, cases
):
    case = cases["a1"]
    officer = api_for("school_a_officer")
    response = officer.post(
        f"/api/student-cases/{case.pk}/follow-ups/", {"text": "谈心一次"}, format="json"
    )
    assert response.status_code == 201
    assert [f["text"] for f in response.json()["followups"]] == ["谈心一次"]
    # Not named, no role: the case does not exist for them.
    for who in ("school_a_owner", "district_officer", "school_b_teacher"):
        other = api_for(who).post(
            f"/api/student-cases/{case.pk}/follow-ups/", {"text": "x"}, format="json"
        )
        assert other.status_code in (403, 404)
    assert (
        officer.post(
            f"/api/student-cases/{case.pk}/close/", {"note": "好转"}, format="json"
        ).status_code
        == 403
    )
    head = api_for("school_a_head")
    closed = head.post(f"/api/student-cases/{case.pk}/close/", {"note": "已好转"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = head.post(f"/api/student-cases/{case.pk}/close/", {"note": "x"}, format="json")
    assert again.status_code == 409
    late = officer.post(
        f"/api/student-cases/{case.pk}/follow-ups/", {"text": "再谈"}, format="json"
    )
    assert late.status_code == 409


def test_it_adds_follow_ups_and_closes_on_the_page(client_for, cases):
    case = cases["a2"]
    head = client_for("school_a_head")
    url = reverse("studentcases:studentcase_followup", args=[case.pk])
    assert head.post(url, {"text": "电话联系家长"}).status_code == 302
    assert head.post(url, {"text": ""}).status_code == 400
    assert client_for("school_a_officer").post(url, {"text": "x"}).status_code == 404
    close = reverse("studentcases:studentcase_close", args=[case.pk])
    assert (
        client_for("school_a_officer").post(close, {"note": "x", "version": 0}).status_code == 404
    )
    case.refresh_from_db()
    assert head.post(close, {"note": "结案", "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    page = head.get(reverse("studentcases:studentcase_detail", args=[case.pk]))
    assert "电话联系家长" in page.content.decode()


def test_it_creates_a_case_only_for_the_role_at_its_school(client_for, api_for, persona, units):
    head = api_for("school_a_head")
    body = {
        "unit": units[SCHOOL_A].pk,
        "category": "family",
        "student_name": "孙小海",
        "class_name": "高三(1)班",
        "situation": "父母离异",
        "responsible": persona("school_a_officer").pk,
    }
    created = head.post("/api/student-cases/", body, format="json")
    assert created.status_code == 201 and created.json()["student_name"] == "孙小海"
    # Another school, a 包保 from elsewhere, nested JSON, a wrong category: refused.
    assert head.post("/api/student-cases/", {**body, "unit": units[SCHOOL_B].pk},
                     format="json").status_code == 403  # fmt: skip
    assert head.post("/api/student-cases/", {**body, "responsible": persona("expert").pk},
                     format="json").status_code == 400  # fmt: skip
    assert head.post("/api/student-cases/", {**body, "student_name": {"a": [1]}},
                     format="json").status_code == 400  # fmt: skip
    assert head.post("/api/student-cases/", {**body, "category": "x"},
                     format="json").status_code == 400  # fmt: skip
    for who in ("school_a_officer", "district_officer", "auditor", "sysadmin", "expert"):
        assert api_for(who).post("/api/student-cases/", body, format="json").status_code == 403
    page = reverse("studentcases:studentcase_add")
    assert client_for("school_a_officer").get(page).status_code == 403
    client = client_for("school_a_head")
    assert client.get(page).status_code == 200
    form = {**body, "student_name": "吴小舟"}
    response = client.post(page, form)
    assert response.status_code == 302
    assert StudentCase.objects.filter(unit=units[SCHOOL_A]).count() == 2


def test_it_loads_the_demo_once(persona, units):
    from xiaoan.studentcases.demo import load_student_cases
    from xiaoan.studentcases.models import BullyingCase, ConflictScreening

    assert load_student_cases() == 2
    assert load_student_cases() == 0
    school = units[SCHOOL_A]
    assert StudentCase.objects.filter(unit=school).count() == 2
    assert BullyingCase.objects.filter(unit=school).count() == 3
    assert ConflictScreening.objects.filter(unit=school).count() == 1
    officer = persona("school_a_officer")
    # The officer is the 包保 of one case and two bullying cases, and sees just those.
    assert StudentCase.objects.restrict(officer).count() == 1
    assert BullyingCase.objects.restrict(officer).count() == 2
