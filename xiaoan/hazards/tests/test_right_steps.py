"""Owners rectify, superiors supervise: the bureau's officer and head are not offered the
school's rectification steps (page, API, services), and their page opens no such form."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests import pages_support as support
from xiaoan.hazards.tests.pages_support import assigned, form_actions, hidden_value, jpeg
from xiaoan.hazards.workflow import HAZARD

private_media = support.private_media
pytestmark = pytest.mark.django_db
OWNING = {"fix_on_spot", "start", "progress", "control", "submit", "extension_request"}


def _opened(content: str) -> list[str]:
    return re.findall(r'id="act-([a-z_]+)" class="accordion-collapse collapse show"', content)


@pytest.mark.parametrize("who", ["district_officer", "district_head"])
@pytest.mark.parametrize("level", [HazardLevel.GENERAL, HazardLevel.MAJOR])
def test_it_offers_a_superior_no_rectification_step(units, persona, client_for, who, level):
    hazard = assigned(persona, units, level=level)
    user = persona(who)
    assert not OWNING & HAZARD.allowed_names(user, hazard)
    response = client_for(who).get(reverse("hazards:hazard_detail", args=[hazard.pk]))
    content = response.content.decode()
    assert not {"start", "submit", "progress", "control"} & form_actions(content)
    assert "开始整改" not in content and "提交验收" not in content
    # Nothing of the owning side opens first; a major hazard is already supervised.
    assert not set(_opened(content)) & OWNING
    # The school's own people keep every step.
    owner = HAZARD.allowed_names(persona("school_a_owner"), hazard)
    officer = HAZARD.allowed_names(persona("school_a_officer"), hazard)
    assert {"start", "submit"} <= owner and {"start", "submit"} <= officer


def test_it_opens_supervision_first_for_a_superior(units, persona, client_for):
    hazard = assigned(persona, units)
    content = (
        client_for("district_officer")
        .get(reverse("hazards:hazard_detail", args=[hazard.pk]))
        .content.decode()
    )
    assert _opened(content) == ["supervise"]


def test_it_refuses_a_superiors_rectification_on_page_and_api(units, persona, client_for, api_for):
    hazard = assigned(persona, units)
    client = client_for("district_officer")
    version = hidden_value(
        client_for("school_a_owner")
        .get(reverse("hazards:hazard_detail", args=[hazard.pk]))
        .content.decode(),
        "version",
    )
    response = client.post(
        reverse("hazards:hazard_start", args=[hazard.pk]), {"version": version, "note": ""}
    )
    assert response.status_code == 403
    api = api_for("district_head").post(f"/api/hazards/{hazard.pk}/start/", {}, format="json")
    assert api.status_code == 403
    with pytest.raises(services.Forbidden):
        services.submit(persona("district_officer"), hazard.pk, note="已整改", photos=[jpeg()])
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert fresh.status == HazardStatus.ASSIGNED and fresh.version == hazard.version
    # The owner still starts it.
    services.start(persona("school_a_owner"), hazard.pk)


def test_it_offers_the_bureau_its_own_hazards_to_rectify(units, persona):
    officer = persona("district_officer")
    hazard = services.report(officer, units["梁子湖区教育局"], description="局机关配电室门锁损坏")
    assert "fix_on_spot" in HAZARD.allowed_names(officer, hazard)
