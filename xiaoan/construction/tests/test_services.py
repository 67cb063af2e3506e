"""校园施工项目 through the services: its rules, the status from the dates, the
qualification's expiry as a due date, and inspections naming the project."""

from __future__ import annotations

import pytest

from xiaoan.construction import services
from xiaoan.construction.models import ConstructionProject
from xiaoan.construction.registers import PROJECTS
from xiaoan.construction.tests.support import SCHOOL_A, SCHOOL_B, days, inspect, make
from xiaoan.core import history, registers
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.models import DueDate
from xiaoan.inspections.tests.support import done

pytestmark = pytest.mark.django_db


def test_it_refuses_bad_dates_and_an_agreement_without_its_date(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as dates:
        make(officer, units[SCHOOL_A], starts_on=days(10), ends_on=days(5))
    assert "ends_on" in dates.value.fields
    with pytest.raises(Invalid) as undated:
        make(officer, units[SCHOOL_A], agreement_signed_on=None)
    assert "agreement_signed_on" in undated.value.fields
    with pytest.raises(Invalid) as unticked:
        make(officer, units[SCHOOL_A], agreement_signed=False)
    assert "agreement_signed" in unticked.value.fields
    with pytest.raises(Invalid) as nowhere:
        make(officer, units[SCHOOL_A], location="")
    assert "location" in nowhere.value.fields
    with pytest.raises(Invalid) as other_unit:
        make(officer, units[SCHOOL_B])
    assert "unit" in other_unit.value.fields
    with pytest.raises(Forbidden):
        make(persona("auditor"), units[SCHOOL_A])
    assert not ConstructionProject.objects.exists()


def test_its_status_follows_the_dates(persona, units):
    officer = persona("school_a_officer")
    going = make(officer, units[SCHOOL_A])
    planned = make(officer, units[SCHOOL_A], name="跑道", starts_on=days(5), ends_on=days(50))
    over = make(officer, units[SCHOOL_A], name="厕所", starts_on=days(-50), ends_on=days(-1))
    assert (going.status, planned.status, over.status) == ("in_progress", "planned", "finished")
    assert going.get_status_display() == "施工中"


def test_the_qualification_expiry_is_a_due_date_with_history(persona, units):
    officer = persona("school_a_officer")
    project = make(officer, units[SCHOOL_A], qualification_valid_until=days(20))
    row = DueDate.objects.get(object_id=project.pk, content_type=PROJECTS.content_type())
    assert row.due_on == days(20) and row.label == "施工资质到期"
    registers.update(PROJECTS, officer, project.pk, {"qualification_valid_until": days(400)})
    assert DueDate.objects.get(pk=row.pk).due_on == days(400)
    assert len(history.entries_for(project)) == 2
    registers.retire(PROJECTS, officer, project.pk, reason="已竣工")
    assert not DueDate.objects.filter(pk=row.pk).exists()


def test_an_inspection_names_the_project_and_counts_as_its_latest(persona, units, checklist):
    officer = persona("school_a_officer")
    project = make(officer, units[SCHOOL_A])
    today = days(0)
    uninspected = ConstructionProject.objects.filter(services.uninspected(today))
    assert list(uninspected) == [project]
    inspection = inspect(officer, project, checklist)
    assert inspection.subject == project
    assert registers.linked_records(PROJECTS, officer, project).inspections == [inspection]
    assert list(uninspected.all()) == [project]  # planned, not done yet
    done(persona, inspection)
    assert not uninspected.all().exists()


def test_an_inspection_may_not_name_a_project_of_another_school(persona, units, checklist):
    from xiaoan.inspections import services as inspection_services

    project = make(persona("district_officer"), units[SCHOOL_B])
    with pytest.raises(Invalid) as refused:
        inspection_services.create_inspection(
            persona("district_officer"),
            kind="supervision",
            unit=units[SCHOOL_A],
            checklist=checklist,
            subject=f"construction_projects:{project.pk}",
        )
    assert "subject" in refused.value.fields
    registers.retire(PROJECTS, persona("district_officer"), project.pk, reason="已竣工")
    with pytest.raises(Invalid):
        inspect(persona("district_officer"), project, checklist)


def test_unsafe_sites_are_those_in_progress_without_hoarding_or_agreement(persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A], name="好")
    open_site = make(officer, units[SCHOOL_A], name="无围挡", segregated=False)
    unsigned = make(
        officer, units[SCHOOL_A], name="无协议", agreement_signed=False, agreement_signed_on=None
    )
    make(officer, units[SCHOOL_A], name="未开工", segregated=False, starts_on=days(3))
    found = ConstructionProject.objects.filter(services.unsafe(days(0)))
    assert set(found) == {open_site, unsigned}
