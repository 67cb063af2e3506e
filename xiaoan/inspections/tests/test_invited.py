"""Invited people: an outside expert (no unit scope at all) and a peer school's teacher in a
cross-check see the inspection they are invited to and its findings — nothing else, on the
pages and the API — and can carry it out, its findings landing at the inspected school."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoan.core.errors import NotFound
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.models import Hazard
from xiaoan.inspections import services
from xiaoan.inspections.choices import InspectionKind, InviteRole
from xiaoan.inspections.models import Inspection, InspectionInvite, ItemResult
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, done, make, results
from xiaoan.notifications.models import Notification

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


@pytest.fixture
def invited(persona, units, checklist):
    """A district expert evaluation of School A with the expert invited, and a School A
    self-check and a university inspection he is not invited to."""
    mine = make(
        persona,
        units,
        checklist,
        who="district_officer",
        kind=InspectionKind.EXPERT,
        title="专家评估",
    )
    services.invite(persona("district_officer"), mine.pk, user="expert", role=InviteRole.EXPERT)
    other = make(persona, units, checklist, title="本校自查")
    uni = make(persona, units, checklist, who="uni_security", unit="鄂州职业大学", title="大学自查")
    return mine, other, uni


def _pages(client: Client, inspection: Inspection) -> list[int]:
    return [
        client.get(reverse(f"inspections:inspection_{name}", args=[inspection.pk])).status_code
        for name in ("detail", "run")
    ]


def test_it_shows_an_expert_only_his_inspection(client_for, persona, invited):
    mine, other, uni = invited
    client = client_for("expert")
    listing = client.get(reverse("inspections:inspection_list"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "专家评估" in html and "本校自查" not in html and "大学自查" not in html
    assert _pages(client, mine) == [200, 200]
    assert _pages(client, other) == [404, 404]
    assert _pages(client, uni) == [404, 404]
    for name in ("checklist_list", "inspection_create"):
        assert client.get(reverse(f"inspections:{name}")).status_code == 403
    # The nav leads him to his inspections.
    assert reverse("inspections:inspection_list") in client.get("/").content.decode()
    assert list(Inspection.objects.restrict(persona("expert"))) == [mine]
    assert list(Inspection.objects.restrict(persona("expert"), "change")) == []
    # He was told, with a link to it.
    note = Notification.objects.get(recipient=persona("expert"))
    assert "专家评估" in note.title and note.url.endswith(f"/inspections/{mine.pk}/")


def test_it_limits_the_expert_on_the_api_too(persona, invited):
    mine, other, uni = invited
    api = APIClient()
    api.force_authenticate(persona("expert"))
    listing = api.get("/api/inspections/")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [mine.pk]
    assert api.get(f"/api/inspections/{mine.pk}/").status_code == 200
    for inspection in (other, uni):
        assert api.get(f"/api/inspections/{inspection.pk}/").status_code == 404
        assert (
            api.post(f"/api/inspections/{inspection.pk}/draft/", {}, format="json").status_code
            == 404
        )
        assert (
            api.post(f"/api/inspections/{inspection.pk}/submit/", {}, format="json").status_code
            == 404
        )
    assert api.post(f"/api/inspections/{mine.pk}/invite/", {"user": "auditor"}).status_code == 403
    assert api.get("/api/checklists/").status_code == 403


def test_it_lets_the_expert_carry_it_out(persona, invited):
    mine, _other, _uni = invited
    expert = persona("expert")
    before = Hazard.objects.count()
    done(persona, mine, who="expert", s01="pass", s02="fail", s03="fail")
    assert Hazard.objects.count() == before + 2
    hazards = Hazard.objects.filter(inspection_result__inspection=mine)
    assert {h.unit.name for h in hazards} == {SCHOOL_A}
    assert {h.finder_id for h in hazards} == {expert.pk}
    assert hazards.get(criterion="FIRE-D-01").level == HazardLevel.MAJOR
    # He sees his findings, and still nothing else of the school.
    expert = persona("expert")
    assert set(Hazard.objects.restrict(expert)) == set(hazards)
    assert not Hazard.objects.restrict(expert, "confirm").exists()
    assert not Hazard.objects.restrict(expert, "add").exists()


def test_it_does_not_let_an_uninvited_expert_in(client_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    client = client_for("expert")
    assert client.get(reverse("inspections:inspection_list")).status_code == 403
    api = APIClient()
    api.force_authenticate(persona("expert"))
    assert api.get("/api/inspections/").status_code == 403
    with pytest.raises(NotFound):
        services.submit(persona("expert"), inspection.pk)


def test_it_opens_a_cross_check_to_the_peer_school_only(client_for, persona, units, checklist):
    """东沟镇中心小学's teacher inspects 梁子湖高级中学 in a cross-check the district runs."""
    cross = make(
        persona,
        units,
        checklist,
        who="district_officer",
        kind=InspectionKind.CROSS_CHECK,
        title="交叉检查",
    )
    other = make(persona, units, checklist, title="本校自查")
    services.invite(persona("district_officer"), cross.pk, user="13800000021", role=InviteRole.PEER)
    teacher = persona("school_b_teacher")
    assert list(Inspection.objects.restrict(teacher)) == [cross]
    client = client_for("school_b_teacher")
    assert _pages(client, cross) == [200, 200]
    assert _pages(client, other) == [404, 404]
    listing = client.get(reverse("inspections:inspection_list")).content.decode()
    assert "交叉检查" in listing and "本校自查" not in listing
    done(persona, cross, who="school_b_teacher", s03="fail")
    row = ItemResult.objects.get(inspection=cross, item__code="TEST-SMALL-03")
    assert row.hazard.unit == units[SCHOOL_A] and row.hazard.finder == teacher
    # The teacher's own school is no wider for it.
    assert not Inspection.objects.restrict(persona("school_b_teacher"), "add").exists()
    with pytest.raises(NotFound):
        services.save_draft(
            persona("school_b_teacher"), other.pk, results=results(other, s01="pass")
        )


def test_it_forgets_a_withdrawn_invitation(persona, invited):
    mine, _other, _uni = invited
    services.uninvite(persona("district_officer"), mine.pk, user=persona("expert"))
    assert not Inspection.objects.restrict(persona("expert")).exists()
    log = InspectionInvite.history.filter(inspection_id=mine.pk).order_by("history_date")
    assert [(h.history_type, h.history_user.username) for h in log] == [
        ("+", "district_officer"),
        ("-", "district_officer"),
    ]


def test_findings_link_to_their_record_only_for_who_may_open_it(
    client_for, persona, units, checklist
):
    cross = make(persona, units, checklist, who="district_officer", kind=InspectionKind.CROSS_CHECK)
    for login, role in (("expert", InviteRole.EXPERT), ("13800000021", InviteRole.PEER)):
        services.invite(persona("district_officer"), cross.pk, user=login, role=role)
    done(persona, cross, who="expert", s02="fail")
    hazard = ItemResult.objects.get(inspection=cross, item__code="TEST-SMALL-02").hazard
    record = reverse("hazards:hazard_detail", args=[hazard.pk])
    detail = reverse("inspections:inspection_detail", args=[cross.pk])
    # The expert found it: he opens its record (and the ledger shows him that one only).
    expert = client_for("expert")
    assert f'href="{record}"' in expert.get(detail).content.decode()
    assert expert.get(record).status_code == 200
    ledger = expert.get(reverse("hazards:hazard_list"))
    assert [h.pk for h in ledger.context["object_list"]] == [hazard.pk]
    # The peer school's co-inspector sees the number, not a link he could not follow.
    teacher = client_for("school_b_teacher")
    page = teacher.get(detail).content.decode()
    assert hazard.number in page and f'href="{record}"' not in page
    assert teacher.get(record).status_code == 404
    # The school's officer opens it as any hazard of the school.
    assert f'href="{record}"' in client_for("school_a_officer").get(detail).content.decode()
