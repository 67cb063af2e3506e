"""Hazards and inspections naming a building (subject links): set through their services,
pages and API, refused for an item of another school, a retired or an unseen one; the
building's page lists them without a query per row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.buildings.registers import BUILDINGS
from xiaoan.buildings.tests.support import SCHOOL_A, SCHOOL_B, make
from xiaoan.core import registers
from xiaoan.core.errors import Invalid
from xiaoan.hazards import services as hazard_services
from xiaoan.hazards.models import Hazard
from xiaoan.inspections import services as inspection_services
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.support import checklist, results  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="东沟教学楼")


def report(persona, units, subject, who="school_a_officer", unit=SCHOOL_A):
    return hazard_services.report(
        persona(who), units[unit], description="楼梯扶手松动", subject=subject
    )


def test_a_hazard_names_a_building_of_its_school(persona, units, building):
    hazard = report(persona, units, f"buildings:{building.pk}")
    assert hazard.subject == building
    general = units["总务处"]
    on_department = hazard_services.report(
        persona("school_a_officer"), general, description="配电箱未上锁", subject=building
    )
    assert on_department.subject == building


@pytest.mark.parametrize(
    "token", ["buildings:abc", "nothing:1", "buildings:999999", "x", "buildings:" + "9" * 30]
)
def test_it_refuses_unknown_subjects(persona, units, token):
    with pytest.raises(Invalid) as error:
        report(persona, units, token)
    assert "subject" in error.value.fields
    assert not Hazard.objects.exists()


def test_it_refuses_another_schools_building(persona, units, building, other):
    # Unseen by a school's officer: as if it did not exist.
    with pytest.raises(Invalid):
        report(persona, units, f"buildings:{other.pk}")
    # Seen by the district officer, but not of the hazard's school.
    with pytest.raises(Invalid) as error:
        report(persona, units, f"buildings:{other.pk}", who="district_officer", unit=SCHOOL_A)
    assert "不属于" in error.value.fields["subject"][0]
    assert not Hazard.objects.exists()


def test_it_refuses_a_retired_building(persona, units, building):
    registers.retire(BUILDINGS, persona("school_a_officer"), building.pk, reason="拆除")
    with pytest.raises(Invalid) as error:
        report(persona, units, building)
    assert "已注销" in error.value.fields["subject"][0]


def test_a_reporter_without_register_rights_cannot_name_one(persona, units, other):
    with pytest.raises(Invalid):
        report(persona, units, f"buildings:{other.pk}", who="school_b_teacher", unit=SCHOOL_B)


def test_the_report_page_carries_the_subject(client_for, units, building, other):
    client = client_for("school_a_officer")
    url = reverse("hazards:hazard_report")
    page = client.get(url, {"unit": units[SCHOOL_A].pk, "subject": f"buildings:{building.pk}"})
    assert f'value="buildings:{building.pk}"' in page.content.decode()
    form = {
        "unit": units[SCHOOL_A].pk,
        "description": "外墙瓷砖脱落",
        "idempotency_key": "k1",
        "subject": f"buildings:{building.pk}",
    }
    assert client.post(url, form).status_code == 302
    assert Hazard.objects.get().subject == building
    refused = client.post(
        url, {**form, "idempotency_key": "k2", "subject": f"buildings:{other.pk}"}
    )
    assert refused.status_code == 400 and "台账记录不存在" in refused.content.decode()


def test_the_api_reports_and_shows_the_subject(api_for, units, building, other):
    client = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "description": "楼顶防水层破损",
        "subject": f"buildings:{building.pk}",
    }
    created = client.post("/api/hazards/", body, format="json")
    assert created.status_code == 201 and created.json()["subject"] == f"buildings:{building.pk}"
    refused = client.post(
        "/api/hazards/", {**body, "subject": f"buildings:{other.pk}"}, format="json"
    )
    assert refused.status_code == 400 and "subject" in refused.json()["error"]["fields"]


def test_an_inspection_of_a_building(persona, units, building, other, checklist, api_for):  # noqa: F811
    officer = persona("school_a_officer")
    inspection = inspection_services.create_inspection(
        officer, kind="self_check", unit=units[SCHOOL_A], checklist=checklist, subject=building
    )
    assert inspection.subject == building
    with pytest.raises(Invalid):
        inspection_services.create_inspection(
            persona("district_officer"),
            kind="self_check",
            unit=units[SCHOOL_A],
            checklist=checklist,
            subject=f"buildings:{other.pk}",
        )
    client = api_for("school_a_officer")
    body = {"kind": "self_check", "unit": units[SCHOOL_A].pk, "checklist": checklist.pk}
    made = client.post(
        "/api/inspections/", {**body, "subject": f"buildings:{building.pk}"}, format="json"
    )
    assert made.status_code == 201 and made.json()["subject"] == f"buildings:{building.pk}"
    bad = client.post(
        "/api/inspections/", {**body, "subject": f"buildings:{other.pk}"}, format="json"
    )
    assert bad.status_code == 400


def test_failed_items_of_a_building_inspection_name_it(persona, units, building, checklist):  # noqa: F811
    from xiaoan.inspections.tests.support import items_of, jpeg

    officer = persona("school_a_officer")
    inspection = inspection_services.create_inspection(
        officer, kind="self_check", unit=units[SCHOOL_A], checklist=checklist, subject=building
    )
    ids = items_of(inspection)
    inspection_services.submit(
        officer,
        inspection.pk,
        results=results(inspection, s01="pass", s02="pass", s03="fail"),
        photos={ids["TEST-SMALL-01"]: [jpeg()]},
    )
    assert Hazard.objects.get().subject == building


def test_the_buildings_page_lists_its_hazards_and_inspections(
    client_for,
    persona,
    units,
    building,
    checklist,  # noqa: F811
    django_assert_max_num_queries,
):
    officer = persona("school_a_officer")
    for n in range(5):
        hazard_services.report(
            officer, units[SCHOOL_A], description=f"隐患{n}号问题", subject=building
        )
        inspection_services.create_inspection(
            officer,
            kind="self_check",
            unit=units[SCHOOL_A],
            checklist=checklist,
            subject=building,
            title=f"楼栋检查{n}",
        )
    hazard_services.report(officer, units[SCHOOL_A], description="与楼无关的隐患")
    client = client_for("school_a_officer")
    url = reverse("buildings:buildingfile_detail", args=[building.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        body = client.get(url).content.decode()
    assert body.count("隐患") and "隐患4号问题" in body and "与楼无关" not in body
    assert "楼栋检查4" in body
    assert Inspection.objects.filter(subject_id=building.pk).count() == 5


def test_the_hazard_and_inspection_pages_link_back(client_for, persona, units, building, checklist):  # noqa: F811
    officer = persona("school_a_officer")
    hazard = report(persona, units, building)
    inspection = inspection_services.create_inspection(
        officer, kind="self_check", unit=units[SCHOOL_A], checklist=checklist, subject=building
    )
    client = client_for("school_a_officer")
    link = reverse("buildings:buildingfile_detail", args=[building.pk])
    page = client.get(reverse("hazards:hazard_detail", args=[hazard.pk])).content.decode()
    assert "所涉台账" in page and link in page
    page = client.get(
        reverse("inspections:inspection_detail", args=[inspection.pk])
    ).content.decode()
    assert "检查对象" in page and link in page
