"""Inviting on the record page: a searchable list of the people the inviter may invite (the
scoped candidates page, asked by htmx as the name is typed), and one message for a name
that is nobody the inviter may invite."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.inspections.models import InspectionInvite
from xiaoan.inspections.tests.support import SCHOOL_B, checklist, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


@pytest.fixture
def inspection(persona, units, checklist):
    return make(persona, units, checklist)


def _candidates(client, inspection, text: str = ""):
    url = reverse("inspections:invite_candidates", args=[inspection.pk])
    return client.get(url, {"user": text}, HTTP_HX_REQUEST="true")


def test_it_offers_a_searchable_list_on_the_record_page(client_for, persona, inspection):
    client = client_for("school_a_officer")
    page = client.get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    html = page.content.decode()
    url = reverse("inspections:invite_candidates", args=[inspection.pk])
    assert f'hx-get="{url}"' in html and 'list="id_invite_user-people"' in html
    assert '<datalist id="id_invite_user-people">' in html

    expert = persona("expert")
    listed = _candidates(client, inspection, expert.display_name[:2]).content.decode()
    assert f'<option value="{expert.username}">' in listed and "专家库" in listed
    own = _candidates(client, inspection, "").content.decode()
    assert 'value="school_a_owner"' in own
    assert 'value="school_b_teacher"' not in own  # another school's people are not offered
    assert 'value="sysadmin"' not in own


def test_it_answers_an_unknown_name_with_one_message(client_for, inspection):
    client = client_for("school_a_officer")
    url = reverse("inspections:inspection_invite", args=[inspection.pk])
    response = client.post(url, {"user": "无此人", "role": "inspector"})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("找不到此人") == 1 and "找不到该账号" not in html
    assert not InspectionInvite.objects.exists()
    done = client.post(url, {"user": "expert", "role": "expert"})
    assert done.status_code == 302 and InspectionInvite.objects.filter(user__username="expert")


def test_it_refuses_the_list_out_of_scope_or_without_the_right(
    client_for, persona, units, checklist, inspection
):
    other = make(persona, units, checklist, who="district_officer", unit=SCHOOL_B)
    officer = client_for("school_a_officer")
    assert _candidates(officer, other).status_code == 404
    # Someone who sees the inspection but may not change it.
    assert _candidates(client_for("school_a_owner"), inspection).status_code in (403, 404)
