"""暗访: an unannounced visit stays invisible to the people of the school it targets until it
is submitted; the bureau that runs it sees it all along."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoan.core.errors import Invalid
from xiaoan.inspections import services
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, done, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


@pytest.fixture
def visit(persona, units, checklist):
    return make(
        persona,
        units,
        checklist,
        who="district_officer",
        kind=InspectionKind.UNANNOUNCED,
        title="四不两直暗访",
    )


def _sees(persona, who, inspection) -> bool:
    return Inspection.objects.restrict(persona(who)).filter(pk=inspection.pk).exists()


def test_it_hides_a_pending_visit_from_the_school(client_for, persona, visit):
    for who in ("school_a_officer", "school_a_head", "school_a_owner"):
        assert not _sees(persona, who, visit), who
    for who in ("district_officer", "district_head", "district_supervisor", "auditor"):
        assert _sees(persona, who, visit), who
    client = client_for("school_a_officer")
    assert "四不两直暗访" not in client.get(reverse("inspections:inspection_list")).content.decode()
    assert client.get(reverse("inspections:inspection_detail", args=[visit.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(persona("school_a_head"))
    assert api.get(f"/api/inspections/{visit.pk}/").status_code == 404
    assert visit.pk not in [r["id"] for r in api.get("/api/inspections/").json()["results"]]


def test_it_shows_the_visit_once_submitted(persona, visit):
    services.save_draft(persona("district_officer"), visit.pk, summary="进行中")
    assert not _sees(persona, "school_a_officer", visit)
    done(persona, visit, who="district_officer", s02="fail")
    assert _sees(persona, "school_a_officer", visit)


def test_it_keeps_a_school_from_visiting_itself_unannounced(persona, units, checklist):
    with pytest.raises(Invalid):
        make(persona, units, checklist, kind=InspectionKind.UNANNOUNCED, unit=SCHOOL_A)


def test_it_refuses_to_invite_someone_of_the_target_school(persona, visit):
    from xiaoan.inspections.models import InspectionInvite

    for who in ("school_a_officer", "school_a_owner"):  # a member, a department's person
        with pytest.raises(Invalid) as refused:
            services.invite(persona("district_officer"), visit.pk, user=who)
        assert "暗访" in str(refused.value.message)
        assert not _sees(persona, who, visit)
    assert not InspectionInvite.objects.filter(inspection=visit).exists()
    # Someone from elsewhere may come along.
    services.invite(persona("district_officer"), visit.pk, user="expert")
    assert _sees(persona, "expert", visit)
