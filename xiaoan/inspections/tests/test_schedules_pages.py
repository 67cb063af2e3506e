"""Schedule, draw and coverage pages: in scope 200, out of scope 404, without the permission
anywhere 403, anonymous to the login page; creating and generating through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from xiaoan.inspections import schedules
from xiaoan.inspections.models import Inspection, InspectionSchedule, UnannouncedDraw
from xiaoan.inspections.tests.support import SCHOOL_A, checklist

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"


@pytest.fixture
def objects(persona, units, checklist):
    officer = persona("district_officer")
    schedule = schedules.create_schedule(
        officer, name="区每月自查", kind="self_check", checklist=checklist,
        organiser=units[DISTRICT], recurrence="monthly",
    )  # fmt: skip
    draw = schedules.create_draw(
        officer, organiser=units[DISTRICT], count=2, checklist=checklist, seed=99
    )
    return {"schedule": schedule.pk, "draw": draw.pk, "district": units[DISTRICT].pk}


def url(name: str, objects, arg: str | None = None, query: str = "") -> str:
    path = reverse(f"inspections:{name}", args=[objects[arg]] if arg else [])
    return f"{path}?{query.format(**objects)}" if query else path


GET_TABLE = [
    ("schedule_list", None, "", "district_officer", 200),
    ("schedule_list", None, "", "school_a_head", 200),
    ("schedule_list", None, "", "auditor", 200),
    ("schedule_list", None, "", "school_b_teacher", 403),
    ("schedule_create", None, "", "district_officer", 200),
    ("schedule_create", None, "", "district_supervisor", 200),
    ("schedule_create", None, "", "auditor", 403),
    ("schedule_create", None, "", "school_b_teacher", 403),
    ("schedule_detail", "schedule", "", "district_officer", 200),
    ("schedule_detail", "schedule", "", "auditor", 200),
    ("schedule_detail", "schedule", "", "school_a_head", 404),
    ("schedule_detail", "schedule", "", "uni_security", 404),
    ("schedule_detail", "schedule", "", "school_b_teacher", 403),
    ("draw_list", None, "", "district_officer", 200),
    ("draw_list", None, "", "school_a_officer", 200),
    ("draw_list", None, "", "school_b_teacher", 403),
    ("draw_create", None, "", "district_officer", 200),
    ("draw_create", None, "", "auditor", 403),
    ("draw_create", None, "", "school_b_teacher", 403),
    ("draw_detail", "draw", "", "district_officer", 200),
    ("draw_detail", "draw", "", "auditor", 200),
    ("draw_detail", "draw", "", "school_a_head", 404),
    ("draw_detail", "draw", "", "school_b_teacher", 403),
    ("coverage", None, "", "district_officer", 200),
    ("coverage", None, "unit={district}", "district_officer", 200),
    ("coverage", None, "", "school_a_head", 200),
    ("coverage", None, "unit={district}", "school_a_head", 404),
    ("coverage", None, "unit={district}", "uni_security", 404),
    ("coverage", None, "", "school_b_teacher", 403),
    ("coverage", None, "period=2026-13", "district_officer", 400),
]


@pytest.mark.parametrize(("name", "arg", "query", "who", "expected"), GET_TABLE)
def test_it_scopes_the_pages(name, arg, query, who, expected, objects, client_for):
    response = client_for(who).get(url(name, objects, arg, query))
    assert response.status_code == expected, (name, who)


POST_TABLE = [
    ("district_officer", 302),
    ("district_supervisor", 302),
    ("auditor", 403),
    ("school_a_head", 404),
    ("school_b_teacher", 403),
]


@pytest.mark.parametrize(("who", "expected"), POST_TABLE)
def test_it_scopes_generating_now(who, expected, objects, client_for):
    response = client_for(who).post(url("schedule_generate", objects, "schedule"))
    assert response.status_code == expected
    made = Inspection.objects.filter(schedule_key__startswith=f"s{objects['schedule']}:")
    assert made.exists() == (expected == 302)


@pytest.mark.parametrize(
    ("name", "arg", "method"),
    [
        ("schedule_list", None, "get"),
        ("schedule_create", None, "get"),
        ("schedule_detail", "schedule", "get"),
        ("schedule_generate", "schedule", "post"),
        ("schedule_defaults", None, "post"),
        ("draw_list", None, "get"),
        ("draw_create", None, "get"),
        ("draw_detail", "draw", "get"),
        ("coverage", None, "get"),
    ],
)
def test_it_sends_anonymous_visitors_to_the_login_page(name, arg, method, objects):
    response = getattr(Client(), method)(url(name, objects, arg))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_it_creates_a_schedule_and_generates_its_period(units, checklist, client_for):
    client = client_for("school_a_head")
    response = client.post(
        reverse("inspections:schedule_create"),
        {
            "name": "本校每月自查",
            "kind": "self_check",
            "checklist": checklist.pk,
            "organiser": units[SCHOOL_A].pk,
            "target": "schools",
            "recurrence": "monthly",
            "day": 1,
            "days_allowed": 20,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    schedule = InspectionSchedule.objects.get(name="本校每月自查")
    assert schedule.created_by.username == "school_a_head"
    assert schedule.history.count() == 1
    response = client.post(reverse("inspections:schedule_generate", args=[schedule.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "新生成 1 项检查" in page
    client.post(reverse("inspections:schedule_generate", args=[schedule.pk]))
    assert Inspection.objects.filter(schedule_key__startswith=f"s{schedule.pk}:").count() == 1


def test_it_refuses_a_schedule_outside_ones_units(units, checklist, client_for):
    response = client_for("school_a_head").post(
        reverse("inspections:schedule_create"),
        {"name": "x", "kind": "self_check", "checklist": checklist.pk,
         "organiser": units[DISTRICT].pk, "target": "schools", "recurrence": "monthly",
         "day": 1, "days_allowed": 20},
    )  # fmt: skip
    assert response.status_code == 400
    assert not InspectionSchedule.objects.filter(name="x").exists()


def test_it_creates_the_default_schedules_from_the_list(units, client_for):
    client = client_for("district_officer")
    page = client.get(reverse("inspections:schedule_list")).content.decode()
    assert "一键创建常用检查计划" in page
    response = client.post(
        reverse("inspections:schedule_defaults"), {"organiser": units[DISTRICT].pk}
    )
    assert response.status_code == 302
    assert InspectionSchedule.objects.filter(organiser=units[DISTRICT]).count() == 5
    client.post(reverse("inspections:schedule_defaults"), {"organiser": units[DISTRICT].pk})
    assert InspectionSchedule.objects.filter(organiser=units[DISTRICT]).count() == 5


def test_it_draws_through_the_page_and_shows_the_seed(units, checklist, client_for):
    client = client_for("district_officer")
    response = client.post(
        reverse("inspections:draw_create"),
        {
            "organiser": units[DISTRICT].pk,
            "unit_kind": "school",
            "count": 4,
            "seed": 123456,
            "checklist": checklist.pk,
            "scheduled_on": dt.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    record = UnannouncedDraw.objects.get(seed=123456)
    page = client.get(response["Location"]).content.decode()
    assert "123456" in page and "结果一致" in page
    assert page.count("暗访 ") >= 4
    assert len(record.picked) == 4
    response = client.post(
        reverse("inspections:draw_create"),
        {"organiser": units[DISTRICT].pk, "unit_kind": "school", "count": 40,
         "checklist": checklist.pk, "scheduled_on": dt.date.today().isoformat()},
    )  # fmt: skip
    assert response.status_code == 400 and "抽取数量须在 1 到 12 之间" in response.content.decode()


def test_the_coverage_page_highlights_units_with_nothing_done(units, objects, client_for):
    client = client_for("district_officer")
    client.post(url("schedule_generate", objects, "schedule"))
    page = client.get(reverse("inspections:coverage"), {"unit": units[DISTRICT].pk})
    content = page.content.decode()
    assert page.status_code == 200
    assert content.count('class="table-warning"') == 12
    assert SCHOOL_A in content
    idle = client.get(reverse("inspections:coverage"), {"nothing_done": "1"})
    assert idle.status_code == 200


def test_the_inspection_list_links_to_the_new_pages(client_for):
    content = client_for("district_officer").get(reverse("inspections:inspection_list"))
    for name in ("coverage", "schedule_list", "draw_list"):
        assert reverse(f"inspections:{name}") in content.content.decode()


@pytest.mark.parametrize(
    ("who", "organiser", "status", "made"),
    [
        ("district_officer", DISTRICT, 302, 5),
        ("school_a_head", DISTRICT, 302, 0),  # not a unit of theirs: refused, nothing made
        ("school_a_head", SCHOOL_A, 302, 5),
        ("auditor", DISTRICT, 403, 0),
        ("school_b_teacher", DISTRICT, 403, 0),
    ],
)
def test_it_scopes_the_default_schedules(who, organiser, status, made, units, client_for):
    response = client_for(who).post(
        reverse("inspections:schedule_defaults"), {"organiser": units[organiser].pk}
    )
    assert response.status_code == status
    assert InspectionSchedule.objects.filter(organiser=units[organiser]).count() == made


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("district_officer", 302),
        ("school_a_head", 400),
        ("auditor", 403),
        ("school_b_teacher", 403),
    ],
)
def test_it_scopes_drawing_through_the_page(who, status, units, checklist, client_for):
    response = client_for(who).post(
        reverse("inspections:draw_create"),
        {"organiser": units[DISTRICT].pk, "unit_kind": "school", "count": 1,
         "checklist": checklist.pk, "scheduled_on": dt.date.today().isoformat()},
    )  # fmt: skip
    assert response.status_code == status
    assert UnannouncedDraw.objects.exists() == (status == 302)


def test_the_coverage_page_shows_the_last_page_past_the_end(units, objects, client_for):
    client = client_for("district_officer")
    response = client.get(reverse("inspections:coverage"), {"page": 99})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert len(response.context["rows"]) == 12


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("district_officer", 302),
        ("auditor", 403),
        ("school_a_head", 404),
        ("school_b_teacher", 403),
    ],
)
def test_it_scopes_stopping_a_schedule(who, expected, objects, client_for):
    response = client_for(who).post(url("schedule_active", objects, "schedule"), {"active": "0"})
    assert response.status_code == expected
    stopped = not InspectionSchedule.objects.get(pk=objects["schedule"]).is_active
    assert stopped == (expected == 302)


def test_a_stopped_schedule_generates_nothing_until_resumed(objects, client_for):
    client = client_for("district_officer")
    client.post(url("schedule_active", objects, "schedule"), {"active": "0"})
    schedule = InspectionSchedule.objects.get(pk=objects["schedule"])
    assert schedules.generate(schedule).created == 0
    assert schedule.history.count() == 2
    client.post(url("schedule_active", objects, "schedule"), {"active": "1"})
    schedule.refresh_from_db()
    assert schedules.generate(schedule).created == 12
