"""The pages: each served to those who may, refused (404 out of scope, 403 without the
right, the login page when anonymous) to the others."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xiaoan.training import services
from xiaoan.training.models import Attendance, TrainingSession
from xiaoan.training.tests.support import SCHOOL_A, make_session, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(persona, units):
    return make_session(persona("school_a_officer"), units[SCHOOL_A])


def url(name: str, *args) -> str:
    return reverse(f"training:{name}", args=args)


def test_it_lists_and_shows_sessions_in_scope_only(client_for, session):
    officer = client_for("school_a_officer")
    page = officer.get(url("trainingsession_list"))
    assert page.status_code == 200 and session.name in page.content.decode()
    detail = officer.get(url("trainingsession_detail", session.pk))
    body = detail.content.decode()
    assert detail.status_code == 200 and "手机点名" in body and "开放扫码签到" in body
    assert session.checkin_token == "" and "checkin token" not in body
    assert client_for("school_b_teacher").get(url("trainingsession_list")).status_code == 403
    assert (
        client_for("uni_security").get(url("trainingsession_detail", session.pk)).status_code == 404
    )
    assert (
        "手机点名"
        not in client_for("auditor").get(url("trainingsession_detail", session.pk)).content.decode()
    )


def test_it_creates_a_session_from_the_form(client_for, units):
    officer = client_for("school_a_officer")
    form = officer.get(url("trainingsession_add"))
    assert form.status_code == 200
    response = officer.post(
        url("trainingsession_add"),
        {
            "unit": units[SCHOOL_A].pk,
            "name": "食品安全培训",
            "domain": "food",
            "held_on": "2026-11-20",
            "trainer": "市场监管所",
            "hours": "1.5",
            "audience_roles": ["safety_officer"],
            "audience_kinds": "食堂从业人员、宿管",
            "covers": [units["总务处"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = TrainingSession.objects.get(name="食品安全培训")
    assert made.audience_kinds == ["食堂从业人员", "宿管"]
    assert [u.name for u in made.covers.all()] == ["总务处"]


def test_it_marks_attendance_on_the_phone_page(client_for, persona, session):
    officer = client_for("school_a_officer")
    page = officer.get(url("attendance", session.pk))
    body = page.content.decode()
    assert page.status_code == 200 and "王校长" in body and "张老师" not in body
    head, owner = persona("school_a_head"), persona("school_a_owner")
    for _try in range(2):  # a retried submission: the same list
        response = officer.post(url("attendance", session.pk), {"users": [head.pk, owner.pk]})
        assert response.status_code == 302
    assert Attendance.objects.filter(session=session).count() == 2
    refused = officer.post(
        url("attendance", session.pk), {"users": [persona("school_b_teacher").pk]}
    )
    assert refused.status_code == 400 and "不在本次培训的覆盖单位内" in refused.content.decode()
    assert Attendance.objects.filter(session=session).count() == 2
    assert client_for("auditor").get(url("attendance", session.pk)).status_code == 403
    assert client_for("uni_security").get(url("attendance", session.pk)).status_code == 404
    assert client_for("uni_security").post(url("attendance", session.pk), {}).status_code == 404


def test_it_adds_and_removes_an_outsider(client_for, session):
    officer = client_for("school_a_officer")
    data = {"name": "黄保安", "employer": "保安公司", "kind": "保安", "certificate_no": "BA-1"}
    assert officer.get(url("outsider_add", session.pk)).status_code == 200
    assert officer.post(url("outsider_add", session.pk), data).status_code == 302
    row = Attendance.objects.get(session=session)
    assert client_for("auditor").post(url("outsider_add", session.pk), data).status_code == 403
    assert (
        client_for("uni_security").post(url("attendance_remove", session.pk, row.pk)).status_code
        == 404
    )
    assert officer.post(url("attendance_remove", session.pk, row.pk)).status_code == 302
    assert not Attendance.objects.filter(session=session).exists()
    assert officer.post(url("attendance_remove", session.pk, 999999)).status_code == 404


def test_it_imports_the_attendance_sheet_page(client_for, session):
    officer = client_for("school_a_officer")
    assert officer.get(url("attendance_sheet", session.pk)).status_code == 200
    bad = SimpleUploadedFile("s.xlsx", sheet([["王校长"], ["无名氏"]], header=("姓名",)))
    response = officer.post(url("attendance_sheet", session.pk), {"file": bad})
    assert response.status_code == 400 and "第 3 行" in response.content.decode()
    assert not Attendance.objects.filter(session=session).exists()
    good = SimpleUploadedFile("s.xlsx", sheet([["王校长"]], header=("姓名",)))
    assert officer.post(url("attendance_sheet", session.pk), {"file": good}).status_code == 302
    assert Attendance.objects.filter(session=session, method="sheet").count() == 1
    assert client_for("auditor").get(url("attendance_sheet", session.pk)).status_code == 403
    assert client_for("uni_security").get(url("attendance_sheet", session.pk)).status_code == 404


def test_it_exports_the_attendance_list(
    client_for, persona, session, django_assert_max_num_queries
):
    import io

    from openpyxl import load_workbook

    services.mark(
        persona("school_a_officer"),
        session.pk,
        users=[persona("school_a_head").pk],
        outsiders=[{"name": "黄保安", "employer": "保安公司"}],
    )
    auditor = client_for("auditor")
    response = auditor.get(url("attendance_export", session.pk))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "王校长" in cells and "黄保安" in cells and "保安公司" in cells
    assert client_for("uni_security").get(url("attendance_export", session.pk)).status_code == 404
    assert (
        client_for("school_b_teacher").get(url("attendance_export", session.pk)).status_code == 403
    )


def test_it_exports_the_ledger(client_for, session):
    response = client_for("district_officer").get(url("trainingsession_export"))
    assert response.status_code == 200


def test_it_opens_closes_and_checks_in_by_the_qr_code(client_for, persona, session):
    officer = client_for("school_a_officer")
    assert client_for("auditor").post(url("checkin_open", session.pk)).status_code == 403
    assert client_for("uni_security").post(url("checkin_open", session.pk)).status_code == 404
    assert officer.post(url("checkin_open", session.pk)).status_code == 302
    session.refresh_from_db()
    detail = officer.get(url("trainingsession_detail", session.pk)).content.decode()
    assert "data:image/svg+xml;base64," in detail and session.checkin_token in detail
    checkin = url("checkin", session.checkin_token)
    assert Client().get(checkin).status_code == 302  # to the login page
    head = client_for("school_a_head")
    assert "确认签到" in head.get(checkin).content.decode()
    done = head.post(checkin)
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    assert "您已签到" in head.post(checkin).content.decode()
    refused = client_for("school_b_teacher").post(checkin)
    assert refused.status_code == 400 and "不在本次培训的参训单位范围内" in refused.content.decode()
    assert Attendance.objects.filter(session=session, method="qr").count() == 1
    assert client_for("auditor").post(url("checkin_close", session.pk)).status_code == 403
    assert officer.post(url("checkin_close", session.pk)).status_code == 302
    assert head.get(checkin).status_code == 404
    assert head.get(url("checkin", "x" * 43)).status_code == 404


def test_it_shows_coverage_with_a_drill_down(client_for, persona, units, session):
    services.mark(persona("school_a_officer"), session.pk, users=[persona("school_a_officer").pk])
    district = client_for("district_officer")
    page = district.get(url("coverage"), {"role": "safety_officer"})
    body = page.content.decode()
    assert page.status_code == 200 and SCHOOL_A in body
    drill = district.get(url("coverage"), {"role": "safety_officer", "unit": units[SCHOOL_A].pk})
    assert drill.status_code == 200 and "全部已培训" in drill.content.decode()
    leaders = district.get(url("coverage"), {"role": "leaders", "unit": units[SCHOOL_A].pk})
    assert "王校长" in leaders.content.decode()  # the untrained principal listed
    assert client_for("school_b_teacher").get(url("coverage")).status_code == 403
    assert (
        client_for("school_a_officer")
        .get(url("coverage"), {"unit": units["东沟镇中心小学"].pk})
        .status_code
        == 404
    )
    assert Client().get(url("coverage")).status_code == 302


def test_it_shows_a_persons_record(client_for, persona, session):
    head = persona("school_a_head")
    services.mark(persona("school_a_officer"), session.pk, users=[head.pk])
    mine = client_for("school_a_head").get(url("mine"))
    assert mine.status_code == 302 and mine["Location"] == url("person", head.pk)
    own = client_for("school_a_head").get(url("person", head.pk))
    assert own.status_code == 200 and session.name in own.content.decode()
    assert client_for("school_a_officer").get(url("person", head.pk)).status_code == 200
    assert client_for("uni_security").get(url("person", head.pk)).status_code == 404
    assert client_for("school_b_teacher").get(url("person", head.pk)).status_code == 404
    assert Client().get(url("mine")).status_code == 302
    teacher = persona("school_b_teacher")
    assert client_for("school_b_teacher").get(url("person", teacher.pk)).status_code == 200


def test_it_reads_pages_in_queries_that_do_not_grow_with_rows(client_for, persona, units, session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoan.training.tests.support import add_person

    district = client_for("district_officer")
    officer = client_for("school_a_officer")

    def count(client, path, params=None) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, params or {}).status_code == 200
        return len(queries)

    pages = [
        (district, url("coverage"), {"role": "leaders"}),
        (officer, url("attendance", session.pk), None),
        (officer, url("trainingsession_detail", session.pk), None),
    ]
    before = [count(*page) for page in pages]
    for n, school in enumerate(["太和镇中心学校", "东沟镇中心小学", "沼山镇中心学校", SCHOOL_A]):
        add_person(units[school], f"p{n}", f"校长{n}", position="校长")
        add_person(units[SCHOOL_A], f"q{n}", f"教师{n}")
    people = [persona(f"q{n}").pk for n in range(4)]
    services.mark(persona("school_a_officer"), session.pk, users=people)
    after = [count(*page) for page in pages]
    assert all(a <= b for a, b in zip(after, before, strict=True)), (before, after)
