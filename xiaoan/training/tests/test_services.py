"""Attendance three ways through one service, the QR token, outsiders, the sheet."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.training import services
from xiaoan.training.models import Attendance, TrainingSession
from xiaoan.training.tests.support import (
    DISTRICT,
    SCHOOL_A,
    SCHOOL_B,
    add_person,
    make_session,
    sheet,
)

pytestmark = pytest.mark.django_db


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("签到表.xlsx", data)


def test_it_marks_the_people_ticked_on_the_phone_and_a_retry_changes_nothing(persona, units):
    officer = persona("school_a_officer")
    session = make_session(officer, units[SCHOOL_A])
    head, owner = persona("school_a_head"), persona("school_a_owner")
    first = services.mark(officer, session.pk, users=[head.pk, owner.pk], replace=True)
    assert (first.added, first.removed, first.total) == (2, 0, 2)
    again = services.mark(officer, session.pk, users=[head.pk, owner.pk], replace=True)
    assert (again.added, again.removed, again.total) == (0, 0, 2)
    fewer = services.mark(officer, session.pk, users=[head.pk], replace=True)
    assert (fewer.added, fewer.removed) == (0, 1)
    session.refresh_from_db()
    assert session.attendee_count == Attendance.objects.filter(session=session).count() == 1
    row = Attendance.objects.get(session=session)
    assert (row.user, row.method, row.unit_id) == (head, "phone", head.unit_id)


def test_it_refuses_people_outside_the_covered_units_and_writes_nothing(persona, units):
    officer = persona("school_a_officer")
    session = make_session(officer, units[SCHOOL_A])
    teacher_b = persona("school_b_teacher")
    with pytest.raises(Invalid):
        services.mark(officer, session.pk, users=[persona("school_a_head").pk, teacher_b.pk])
    assert not Attendance.objects.filter(session=session).exists()


def test_it_covers_only_the_chosen_units_when_some_are_chosen(persona, units):
    district = persona("district_officer")
    session = make_session(district, units[DISTRICT], covers=[units[SCHOOL_B]])
    assert set(services.people_of(session)) == set(
        services.people_of(session).filter(unit__path__startswith=units[SCHOOL_B].path)
    )
    assert persona("school_b_teacher") in services.people_of(session)
    assert persona("school_a_head") not in services.people_of(session)
    with pytest.raises(Invalid):
        services.mark(district, session.pk, users=[persona("school_a_head").pk])


def test_it_refuses_covered_units_outside_the_organisers_subtree(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as error:
        make_session(officer, units[SCHOOL_A], covers=[units[SCHOOL_B]])
    assert "covers" in error.value.fields
    assert not TrainingSession.objects.exists()


def test_it_records_outsiders_by_name_employer_and_certificate_once(persona, units):
    officer = persona("school_a_officer")
    session = make_session(officer, units[SCHOOL_A])
    guard = {
        "name": "黄保安",
        "employer": "鄂州市保安服务公司",
        "kind": "保安",
        "certificate_no": "BA-001",
    }
    services.mark(officer, session.pk, outsiders=[guard])
    services.mark(officer, session.pk, outsiders=[guard])
    row = Attendance.objects.get(session=session)
    assert (row.user, row.employer, row.certificate_no, row.unit_id) == (
        None,
        "鄂州市保安服务公司",
        "BA-001",
        units[SCHOOL_A].pk,
    )
    with pytest.raises(Invalid):
        services.mark(officer, session.pk, outsiders=[{"name": "无单位"}])


def test_it_refuses_marking_without_the_right_or_out_of_scope(persona, units):
    session = make_session(persona("school_a_officer"), units[SCHOOL_A])
    with pytest.raises(Forbidden):
        services.mark(persona("school_b_teacher"), session.pk, users=[])
    with pytest.raises(NotFound):
        services.mark(persona("uni_security"), session.pk, users=[])
    with pytest.raises(Forbidden):  # sees it, may not change it
        services.mark(persona("auditor"), session.pk, users=[])


def test_it_checks_in_by_the_qr_token_only_people_of_the_covered_units(persona, units):
    officer = persona("school_a_officer")
    session = make_session(officer, units[SCHOOL_A])
    token = services.open_checkin(officer, session.pk).checkin_token
    head = persona("school_a_head")
    assert services.check_in(head, token) == (session, True)
    assert services.check_in(head, token)[1] is False  # scanned twice: recorded once
    with pytest.raises(Invalid) as refused:
        services.check_in(persona("school_b_teacher"), token)
    assert "不在本次培训的参训单位范围内" in str(refused.value.message)
    assert Attendance.objects.filter(session=session, method="qr").count() == 1
    # A new code: the old one stops working; closed: none does.
    new = services.open_checkin(officer, session.pk).checkin_token
    with pytest.raises(NotFound):
        services.check_in(persona("school_a_owner"), token)
    services.close_checkin(officer, session.pk)
    with pytest.raises(NotFound):
        services.check_in(persona("school_a_owner"), new)
    session.refresh_from_db()
    assert session.attendee_count == 1


def test_it_refuses_a_check_in_of_a_retired_session(persona, units):
    from xiaoan.core import registers
    from xiaoan.training.registers import TRAININGS

    officer = persona("school_a_officer")
    session = make_session(officer, units[SCHOOL_A])
    token = services.open_checkin(officer, session.pk).checkin_token
    registers.retire(TRAININGS, officer, session.pk, reason="误登记")
    with pytest.raises(Conflict):
        services.check_in(persona("school_a_head"), token)


def test_it_imports_a_sheet_of_people_and_outsiders(persona, units):
    officer = persona("school_a_officer")
    session = make_session(officer, units[SCHOOL_A])
    data = sheet(
        [
            ["王校长", "", "", "", ""],
            ["周总务", "总务处", "", "", ""],
            ["黄保安", "", "鄂州市保安服务公司", "保安", "BA-001"],
        ]
    )
    result = services.import_sheet(officer, session.pk, upload(data))
    assert result.ok and (result.people, result.outsiders, result.added) == (2, 1, 3)
    assert set(Attendance.objects.filter(session=session).values_list("name", "method")) == {
        ("王校长", "sheet"),
        ("周总务", "sheet"),
        ("黄保安", "sheet"),
    }


def test_it_reports_unknown_names_by_row_and_writes_nothing(persona, units):
    officer = persona("school_a_officer")
    session = make_session(officer, units[SCHOOL_A])
    add_person(units[SCHOOL_A], "dup1", "刘洋")
    add_person(units["总务处"], "dup2", "刘洋")
    data = sheet(
        [
            ["王校长", "", "", "", ""],
            ["查无此人", "", "", "", ""],
            ["刘洋", "", "", "", ""],
            ["张老师", "", "", "", ""],
        ]
    )
    result = services.import_sheet(officer, session.pk, upload(data))
    assert not result.ok
    assert [row for row, _m in result.errors] == [3, 4, 5]
    assert "查无此人" in result.errors[0][1] and "重名" in result.errors[1][1]
    assert not Attendance.objects.filter(session=session).exists()
    # With the unit the namesake is told apart.
    fixed = sheet([["王校长", "", "", "", ""], ["刘洋", "总务处", "", "", ""]])
    assert services.import_sheet(officer, session.pk, upload(fixed)).added == 2


def test_it_checks_a_sheet_without_writing_on_a_dry_run(persona, units):
    officer = persona("school_a_officer")
    session = make_session(officer, units[SCHOOL_A])
    result = services.import_sheet(
        officer, session.pk, upload(sheet([["王校长", "", "", "", ""]])), dry_run=True
    )
    assert result.ok and result.people == 1 and result.added == 0
    assert not Attendance.objects.filter(session=session).exists()
    with pytest.raises(Invalid):
        services.import_sheet(officer, session.pk, upload(b"not a workbook"))
    with pytest.raises(Invalid):
        services.import_sheet(officer, session.pk, upload(sheet([["x"]], header=("编号",))))
