"""The record page offers exactly the actions the services allow; a stale page is told so
and changes nothing; a refused input comes back on its form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests import pages_support as support
from xiaoan.hazards.tests.pages_support import (
    assigned,
    form_actions,
    hidden_value,
    jpeg,
    reported,
    submitted,
    today,
)
from xiaoan.hazards.workflow import HAZARD

private_media = support.private_media
STALE = "该隐患已被他人处理，请刷新后查看最新状态。"


def _detail(client, hazard):
    response = client.get(reverse("hazards:hazard_detail", args=[hazard.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _slugs(keys):
    return {k.replace("_", "-") for k in keys}


def _expected(persona, who, hazard):
    user = persona(who)
    hazard = Hazard.objects.get(pk=hazard.pk)
    return _slugs(a.name for a in HAZARD.allowed_actions(user, hazard) if a.form is not None)


@pytest.mark.parametrize(
    ("state", "who", "expected"),
    [
        (
            "reported",
            "school_a_officer",
            {"confirm_assign", "confirm", "dismiss", "fix_on_spot"},
        ),
        ("reported", "district_officer", {"confirm_assign", "confirm", "dismiss", "supervise"}),
        ("reported", "district_supervisor", {"supervise"}),
        ("reported", "auditor", set()),
        ("confirmed", "school_a_officer", {"assign", "dismiss", "fix_on_spot"}),
        (
            "assigned",
            "school_a_owner",
            {"start", "progress", "control", "submit", "extension_request"},
        ),
        ("assigned", "district_supervisor", {"supervise"}),
        ("submitted", "school_a_owner", set()),
        ("submitted", "school_a_head", {"verify"}),
        ("extension", "school_a_owner", {"start", "progress", "control", "submit"}),
        (
            "extension",
            "district_officer",
            {"supervise", "extension_decide"},
        ),
        ("extension", "school_a_officer", {"start", "progress", "control", "submit"}),
    ],
)
def test_it_renders_only_the_allowed_actions(units, persona, client_for, state, who, expected):
    officer = persona("school_a_officer")
    if state == "reported":
        hazard = reported(persona, units["梁子湖高级中学"])
    elif state == "confirmed":
        hazard = reported(persona, units["梁子湖高级中学"])
        services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL)
    elif state == "assigned":
        hazard = assigned(persona, units)
    elif state == "submitted":
        hazard = submitted(persona, units)
    else:
        hazard = assigned(persona, units)
        services.request_extension(
            persona("school_a_owner"),
            hazard.pk,
            new_deadline=today() + dt.timedelta(days=30),
            reason="需要采购",
        )
    content = _detail(client_for(who), hazard)
    assert form_actions(content) == _slugs(expected)
    assert form_actions(content) == _expected(persona, who, hazard)


def test_it_does_not_offer_to_supervise_what_ones_unit_already_supervises(
    units, persona, client_for
):
    hazard = assigned(persona, units, "实验室内违规存放大量酒精", level=HazardLevel.MAJOR)
    assert hazard.is_supervised  # automatically, by the district bureau
    content = _detail(client_for("district_officer"), hazard)
    assert "supervise" not in form_actions(content)
    assert form_actions(content) == _expected(persona, "district_officer", hazard)
    assert "梁子湖区教育局" in content and "重大隐患自动挂牌督办" in content


def test_it_offers_supervision_acceptance_only_to_the_supervising_bureau(
    units, persona, client_for
):
    hazard = assigned(persona, units, "实验室内违规存放大量酒精", level=HazardLevel.MAJOR)
    owner = persona("school_a_owner")
    services.add_control(owner, hazard.pk, measures="专人看管")
    services.submit(owner, hazard.pk, note="已清运", photos=[jpeg()])
    services.verify(persona("school_a_head"), hazard.pk, passed=True, note="合格")
    district = _detail(client_for("district_officer"), hazard)
    assert "supervision-accept" in form_actions(district)
    assert "待督办单位认可销号" in district
    school = _detail(client_for("school_a_head"), hazard)
    assert form_actions(school) == set()
    client = client_for("district_officer")
    url = reverse("hazards:hazard_supervision_accept", args=[hazard.pk])
    version = hidden_value(district, "version", url)
    response = client.post(url, {"version": version, "note": "认可销号"})
    assert response.status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.CLOSED


def test_it_tells_a_stale_page_and_changes_nothing(units, persona, client_for):
    hazard = reported(persona, units["梁子湖高级中学"])
    officer, district = client_for("school_a_officer"), client_for("district_officer")
    confirm_url = reverse("hazards:hazard_confirm", args=[hazard.pk])
    stale = hidden_value(_detail(officer, hazard), "version", confirm_url)
    # Meanwhile the bureau confirms it from its own page.
    fresh = hidden_value(_detail(district, hazard), "version", confirm_url)
    assert stale == fresh
    assert district.post(confirm_url, {"version": fresh, "level": "major"}).status_code == 302
    before = Hazard.objects.get(pk=hazard.pk)
    events = before.events.count()

    response = officer.post(confirm_url, {"version": stale, "level": "general"}, follow=True)
    assert response.status_code == 200
    assert STALE in response.content.decode()
    after = Hazard.objects.get(pk=hazard.pk)
    assert after.level == HazardLevel.MAJOR and after.version == before.version
    assert after.events.count() == events
    # The page it lands on carries the new version, so a second try works.
    assert hidden_value(response.content.decode(), "version") == str(after.version)


@pytest.mark.parametrize(
    ("action", "who", "data"),
    [
        ("start", "school_a_owner", {}),
        ("submit", "school_a_owner", {"note": "已清理"}),
        ("extension_request", "school_a_owner", {"new_deadline": "2099-01-01", "reason": "采购"}),
        ("dismiss", "school_a_officer", {"note": "误报"}),
    ],
)
def test_it_refuses_every_stale_action(units, persona, client_for, action, who, data):
    hazard = assigned(persona, units)
    if action == "dismiss":
        hazard = reported(persona, units["梁子湖高级中学"])
    stale = hazard.version
    if action == "dismiss":
        services.confirm(persona("school_a_officer"), hazard.pk, level="general")
    else:
        services.progress(persona("school_a_owner"), hazard.pk, note="x")
    before = Hazard.objects.get(pk=hazard.pk)
    body = {"version": stale, **data}
    if action == "submit":
        body["photos"] = [jpeg()]
    response = client_for(who).post(
        reverse(f"hazards:hazard_{action}", args=[hazard.pk]), body, follow=True
    )
    assert STALE in response.content.decode()
    after = Hazard.objects.get(pk=hazard.pk)
    assert (after.status, after.version) == (before.status, before.version)
    assert after.photos.count() == before.photos.count()
    assert after.extensions.count() == 0


def test_it_refuses_a_stale_extension_decision(units, persona, client_for):
    hazard = assigned(persona, units)
    request = services.request_extension(
        persona("school_a_owner"),
        hazard.pk,
        new_deadline=today() + dt.timedelta(days=30),
        reason="需要采购",
    )
    hazard.refresh_from_db()
    stale = hazard.version
    services.progress(persona("school_a_owner"), hazard.pk, note="进行中")
    response = client_for("district_officer").post(
        reverse("hazards:hazard_extension_decide", args=[hazard.pk]),
        {"version": stale, "request": request.pk, "approve": "1", "note": "同意"},
        follow=True,
    )
    assert STALE in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"


def test_it_puts_a_refused_input_back_on_its_form(units, persona, client_for):
    hazard = reported(persona, units["梁子湖高级中学"])
    services.confirm(persona("school_a_officer"), hazard.pk, level=HazardLevel.GENERAL)
    hazard.refresh_from_db()
    response = client_for("school_a_officer").post(
        reverse("hazards:hazard_assign", args=[hazard.pk]),
        {
            "version": hazard.version,
            "owner_unit": units["总务处"].pk,
            "measures": "清理",
            "deadline": (today() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "整改期限不能早于今天" in content
    assert 'id="act-assign" class="accordion-collapse collapse show"' in content
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.CONFIRMED


def test_it_asks_for_interim_controls_before_a_major_hazard_is_submitted(
    units, persona, client_for
):
    hazard = assigned(persona, units, "实验室内违规存放大量酒精", level=HazardLevel.MAJOR)
    response = client_for("school_a_owner").post(
        reverse("hazards:hazard_submit", args=[hazard.pk]),
        {"version": hazard.version, "note": "已清运", "photos": [jpeg()]},
    )
    assert response.status_code == 400
    assert "须先落实临时管控措施" in response.content.decode()
    after = Hazard.objects.get(pk=hazard.pk)
    assert after.status == HazardStatus.ASSIGNED and after.photos.count() == 1


def test_it_refuses_a_file_that_is_not_a_photo_on_the_form(units, persona, client_for):
    hazard = assigned(persona, units)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("scan.jpg", b"%PDF-1.4", content_type="image/jpeg")
    response = client_for("school_a_owner").post(
        reverse("hazards:hazard_progress", args=[hazard.pk]),
        {"version": hazard.version, "note": "进展", "photos": [fake]},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "文件不是可识别的照片" in content and "不是照片。" in content


def test_it_limits_assignment_to_the_schools_units_and_people(units, persona, client_for):
    hazard = reported(persona, units["梁子湖高级中学"])
    services.confirm(persona("district_officer"), hazard.pk, level=HazardLevel.GENERAL)
    content = _detail(client_for("district_officer"), hazard)
    start = content.index('name="owner_unit"')
    owner_units = content[start : content.index("</select>", start)]
    assert "总务处" in owner_units and "东沟镇中心小学" not in owner_units
    start = content.index('name="owner"')
    owners = content[start : content.index("</select>", start)]
    assert "周总务" in owners and "张老师" not in owners
